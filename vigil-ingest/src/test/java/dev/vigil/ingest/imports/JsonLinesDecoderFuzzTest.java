package dev.vigil.ingest.imports;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link JsonLinesDecoder} through {@link ImportHandler}: every line either decodes or is an
 * {@link LineDecoder.ImportLineException} with a column on the line, a failing line adds nothing,
 * and the handler never answers a 5xx nor stores anything when it accepted nothing.
 *
 * <p>{@code scripts/fuzz JsonLinesDecoderFuzzTest} fuzzes; otherwise the saved corpus in {@code
 * JsonLinesDecoderFuzzTestInputs/decode} runs as a regression test.
 */
class JsonLinesDecoderFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void decode(byte[] data) {
    ImportFuzz.check(data, JsonLinesDecoder::new);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_onlyLineErrorsWithColumns() throws Exception {
    ImportFuzz.mutate(
        JsonLinesDecoderFuzzTest.class,
        20261207,
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\u0000",
        "\"__name__\"",
        "\"values\"",
        "\"timestamps\"",
        "\"NaN\"",
        "1e999",
        "-0",
        "9223372036854775808",
        "null",
        "true");
  }
}
