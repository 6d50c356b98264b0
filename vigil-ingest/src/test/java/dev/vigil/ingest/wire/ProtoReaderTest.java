package dev.vigil.ingest.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProtoReaderTest {
  @Test
  void writerAndReader_agreeOnEveryWireType() {
    byte[] b =
        new ProtoWriter()
            .varint(1, 300)
            .varint(2, -5)
            .doubleField(3, 1.5)
            .string(4, "héllo")
            .message(5, m -> m.fixed64(1, 42))
            .sint64(6, -3)
            .toByteArray();
    ProtoReader r = new ProtoReader(b);
    assertThat(ProtoReader.field(r.readTag())).isEqualTo(1);
    assertThat(r.readVarint64()).isEqualTo(300);
    r.readTag();
    assertThat(r.readVarint64()).isEqualTo(-5);
    r.readTag();
    assertThat(r.readDouble()).isEqualTo(1.5);
    r.readTag();
    assertThat(r.readString()).isEqualTo("héllo");
    r.readTag();
    int saved = r.enter();
    r.readTag();
    assertThat(r.readFixed64()).isEqualTo(42);
    assertThat(r.hasMore()).isFalse();
    r.leave(saved);
    r.readTag();
    assertThat(r.readSint64()).isEqualTo(-3);
    assertThat(r.hasMore()).isFalse();
  }

  @Test
  void lengthPastEnd_isRejectedWithOffset() {
    byte[] b = new ProtoWriter().string(1, "abcdef").toByteArray();
    byte[] cut = java.util.Arrays.copyOf(b, b.length - 2);
    ProtoReader r = new ProtoReader(cut);
    r.readTag();
    assertThatThrownBy(r::readString)
        .isInstanceOf(ProtoException.class)
        .hasMessageContaining("at byte 1")
        .hasMessageContaining("runs past the end");
  }

  @Test
  void truncatedVarint_isRejected() {
    ProtoReader r = new ProtoReader(new byte[] {8, (byte) 0x80});
    r.readTag();
    assertThatThrownBy(r::readVarint64).hasMessageContaining("truncated varint");
  }

  @Test
  void fieldZeroAndGroupWireTypes_areRejected() {
    assertThatThrownBy(() -> new ProtoReader(new byte[] {0}).readTag())
        .hasMessageContaining("invalid field tag");
    assertThatThrownBy(() -> new ProtoReader(new byte[] {(1 << 3) | 3}).readTag())
        .hasMessageContaining("unsupported wire type 3");
  }
}
