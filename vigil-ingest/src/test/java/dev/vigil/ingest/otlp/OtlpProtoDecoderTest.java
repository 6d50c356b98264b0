package dev.vigil.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.ingest.wire.ProtoException;
import dev.vigil.ingest.wire.ProtoWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile inputs for {@link OtlpProtoDecoder} found while writing its fuzz target. */
class OtlpProtoDecoderTest {
  /**
   * A request whose one resource attribute is {@code levels} array values nested in each other,
   * built from the inside out (prepending) so deep inputs are cheap to make.
   */
  static byte[] nestedArrays(int levels) {
    byte[] buf = new byte[levels * 8 + 64];
    int start = buf.length;
    // Innermost AnyValue { string_value = "x" }.
    buf[--start] = 'x';
    buf[--start] = 1;
    buf[--start] = 0x0a;
    for (int i = 0; i < levels; i++) {
      start = wrap(buf, start, 0x0a); // ArrayValue { values = 1 }
      start = wrap(buf, start, 0x2a); // AnyValue { array_value = 5 }
    }
    byte[] value = Arrays.copyOfRange(buf, start, buf.length);
    byte[] kv = new ProtoWriter().string(1, "deep").bytes(2, value).toByteArray();
    byte[] resource = new ProtoWriter().bytes(1, kv).toByteArray();
    return new ProtoWriter().message(1, rm -> rm.bytes(1, resource)).toByteArray();
  }

  /** Prepends a LEN field header (tag, varint length of what follows) before {@code start}. */
  private static int wrap(byte[] buf, int start, int tag) {
    int len = buf.length - start;
    byte[] varint = new byte[5];
    int n = 0;
    while (len >= 0x80) {
      varint[n++] = (byte) (len | 0x80);
      len >>>= 7;
    }
    varint[n++] = (byte) len;
    for (int i = n - 1; i >= 0; i--) {
      buf[--start] = varint[i];
    }
    buf[--start] = (byte) tag;
    return start;
  }

  @Test
  void nestedArrayValues_renderAsJson() {
    List<OtlpModel.ResourceMetrics> m = OtlpProtoDecoder.decode(nestedArrays(3));
    assertThat(m.get(0).attributes()).containsEntry("deep", "[[[\"x\"]]]");
  }

  @Test
  void attributeValuesNestedPastTheLimit_areMalformedNotAStackOverflow() {
    // 200,000 levels (about 1.4 MB): recursed without a limit, this overflowed the stack.
    assertThatThrownBy(() -> OtlpProtoDecoder.decode(nestedArrays(200_000)))
        .isInstanceOf(ProtoException.class)
        .hasMessageMatching(
            "malformed protobuf at byte \\d+: attribute value nested deeper than 100 levels");
    assertThat(OtlpProtoDecoder.decode(nestedArrays(99)).get(0).attributes()).containsKey("deep");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void manyUnpackedBucketCounts_decodeInLinearTime() {
    // 300,000 single fixed64 bucket_counts fields (2.7 MB): each one copied the whole array
    // before, quadratic in the count.
    int n = 300_000;
    ProtoWriter point = new ProtoWriter();
    for (int i = 0; i < n; i++) {
      point.fixed64(6, i);
    }
    byte[] p = point.toByteArray();
    byte[] req =
        new ProtoWriter()
            .message(
                1,
                rm ->
                    rm.message(
                        2,
                        sm ->
                            sm.message(2, mt -> mt.string(1, "h").message(9, h -> h.bytes(1, p)))))
            .toByteArray();
    long[] counts =
        OtlpProtoDecoder.decode(req)
            .get(0)
            .scopes()
            .get(0)
            .metrics()
            .get(0)
            .histograms()
            .get(0)
            .bucketCounts();
    assertThat(counts).hasSize(n);
    assertThat(counts[n - 1]).isEqualTo(n - 1);
  }
}
