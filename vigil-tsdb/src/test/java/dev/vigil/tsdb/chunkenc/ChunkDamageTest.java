package dev.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Damaged chunks found by {@link ChunkFuzzTest}: each fails with a message naming the problem. */
class ChunkDamageTest {
  @Test
  void xorChunkShorterThanItsCount_isRefusedByLength() {
    assertThatThrownBy(() -> XorChunk.iterator(new byte[0], 0, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("XOR chunk of 0 bytes is too short for its 2-byte sample count");
    assertThatThrownBy(() -> XorChunk.iterator(new byte[] {0}, 0, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("XOR chunk of 1 bytes is too short for its 2-byte sample count");
  }

  @Test
  void xorChunkWithAValueWindowWiderThan64Bits_failsNamingTheWindow() {
    BitWriter w = new BitWriter(32);
    w.writeBits(2, 16); // two samples
    w.writeBits(1000, 64);
    w.writeBits(Double.doubleToRawLongBits(1.0), 64);
    w.writeBit(false); // dod 0
    w.writeBits(0b11, 2); // new window
    w.writeBits(31, 5); // 31 leading zeros
    w.writeBits(63, 6); // 63 meaningful bits: 94 > 64
    w.writeBits(0, 63);
    byte[] b = w.toByteArray();
    ChunkIterator it = XorChunk.iterator(b, 0, b.length);
    it.next();
    assertThatThrownBy(it::next)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("XOR value window of 31 leading zeros and 63 bits exceeds 64 (sample 1)");
  }

  @Test
  void valueColumnWithAValueWindowWiderThan64Bits_failsNamingTheWindow() {
    BitWriter w = new BitWriter(32);
    w.writeBits(ColdCodec.XOR, 8);
    w.writeBits(Double.doubleToRawLongBits(1.0), 64);
    w.writeBits(0b11, 2);
    w.writeBits(20, 5);
    w.writeBits(0, 6); // 0 stands for 64 meaningful bits
    w.writeBits(0, 64);
    byte[] b = w.toByteArray();
    assertThatThrownBy(() -> ColdCodec.decodeValues(b, 0, b.length, 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("XOR value window of 20 leading zeros and 64 bits exceeds 64 (value 1)");
  }

  @Test
  void timestampColumnClaimingMoreSamplesThanItsBytesHold_isRefusedBeforeAllocating() {
    BitWriter w = new BitWriter(8);
    w.writeUvarint(1 << 24); // 16 Mi samples (128 MiB of longs) in 4 bytes
    w.writeBits(0, 8);
    byte[] b = w.toByteArray();
    assertThatThrownBy(() -> ColdCodec.decodeTimestamps(b, 0, b.length))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("timestamp column claims 16777216 samples in 5 bytes");
  }

  @Test
  void integerWidthAbove64_failsNamingTheWidth() {
    BitWriter w = new BitWriter(32);
    w.writeUvarint(1);
    w.writeBit(false); // delta mode
    w.writeBits(127, 7); // width 127
    w.writeBits(0, 64);
    w.writeBits(0, 64);
    byte[] b = w.toByteArray();
    assertThatThrownBy(() -> ColdCodec.decodeTimestamps(b, 0, b.length))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("integer width 127 (above 64) before bit 16");
  }

  @Test
  void readingMoreThan64BitsAtOnce_isAProgrammingError() {
    BitReader r = new BitReader(new byte[32], 0, 32);
    assertThatThrownBy(() -> r.readBits(65))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot read 65 bits at once (1 to 64)");
  }
}
