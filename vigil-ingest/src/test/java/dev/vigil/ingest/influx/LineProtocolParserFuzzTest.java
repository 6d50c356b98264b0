package dev.vigil.ingest.influx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.ingest.FuzzSupport;
import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestStats;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link LineProtocolParser}: any line either parses (a non-empty measurement, at least one
 * field with a non-empty key, numeric fields finite, tags in key/value pairs) or fails with a
 * {@link LineProtocolParser.LineException} whose 1-based column lies on the line (or just past its
 * end). The whole input, posted through {@link InfluxHandler} with each precision, never gets a 5xx
 * and changes nothing stored when no sample is accepted.
 *
 * <p>{@code scripts/fuzz LineProtocolParserFuzzTest} fuzzes for the annotated duration; otherwise
 * the saved corpus in {@code LineProtocolParserFuzzTestInputs/parse} runs as a regression test.
 */
class LineProtocolParserFuzzTest {
  static final String[] PRECISIONS = {null, "ns", "us", "ms", "s", "m", "h"};

  // No JUnit @Timeout here: in fuzzing mode it would bound the whole campaign, not one input.
  @FuzzTest(maxDuration = "5m")
  void parse(byte[] data) {
    check(data);
  }

  static void check(byte[] data) {
    // Findings may hold bytes that are not UTF-8: decoded leniently, as the handler does.
    String text = new String(data, StandardCharsets.UTF_8);
    for (String line : text.split("\n", -1)) {
      checkLine(line);
    }
    String precision = PRECISIONS[Math.floorMod(data.length, PRECISIONS.length)];
    FuzzSupport.Harness h = new FuzzSupport.Harness();
    InfluxHandler handler =
        new InfluxHandler(h.ingester, () -> 1_700_000_000_000L, InfluxHandler.Api.V2);
    IngestRequest req = IngestRequest.builder().param("precision", precision).body(data).build();
    h.check(handler.handle(req), IngestStats.INFLUX, Set.of(204, 400, 413));
  }

  static void checkLine(String line) {
    LineProtocolParser.Point p;
    try {
      p = LineProtocolParser.parse(line);
    } catch (LineProtocolParser.LineException e) {
      assertThat(e.getClass()).isEqualTo(LineProtocolParser.LineException.class);
      assertThat(e.column()).isBetween(1, line.length() + 1);
      assertThat(e.getMessage()).endsWith(" at column " + e.column());
      return;
    }
    assertThat(p.measurement()).isNotEmpty();
    assertThat(p.tags().size() % 2).isZero();
    assertThat(p.tags()).doesNotContain("");
    assertThat(p.fields()).isNotEmpty();
    for (LineProtocolParser.Field f : p.fields()) {
      assertThat(f.key()).isNotEmpty();
      if (f.type() == LineProtocolParser.FieldType.STRING) {
        assertThat(f.text()).isNotNull();
      } else {
        assertThat(Double.isFinite(f.value())).as("value of %s", f).isTrue();
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_neverThrowAnythingButLineException() throws Exception {
    FuzzSupport.mutate(
        FuzzSupport.corpus(LineProtocolParserFuzzTest.class, "parse"),
        20261125,
        5_000,
        FuzzSupport.words(
            ",",
            " ",
            "=",
            "\\",
            "\"",
            "\n",
            "\r\n",
            "#",
            "i",
            "u",
            "-",
            "e",
            "e999",
            "true",
            "9223372036854775807",
            "-9223372036854775808",
            "18446744073709551615u",
            "99999999999",
            "__name__=x",
            ",a=1",
            " f=1",
            "\\ ",
            "\\,",
            "\\="),
        LineProtocolParserFuzzTest::check);
  }
}
