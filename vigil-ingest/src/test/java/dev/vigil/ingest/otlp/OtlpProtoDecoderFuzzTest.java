package dev.vigil.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.ingest.FuzzSupport;
import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.wire.ProtoException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link OtlpProtoDecoder}: any message either decodes (and decodes again to the same model:
 * no hidden state) or fails with a {@link ProtoException} naming the byte offset; deep nesting of
 * attribute values is an error, not a {@link StackOverflowError}. The same bytes posted through
 * {@link OtlpHandler} never get a 5xx and change nothing stored when no point is accepted.
 *
 * <p>{@code scripts/fuzz OtlpProtoDecoderFuzzTest} fuzzes for the annotated duration; otherwise the
 * saved corpus in {@code OtlpProtoDecoderFuzzTestInputs/decode} runs as a regression test.
 */
class OtlpProtoDecoderFuzzTest {
  static final Set<Integer> STATUSES = Set.of(200, 400, 413);

  // No JUnit @Timeout here: in fuzzing mode it would bound the whole campaign, not one input.
  @FuzzTest(maxDuration = "5m")
  void decode(byte[] data) {
    check(data);
  }

  static void check(byte[] data) {
    try {
      List<OtlpModel.ResourceMetrics> m = OtlpProtoDecoder.decode(data);
      assertThat(m).isNotNull();
      assertThat(OtlpProtoDecoder.decode(data))
          .usingRecursiveComparison()
          .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class)
          .isEqualTo(m);
    } catch (ProtoException e) {
      assertThat(e.getClass()).isEqualTo(ProtoException.class);
      assertThat(e.getMessage()).startsWith("malformed protobuf at byte ");
      assertThat(e.offset()).isBetween(0, data.length);
    }
    throughHandler(data, "application/x-protobuf");
  }

  static void throughHandler(byte[] body, String contentType) {
    FuzzSupport.Harness h = new FuzzSupport.Harness();
    OtlpHandler handler = new OtlpHandler(h.ingester, () -> 1_700_000_000_000L);
    IngestRequest req =
        IngestRequest.builder().header("Content-Type", contentType).body(body).build();
    h.check(handler.handle(req), IngestStats.OTLP, STATUSES);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_neverThrowAnythingButProtoException() throws Exception {
    FuzzSupport.mutate(
        FuzzSupport.corpus(OtlpProtoDecoderFuzzTest.class, "decode"),
        20261125,
        5_000,
        new byte[][] {
          {0x0a},
          {0x12},
          {0x2a},
          {0x32},
          {0x3a},
          {0x09},
          {0x11},
          {0x19},
          {0x21},
          {(byte) 0xff, (byte) 0xff, 0x7f},
          {0x2a, 0x02, 0x0a, 0x00},
          {0x08, 0x01}
        },
        OtlpProtoDecoderFuzzTest::check);
  }
}
