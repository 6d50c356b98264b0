package dev.vigil.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  @TempDir Path dir;

  @Test
  void records_roundTripThroughEncoderAndDecoder() throws Exception {
    RecordEncoder enc = new RecordEncoder();
    enc.begin(RecordType.SERIES);
    enc.series(7, Labels.of("__name__", "up", "job", "ü\"\n"));
    enc.end();
    enc.begin(RecordType.SAMPLES);
    enc.uvarint(1);
    enc.uvarint(7);
    enc.varint(-5);
    enc.varint(0);
    enc.varint(0);
    enc.long64(Double.doubleToRawLongBits(-0.0));
    enc.end();
    try (Wal wal = Wal.open(dir, FsyncPolicy.PER_COMMIT, 1000, 1 << 20, n -> {})) {
      wal.write(enc.buffer(), enc.length());
    }
    List<String> seen = new ArrayList<>();
    long n =
        WalReader.replay(
            dir,
            (type, b, off, len) -> {
              RecordDecoder d = new RecordDecoder(b, off, len);
              if (type == RecordType.SERIES) {
                seen.add(d.uvarint() + " " + d.labels());
              } else {
                seen.add(
                    d.uvarint()
                        + " "
                        + d.uvarint()
                        + " "
                        + d.varint()
                        + " "
                        + d.varint()
                        + " "
                        + d.varint()
                        + " "
                        + Long.toHexString(d.long64()));
              }
            },
            seen::add);
    assertThat(n).isEqualTo(2);
    assertThat(seen).containsExactly("7 up{job=\"ü\\\"\\n\"}", "1 7 -5 0 0 8000000000000000");
  }

  @Test
  void groupCommit_manyThreads_everyRecordReplayedOnce_acrossRolledSegments() throws Exception {
    AtomicLong fsyncs = new AtomicLong();
    int threads = 8;
    int perThread = 500;
    try (Wal wal =
        Wal.open(dir, FsyncPolicy.PER_COMMIT, 1000, 8 << 10, n -> fsyncs.incrementAndGet())) {
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        ts.add(
            new Thread(
                () -> {
                  RecordEncoder enc = new RecordEncoder();
                  for (int i = 0; i < perThread; i++) {
                    enc.reset();
                    enc.begin(RecordType.SAMPLES);
                    enc.uvarint(id);
                    enc.uvarint(i);
                    enc.end();
                    wal.write(enc.buffer(), enc.length());
                  }
                }));
      }
      ts.forEach(Thread::start);
      for (Thread t : ts) {
        t.join();
      }
      assertThat(wal.currentSegment()).isGreaterThan(1);
    }
    assertThat(fsyncs.get()).isLessThanOrEqualTo((long) threads * perThread + 100);
    ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
    WalReader.replay(
        dir,
        (type, b, off, len) -> {
          RecordDecoder d = new RecordDecoder(b, off, len);
          assertThat(seen.put(d.uvarint() + "/" + d.uvarint(), true)).isNull();
        },
        m -> {
          throw new AssertionError(m);
        });
    assertThat(seen).hasSize(threads * perThread);
  }

  @Test
  void reopen_reusesAnEmptyLastSegment() throws Exception {
    try (Wal wal = Wal.open(dir, FsyncPolicy.INTERVAL, 10, 1 << 20, n -> {})) {
      assertThat(wal.currentSegment()).isEqualTo(1);
    }
    try (Wal wal = Wal.open(dir, FsyncPolicy.SEGMENT_CLOSE, 10, 1 << 20, n -> {})) {
      assertThat(wal.currentSegment()).isEqualTo(1);
    }
    assertThat(WalFiles.segments(dir)).containsExactly(1);
  }
}
