package dev.vigil.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.SampleIterator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index versions: blocks are written with a deflated index (version 2), and a block whose index is
 * version 1 (as every block written before it) still opens and reads the same.
 */
class IndexVersionTest {
  private static final String[] AGGR = {"avg", "count", "counter", "last", "max", "min", "sum"};

  /** A rollup-shaped block: 200 series with seven aggregates each, 24 samples per series. */
  private static Path write(Path dir) throws Exception {
    java.util.TreeMap<Labels, Integer> series = new java.util.TreeMap<>();
    for (int s = 0; s < 200; s++) {
      for (String a : AGGR) {
        series.put(
            Labels.of(
                "__name__",
                "node_cpu_seconds_total",
                "__rollup__",
                a,
                "cpu",
                Integer.toString(s % 8),
                "instance",
                "host-" + s / 8 + ":9100",
                "job",
                "node"),
            s * 10 + a.length());
      }
    }
    BlockWriter w = new BlockWriter(dir, 0, 7_200_000, 1, List.of(), 300_000, 1);
    for (var e : series.entrySet()) {
      long[] ts = new long[24];
      double[] vs = new double[24];
      for (int i = 0; i < 24; i++) {
        ts[i] = 299_000 + i * 300_000L;
        vs[i] = e.getValue() + i;
      }
      w.add(e.getKey(), ts, vs, 24);
    }
    return dir.resolve(w.finish().id());
  }

  private static List<String> readAll(Path block) throws Exception {
    Block b = Block.open(block);
    List<String> out = new ArrayList<>();
    for (int id : b.select(List.of(LabelMatcher.equal("job", "node")))) {
      SampleIterator it = b.iterator(id, Long.MIN_VALUE, Long.MAX_VALUE, new ArrayList<>());
      StringBuilder sb = new StringBuilder(b.labels(id).toString());
      while (it.next()) {
        sb.append(' ').append(it.timestamp()).append('=').append(it.value());
      }
      out.add(sb.toString());
    }
    return out;
  }

  /** The same index as version 1: magic, version byte 1, the inflated body, CRC32. */
  private static byte[] asVersion1(byte[] v2) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(v2, 0, v2.length - 4);
    assertThat(b.getInt()).isEqualTo(IndexWriter.MAGIC);
    assertThat(b.get()).isEqualTo((byte) 2);
    long len = IndexReader.uvarint(b);
    byte[] body;
    try (InflaterInputStream in =
        new InflaterInputStream(
            new java.io.ByteArrayInputStream(v2, b.position(), b.remaining()))) {
      body = in.readAllBytes();
    }
    assertThat(body).hasSize((int) len);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(v2, 0, 4);
    out.write(1);
    out.write(body);
    CRC32 crc = new CRC32();
    crc.update(out.toByteArray());
    int c = (int) crc.getValue();
    out.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    return out.toByteArray();
  }

  @Test
  void versionOneIndex_stillOpensAndReadsTheSame_andVersionTwoIsSmaller(@TempDir Path dir)
      throws Exception {
    Path block = write(dir);
    List<String> v2Read = readAll(block);
    assertThat(v2Read).hasSize(1400);
    byte[] v2 = Files.readAllBytes(block.resolve("index"));
    byte[] v1 = asVersion1(v2);
    Files.write(block.resolve("index"), v1);
    assertThat(readAll(block)).isEqualTo(v2Read);
    assertThat(v2.length).as("deflated index against version 1").isLessThan(v1.length / 3);
  }

  @Test
  void declaredBodyLongerThanDeflateCouldGive_isRefusedBeforeAllocating(@TempDir Path dir)
      throws Exception {
    Path block = write(dir);
    byte[] v2 = Files.readAllBytes(block.resolve("index"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(v2, 0, 5);
    out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
    out.writeBytes(new byte[] {0x78, (byte) 0xda, 0x03, 0x00});
    CRC32 crc = new CRC32();
    crc.update(out.toByteArray());
    int c = (int) crc.getValue();
    out.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    Files.write(block.resolve("index"), out.toByteArray());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Block.open(block))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage(
            block.resolve("index")
                + ": malformed index: (offsets in the inflated body) body of 2147483647 bytes"
                + " cannot inflate from the 4 bytes left");
  }
}
