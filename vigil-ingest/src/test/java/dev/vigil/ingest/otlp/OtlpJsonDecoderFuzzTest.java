package dev.vigil.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.ingest.FuzzSupport;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link OtlpJsonDecoder}: any body either decodes (and decodes again to the same model) or
 * fails with an {@link OtlpJsonDecoder.JsonException} naming the JSON position or path; nothing
 * else is thrown (no bare {@link IllegalArgumentException} from a library, no {@link
 * NullPointerException}). The same bytes posted through {@link OtlpHandler} as {@code
 * application/json} never get a 5xx and change nothing stored when no point is accepted.
 *
 * <p>{@code scripts/fuzz OtlpJsonDecoderFuzzTest} fuzzes for the annotated duration; otherwise the
 * saved corpus in {@code OtlpJsonDecoderFuzzTestInputs/decode} runs as a regression test.
 */
class OtlpJsonDecoderFuzzTest {
  // No JUnit @Timeout here: in fuzzing mode it would bound the whole campaign, not one input.
  @FuzzTest(maxDuration = "5m")
  void decode(byte[] data) {
    check(data);
  }

  static void check(byte[] data) {
    try {
      List<OtlpModel.ResourceMetrics> m = OtlpJsonDecoder.decode(data);
      assertThat(m).isNotNull();
      assertThat(OtlpJsonDecoder.decode(data))
          .usingRecursiveComparison()
          .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class)
          .isEqualTo(m);
    } catch (OtlpJsonDecoder.JsonException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    OtlpProtoDecoderFuzzTest.throughHandler(data, "application/json");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_neverThrowAnythingButJsonException() throws Exception {
    FuzzSupport.mutate(
        FuzzSupport.corpus(OtlpJsonDecoderFuzzTest.class, "decode"),
        20261125,
        5_000,
        FuzzSupport.words(
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "\"",
            "null",
            "true",
            "1e400",
            "-1",
            "\"NaN\"",
            "\"resourceMetrics\"",
            "\"scopeMetrics\"",
            "\"metrics\"",
            "\"dataPoints\"",
            "\"attributes\"",
            "\"value\"",
            "\"arrayValue\"",
            "\"kvlistValue\"",
            "\"values\"",
            "\"bytesValue\":\"@@\"",
            "\"intValue\"",
            "\"asInt\"",
            "\"bucketCounts\"",
            "\"quantileValues\"",
            "\"aggregationTemporality\"",
            "18446744073709551616"),
        OtlpJsonDecoderFuzzTest::check);
  }
}
