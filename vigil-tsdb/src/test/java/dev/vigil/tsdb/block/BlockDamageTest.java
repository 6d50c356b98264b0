package dev.vigil.tsdb.block;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * Damaged block files found by {@link BlockFuzzTest}: opening fails with an {@link IOException}
 * naming the file, the problem and its offset, so the store quarantines the block.
 */
class BlockDamageTest {
  @TempDir Path tmp;

  /** Index bytes: magic, version, then what the test writes, then the CRC. */
  private static final class Index {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Index() {
      out.writeBytes(new byte[] {0x56, 0x49, 0x58, 0x31, 1});
    }

    Index uvarint(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }

    Index symbols(String... s) {
      uvarint(s.length);
      for (String x : s) {
        byte[] b = x.getBytes(StandardCharsets.UTF_8);
        uvarint(b.length);
        out.writeBytes(b);
      }
      return this;
    }

    byte[] bytes() {
      byte[] b = out.toByteArray();
      CRC32 crc = new CRC32();
      crc.update(b);
      byte[] all = new byte[b.length + 4];
      System.arraycopy(b, 0, all, 0, b.length);
      int c = (int) crc.getValue();
      for (int i = 0; i < 4; i++) {
        all[b.length + i] = (byte) (c >>> (24 - 8 * i));
      }
      return all;
    }
  }

  private Path blockWithIndex(byte[] index) throws IOException {
    Path b = BlockFuzzTest.copyTemplate(tmp);
    Files.write(b.resolve("index"), index);
    return b;
  }

  private Path blockWithMeta(byte[] meta) throws IOException {
    Path b = BlockFuzzTest.copyTemplate(tmp);
    Files.write(b.resolve("meta.json"), meta);
    return b;
  }

  @Test
  void seriesWithoutLabels_isRefusedByName() throws Exception {
    Path b = blockWithIndex(new Index().symbols().uvarint(1).uvarint(0).uvarint(0).bytes());
    assertThatThrownBy(() -> Block.open(b))
        .isInstanceOf(IOException.class)
        .hasMessage(b.resolve("index") + ": malformed index: series 0 at offset 7 has no labels");
  }

  @Test
  void postingsNamingASeriesBeyondTheSeriesSection_areRefusedByName() throws Exception {
    RoaringBitmap bm = RoaringBitmap.bitmapOf(0, 65535);
    byte[] bits = new byte[bm.serializedSizeInBytes()];
    bm.serialize(java.nio.ByteBuffer.wrap(bits));
    Index i = new Index().symbols("a", "b").uvarint(1).uvarint(1).uvarint(0).uvarint(1);
    i.uvarint(0); // no chunks
    i.uvarint(1).uvarint(0).uvarint(1).uvarint(bits.length);
    i.out.writeBytes(bits);
    Path b = blockWithIndex(i.bytes());
    assertThatThrownBy(() -> Block.open(b))
        .isInstanceOf(IOException.class)
        .hasMessage(
            b.resolve("index")
                + ": malformed index: postings of a=\"b\" at offset 18: series id 65535 is beyond"
                + " the 1 series");
  }

  @Test
  void symbolCountBeyondTheFile_isRefusedBeforeAllocating() throws Exception {
    Path b = blockWithIndex(new Index().uvarint(1L << 31).uvarint(0).bytes());
    assertThatThrownBy(() -> Block.open(b))
        .isInstanceOf(IOException.class)
        .hasMessage(
            b.resolve("index")
                + ": malformed index: 2147483648 symbols at offset 5 cannot fit in the 1 bytes"
                + " left");
  }

  @Test
  void symbolRefBeyondTheSymbols_isRefusedByName() throws Exception {
    Path b =
        blockWithIndex(
            new Index()
                .symbols("a")
                .uvarint(1)
                .uvarint(1)
                .uvarint(0)
                .uvarint(7)
                .uvarint(0)
                .uvarint(0)
                .bytes());
    assertThatThrownBy(() -> Block.open(b))
        .isInstanceOf(IOException.class)
        .hasMessage(
            b.resolve("index")
                + ": malformed index: symbol ref 7 at offset 11 is beyond the 1 symbols");
  }

  @Test
  void chunkRefIntoNoChunk_isRefusedAtOpen() throws Exception {
    Index i = new Index().symbols("a", "b").uvarint(1).uvarint(1).uvarint(0).uvarint(1);
    i.uvarint(1).uvarint(0).uvarint(10).uvarint((9L << 32) | 100).uvarint((9L << 32) | 100);
    i.uvarint(0); // no postings
    Path b = blockWithIndex(i.bytes());
    assertThatThrownBy(() -> Block.open(b))
        .isInstanceOf(IOException.class)
        .hasMessage(
            b.resolve("index")
                + ": chunk 0 of {a=\"b\"} points at file 9 offset 100, where no chunk is");
  }

  @Test
  void unknownIndexVersion_isRefusedByName() throws Exception {
    byte[] idx = new Index().symbols().uvarint(0).uvarint(0).bytes();
    idx[4] = 7;
    CRC32 crc = new CRC32();
    crc.update(idx, 0, idx.length - 4);
    int c = (int) crc.getValue();
    for (int k = 0; k < 4; k++) {
      idx[idx.length - 4 + k] = (byte) (c >>> (24 - 8 * k));
    }
    Path b = blockWithIndex(idx);
    assertThatThrownBy(() -> Block.open(b))
        .isInstanceOf(IOException.class)
        .hasMessage(b.resolve("index") + ": unsupported index version 7 at offset 4");
  }

  @Test
  void metaThatIsNotUtf8_isRefusedByName() throws Exception {
    Path b = blockWithMeta(new byte[] {'{', (byte) 0xc3, '}'});
    assertThatThrownBy(() -> Block.open(b))
        .isInstanceOf(IOException.class)
        .hasMessage(b.resolve("meta.json") + ": not a valid block meta: not UTF-8");
  }

  @Test
  void metaNumberBeyondALong_isRefusedByName() throws Exception {
    String meta =
        Files.readString(BlockFuzzTest.template().resolve("meta.json"))
            .replace("\"minTime\": 0", "\"minTime\": 99999999999999999999");
    Path b = blockWithMeta(meta.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Block.open(b))
        .isInstanceOf(IOException.class)
        .hasMessage(
            b.resolve("meta.json")
                + ": not a valid block meta: minTime 99999999999999999999 out of range");
  }

  @Test
  void metaEndingBeforeItStarts_isRefusedByName() throws Exception {
    String meta =
        Files.readString(BlockFuzzTest.template().resolve("meta.json"))
            .replace("\"minTime\": 0", "\"minTime\": 9000000");
    Path b = blockWithMeta(meta.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Block.open(b))
        .isInstanceOf(IOException.class)
        .hasMessage(
            b.resolve("meta.json")
                + ": not a valid block meta: maxTime 7200000 before minTime 9000000");
  }
}
