package dev.vigil.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.StorageWriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAL write that fails (a full disk, a failed fsync, a segment that cannot be created) leaves
 * none of its bytes in the log, so the writes after it replay: the failing file system is a {@link
 * SegmentFile} that writes part of the buffer and then throws, as write(2) does on ENOSPC.
 */
class WalWriteFailureTest {
  @TempDir Path dir;

  /** A segment file whose next writes, syncs or truncations fail on demand. */
  static final class FaultyFile extends SegmentFile {
    final AtomicInteger failWrites = new AtomicInteger();
    final AtomicInteger failSyncs = new AtomicInteger();
    final AtomicInteger failTruncates = new AtomicInteger();
    volatile CountDownLatch writing;
    volatile CountDownLatch release;

    FaultyFile(Path path) throws IOException {
      super(path);
    }

    @Override
    void write(byte[] b, int off, int len) throws IOException {
      boolean fail = failWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      CountDownLatch w = writing;
      if (w != null) {
        writing = null;
        w.countDown();
        awaitQuietly(release);
      }
      if (fail) {
        super.write(b, off, len / 2); // a prefix reaches the file, as with a short write(2)
        throw new IOException("No space left on device");
      }
      super.write(b, off, len);
    }

    @Override
    void sync() throws IOException {
      if (failSyncs.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IOException("Input/output error");
      }
      super.sync();
    }

    @Override
    void truncate(long size) throws IOException {
      if (failTruncates.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IOException("Input/output error");
      }
      super.truncate(size);
    }
  }

  private static void awaitQuietly(CountDownLatch l) {
    try {
      assertThat(l.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final List<FaultyFile> files = new ArrayList<>();
  private final List<StorageWriteException> reported = new ArrayList<>();
  private final AtomicInteger resumed = new AtomicInteger();
  private volatile boolean failOpen;

  private Wal open(FsyncPolicy policy, long segmentBytes) throws IOException {
    return Wal.open(
        dir,
        policy,
        1000,
        segmentBytes,
        new WalEvents() {
          @Override
          public void writeFailed(StorageWriteException e, boolean first) {
            reported.add(e);
          }

          @Override
          public void writesResumed(long failed) {
            resumed.incrementAndGet();
          }
        },
        p -> {
          if (failOpen) {
            throw new IOException("No space left on device");
          }
          FaultyFile f = new FaultyFile(p);
          files.add(f);
          return f;
        });
  }

  /** One record whose payload is {@code id} followed by {@code pad} bytes. */
  private static byte[] record(int id, int pad) {
    RecordEncoder e = new RecordEncoder();
    e.begin(RecordType.SAMPLES);
    e.uvarint(id);
    for (int i = 0; i < pad; i++) {
      e.long64(0x5a5a5a5a5a5a5a5aL);
    }
    e.end();
    return java.util.Arrays.copyOf(e.buffer(), e.length());
  }

  private static void write(Wal wal, int id) {
    byte[] r = record(id, 40);
    wal.write(r, r.length);
  }

  private List<Long> replayIds(List<String> warnings) throws IOException {
    List<Long> ids = new ArrayList<>();
    WalReader.replay(
        dir,
        (type, b, off, len) -> ids.add(new RecordDecoder(b, off, len).uvarint()),
        warnings::add);
    return ids;
  }

  @Test
  void failedWrite_isCutBack_soWritesAfterSpaceReturnsAreReplayed() throws Exception {
    try (Wal wal = open(FsyncPolicy.INTERVAL, 1 << 20)) {
      write(wal, 1);
      long goodEnd = Files.size(WalFiles.segmentPath(dir, 1));
      files.get(0).failWrites.set(1);
      assertThatThrownBy(() -> write(wal, 2))
          .isInstanceOf(StorageWriteException.class)
          .hasMessageContaining("no space left on device")
          .hasMessageContaining(WalFiles.segmentPath(dir, 1).toString())
          .hasMessageContaining("segment still ends at offset " + goodEnd)
          .satisfies(e -> assertThat(((StorageWriteException) e).noSpace()).isTrue());
      assertThat(Files.size(WalFiles.segmentPath(dir, 1))).isEqualTo(goodEnd);
      write(wal, 3);
      write(wal, 4);
    }
    List<String> warnings = new ArrayList<>();
    assertThat(replayIds(warnings)).containsExactly(1L, 3L, 4L);
    assertThat(warnings).isEmpty();
    assertThat(reported).singleElement().satisfies(e -> assertThat(e.noSpace()).isTrue());
    assertThat(resumed.get()).isEqualTo(1);
  }

  @Test
  void failedGroupCommit_failsEveryWriterInTheGroup_andLeavesNoneOfTheirBytes() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (Wal wal = open(FsyncPolicy.INTERVAL, 1 << 20)) {
      FaultyFile f = files.get(0);
      CountDownLatch writing = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      f.release = release;
      f.writing = writing;
      Future<?> first = pool.submit(() -> write(wal, 1)); // holds the lock inside write(2)
      assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
      List<Future<?>> group = new ArrayList<>();
      for (int id = 2; id <= 4; id++) {
        int i = id;
        group.add(pool.submit(() -> write(wal, i)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (wal.queuedWrites() < 3 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(wal.queuedWrites()).isEqualTo(3);
      f.failWrites.set(1); // the next write(2) is the group's
      release.countDown();
      first.get(10, TimeUnit.SECONDS);
      for (Future<?> g : group) {
        assertThatThrownBy(() -> g.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(StorageWriteException.class);
      }
      write(wal, 5);
    } finally {
      pool.shutdownNow();
    }
    List<String> warnings = new ArrayList<>();
    assertThat(replayIds(warnings)).containsExactly(1L, 5L);
    assertThat(warnings).isEmpty();
  }

  @Test
  void failedFsyncUnderPerCommit_refusesTheWrite_andRemovesItsBytes() throws Exception {
    try (Wal wal = open(FsyncPolicy.PER_COMMIT, 1 << 20)) {
      write(wal, 1);
      files.get(0).failSyncs.set(1);
      assertThatThrownBy(() -> write(wal, 2))
          .isInstanceOf(StorageWriteException.class)
          .hasMessageContaining("fsync")
          .satisfies(
              e ->
                  assertThat(((StorageWriteException) e).reason())
                      .isEqualTo(StorageWriteException.Reason.FSYNC));
      write(wal, 3);
    }
    assertThat(replayIds(new ArrayList<>())).containsExactly(1L, 3L);
  }

  @Test
  void whenTheCutBackFails_laterWritesAreRefusedUntilItSucceeds() throws Exception {
    try (Wal wal = open(FsyncPolicy.INTERVAL, 1 << 20)) {
      write(wal, 1);
      FaultyFile f = files.get(0);
      f.failWrites.set(1);
      f.failTruncates.set(2); // the cut after the failed write, and the retry before write 3
      assertThatThrownBy(() -> write(wal, 2))
          .isInstanceOf(StorageWriteException.class)
          .hasMessageContaining("writes fail until it can");
      assertThatThrownBy(() -> write(wal, 3))
          .isInstanceOf(StorageWriteException.class)
          .hasMessageContaining("cannot cut");
      write(wal, 4);
    }
    List<String> warnings = new ArrayList<>();
    assertThat(replayIds(warnings)).containsExactly(1L, 4L);
    assertThat(warnings).isEmpty();
  }

  @Test
  void segmentThatCannotBeCreated_refusesTheWrite_andTheWalGoesOnWhenItCan() throws Exception {
    int size = record(1, 40).length;
    try (Wal wal = open(FsyncPolicy.SEGMENT_CLOSE, size * 2L)) {
      write(wal, 1);
      write(wal, 2);
      failOpen = true;
      assertThatThrownBy(() -> write(wal, 3))
          .isInstanceOf(StorageWriteException.class)
          .hasMessageContaining("cannot start segment 2")
          .satisfies(e -> assertThat(((StorageWriteException) e).noSpace()).isTrue());
      failOpen = false;
      write(wal, 4);
      assertThat(wal.currentSegment()).isEqualTo(2);
    }
    assertThat(replayIds(new ArrayList<>())).containsExactly(1L, 2L, 4L);
  }
}
