package dev.vigil.tsdb;

import dev.vigil.model.Exemplar;
import dev.vigil.model.SampleIterator;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.MemSeries;
import dev.vigil.tsdb.query.Intervals;
import dev.vigil.tsdb.wal.RecordEncoder;
import dev.vigil.tsdb.wal.RecordType;
import dev.vigil.tsdb.wal.WalFiles;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cuts the head into blocks: when the head spans more than 1.5 block ranges, its oldest aligned
 * range is written as a block (and its rollups), published, dropped from the head, and the WAL is
 * checkpointed so replay starts from the head's new state.
 */
final class HeadCompactor {
  private final Tsdb db;

  HeadCompactor(Tsdb db) {
    this.db = db;
  }

  int compactIfNeeded() throws IOException {
    long range = db.opts.blockRangeMs;
    int n = 0;
    Head head = db.head;
    while (!head.isEmpty() && head.maxTime() - head.minTime() > range / 2 * 3) {
      long a = Math.floorDiv(head.minTime(), range) * range;
      cut(a, a + range);
      n++;
    }
    return n;
  }

  void flushAll() throws IOException {
    Head head = db.head;
    if (!head.isEmpty()) {
      cut(head.minTime(), head.maxTime() + 1);
    }
  }

  /** Persists {@code [a, b)} of the head as a block, then truncates head and WAL. */
  private void cut(long a, long b) throws IOException {
    Head head = db.head;
    db.commitLock.writeLock().lock();
    try {
      head.setMinValidTime(b); // from here on no commit can add samples before b
    } finally {
      db.commitLock.writeLock().unlock();
    }
    List<Block> added = writeBlocks(db.dir, head, a, b, db.opts.rollups, db.opts.clock.getAsLong());
    Set<TsdbQuerier> before = db.openQueriersNow();
    List<Block> all = new ArrayList<>(db.blocks);
    all.addAll(added);
    db.publish(all, b);
    db.awaitQueriers(before);
    head.truncate(b);
    db.metrics.headTruncations.increment();
    if (db.wal != null) {
      checkpoint();
    }
  }

  /**
   * Writes {@code [a, b)} of the head (raw, and rollups when asked) as blocks under {@code dir}.
   */
  static List<Block> writeBlocks(Path dir, Head head, long a, long b, boolean rollups, long now)
      throws IOException {
    RawBlockWriter w = new RawBlockWriter(dir, a, b, rollups, now);
    SeriesSamples buf = new SeriesSamples();
    try {
      for (MemSeries s : head.allSorted()) {
        buf.fill(s.iterator(a, b - 1, head.chunkFile()));
        w.add(s.labels(), buf.ts, buf.vs, buf.n);
      }
    } catch (IOException | RuntimeException e) {
      w.abort();
      throw e;
    }
    RawBlockWriter.Written written = w.finish();
    List<Block> out = new ArrayList<>();
    if (written.raw() != null) {
      out.add(Block.open(dir.resolve(written.raw().id())));
      for (BlockMeta m : written.rollups()) {
        out.add(Block.open(dir.resolve(m.id())));
      }
    }
    return out;
  }

  /** Rolls the WAL, writes the head's state as checkpoint, deletes older segments. */
  private void checkpoint() throws IOException {
    int seg;
    db.commitLock.writeLock().lock();
    try {
      seg = db.wal.roll(); // every commit in segments <= seg is applied to the head now
    } finally {
      db.commitLock.writeLock().unlock();
    }
    Path walDir = db.wal.dir();
    Path tmp = walDir.resolve(WalFiles.checkpointPath(walDir, seg).getFileName() + ".tmp");
    try {
      writeCheckpoint(tmp);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp); // a failed attempt (a full disk) must not keep holding space
      throw e;
    }
    Files.move(tmp, WalFiles.checkpointPath(walDir, seg), StandardCopyOption.ATOMIC_MOVE);
    WalFiles.fsyncDir(walDir);
    // Segments a remote write queue has not sent yet stay (docs/format/wal.md, "Readers").
    int held = dev.vigil.tsdb.wal.WalReaders.in(db.dir).lowestSegment();
    WalFiles.deleteUpTo(walDir, Math.min(seg, held == Integer.MAX_VALUE ? seg : held - 1), seg);
  }

  private void writeCheckpoint(Path tmp) throws IOException {
    RecordEncoder enc = new RecordEncoder();
    Head head = db.head;
    try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
      for (MemSeries s : head.allSorted()) {
        enc.reset();
        enc.begin(RecordType.SERIES);
        enc.series(s.ref(), s.labels());
        enc.end();
        SampleIterator it = s.iterator(head.minValidTime(), Long.MAX_VALUE, head.chunkFile());
        writeSamples(enc, s.ref(), it);
        List<Exemplar> ex = db.exemplars.of(s.labels());
        if (!ex.isEmpty()) {
          dev.vigil.tsdb.head.WalRecords.exemplars(
              enc, java.util.Collections.nCopies(ex.size(), s), ex);
        }
        Intervals del = s.deletedRanges();
        if (!del.isEmpty()) {
          enc.begin(RecordType.TOMBSTONES);
          for (int i = 0; i < del.size(); i++) {
            enc.uvarint(s.ref());
            enc.varint(del.min(i));
            enc.varint(del.max(i));
          }
          enc.end();
        }
        out.write(enc.buffer(), 0, enc.length());
      }
      out.getFD().sync();
    }
  }

  private static void writeSamples(RecordEncoder enc, long ref, SampleIterator it) {
    SeriesSamples s = new SeriesSamples().fill(it);
    if (s.n == 0) {
      return;
    }
    enc.begin(RecordType.SAMPLES);
    enc.uvarint(s.n);
    enc.uvarint(ref);
    enc.varint(s.ts[0]);
    for (int i = 0; i < s.n; i++) {
      enc.varint(0);
      enc.varint(s.ts[i] - s.ts[0]);
      enc.long64(Double.doubleToRawLongBits(s.vs[i]));
    }
    enc.end();
  }
}
