package dev.vigil.ingest.imports;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link CsvDecoder} through {@link ImportHandler}: every line either decodes or is an
 * {@link LineDecoder.ImportLineException} with a column on the line, a failing line adds nothing,
 * and the handler never answers a 5xx nor stores anything when it accepted nothing.
 *
 * <p>{@code scripts/fuzz CsvDecoderFuzzTest} fuzzes; otherwise the saved corpus in {@code
 * CsvDecoderFuzzTestInputs/decode} runs as a regression test.
 */
class CsvDecoderFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void decode(byte[] data) {
    ImportFuzz.check(data, CsvDecoder::new);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_onlyLineErrorsWithColumns() throws Exception {
    ImportFuzz.mutate(
        CsvDecoderFuzzTest.class,
        20261207,
        ",",
        "\"",
        "\"\"",
        "{",
        "}",
        "=",
        "\\",
        "\\n",
        "timestamp,",
        "2026-12-07T10:00:00Z",
        "+Inf",
        "NaN",
        "1e999",
        "9223372036854775807",
        "__name__=\"x\"");
  }
}
