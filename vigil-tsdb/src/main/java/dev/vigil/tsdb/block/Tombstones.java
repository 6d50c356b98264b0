package dev.vigil.tsdb.block;

import dev.vigil.tsdb.query.Intervals;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A block's deleted ranges per series id, in its {@code tombstones} file: magic, count, then
 * (series id uvarint, min varint, max varint) entries, then a CRC32. Immutable; {@link #with}
 * returns a new set that {@link #write} replaces atomically.
 */
public final class Tombstones {
  static final String FILE = "tombstones";
  private static final int MAGIC = 0x56545331; // "VTS1"

  private final Map<Integer, Intervals> byId;

  private Tombstones(Map<Integer, Intervals> byId) {
    this.byId = byId;
  }

  public static final Tombstones NONE = new Tombstones(Map.of());

  public Intervals get(int id) {
    return byId.getOrDefault(id, Intervals.NONE);
  }

  public boolean isEmpty() {
    return byId.isEmpty();
  }

  public Tombstones with(int id, long mint, long maxt) {
    Map<Integer, Intervals> m = new HashMap<>(byId);
    m.merge(id, Intervals.of(mint, maxt), Intervals::addAll);
    return new Tombstones(m);
  }

  static Tombstones read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return NONE;
    }
    byte[] all = Files.readAllBytes(file);
    CRC32 crc = new CRC32();
    crc.update(all, 0, Math.max(0, all.length - 4));
    ByteBuffer b = ByteBuffer.wrap(all);
    if (all.length < 8
        || b.getInt(0) != MAGIC
        || (int) crc.getValue() != b.getInt(all.length - 4)) {
      throw new IOException(file + ": damaged tombstones file (magic or CRC mismatch)");
    }
    b.position(4);
    b.limit(all.length - 4);
    Map<Integer, Intervals> m = new HashMap<>();
    long n = IndexReader.uvarint(b);
    for (long i = 0; i < n; i++) {
      int id = (int) IndexReader.uvarint(b);
      long min = IndexReader.varint(b);
      long max = IndexReader.varint(b);
      m.merge(id, Intervals.of(min, max), Intervals::addAll);
    }
    return new Tombstones(m);
  }

  /** Writes to {@code dir/tombstones} via a temporary file and an atomic rename. */
  public void write(Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    int count = byId.values().stream().mapToInt(Intervals::size).sum();
    IndexWriter.uvarint(out, count);
    for (Map.Entry<Integer, Intervals> e : byId.entrySet()) {
      for (int i = 0; i < e.getValue().size(); i++) {
        IndexWriter.uvarint(out, e.getKey());
        IndexWriter.varint(out, e.getValue().min(i));
        IndexWriter.varint(out, e.getValue().max(i));
      }
    }
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.write(tmp, bytes.toByteArray());
    try (var c = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      c.force(true);
    }
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
  }
}
