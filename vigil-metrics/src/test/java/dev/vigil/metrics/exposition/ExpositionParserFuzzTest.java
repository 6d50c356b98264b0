package dev.vigil.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.metrics.model.MetricFamily;
import dev.vigil.metrics.model.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link ExpositionParser} in both modes: any input either parses, or fails with an {@link
 * ExpositionParseException} whose message names the line; nothing else is thrown and nothing hangs.
 * What parses is re-emitted by the matching writer ({@link OpenMetricsTextWriter}, {@link
 * PrometheusTextWriter}) whenever a snapshot can hold it ({@link FamilySnapshots}); the re-emitted
 * text must parse again, to families that the writer prints to the same text.
 *
 * <p>{@code scripts/fuzz ExpositionParserFuzzTest} fuzzes each mode for the annotated duration;
 * otherwise the saved corpus in {@code ExpositionParserFuzzTestInputs/<method>} runs as a
 * regression test. The {@code seededMutations_} tests mutate the corpus and the OpenMetrics test
 * data in {@code ../shared/openmetrics} (read in place) with a fixed seed in every build.
 */
class ExpositionParserFuzzTest {
  // No JUnit @Timeout on the fuzz methods: in fuzzing mode it would bound the whole campaign.
  @FuzzTest(maxDuration = "5m")
  void openMetrics(FuzzedDataProvider data) {
    checkBytes(data.consumeRemainingAsBytes(), true);
  }

  @FuzzTest(maxDuration = "5m")
  void prometheus(FuzzedDataProvider data) {
    checkBytes(data.consumeRemainingAsBytes(), false);
  }

  /** The stream entry point: also checks the UTF-8 validation. */
  static void checkBytes(byte[] body, boolean openMetrics) {
    ExpositionParser p = parser(openMetrics);
    List<MetricFamily> families;
    try {
      families = p.parse(new ByteArrayInputStream(body));
    } catch (ExpositionParseException e) {
      assertNamesLine(e);
      return;
    } catch (IOException e) {
      throw new AssertionError("a byte array cannot fail to read", e);
    }
    roundTrip(families, openMetrics, new String(body, StandardCharsets.UTF_8));
  }

  static void check(String text, boolean openMetrics) {
    List<MetricFamily> families;
    try {
      families = parser(openMetrics).parse(text);
    } catch (ExpositionParseException e) {
      assertNamesLine(e);
      return;
    }
    roundTrip(families, openMetrics, text);
  }

  private static ExpositionParser parser(boolean openMetrics) {
    return openMetrics ? ExpositionParser.openMetrics() : ExpositionParser.prometheus();
  }

  private static void assertNamesLine(ExpositionParseException e) {
    assertThat(e.getMessage()).startsWith("line " + e.line() + ": ");
    assertThat(e.line()).isNotNegative();
    assertThat(e.column()).isNotNegative();
  }

  private static void roundTrip(List<MetricFamily> families, boolean openMetrics, String input) {
    Optional<MetricSnapshots> snapshots = FamilySnapshots.of(families);
    if (snapshots.isEmpty()) {
      return;
    }
    ExpositionWriter w =
        openMetrics ? OpenMetricsTextWriter.INSTANCE : PrometheusTextWriter.INSTANCE;
    String printed = w.toString(snapshots.get());
    List<MetricFamily> again;
    try {
      again = parser(openMetrics).parse(printed);
    } catch (ExpositionParseException e) {
      throw new AssertionError(
          "re-emitted text does not parse: " + e.getMessage() + "\n" + printed + "\nfrom\n" + input,
          e);
    }
    Optional<MetricSnapshots> second = FamilySnapshots.of(again);
    assertThat(second).as("re-emitted text\n%s\nfrom\n%s", printed, input).isPresent();
    assertThat(w.toString(second.get())).as("re-emitted text of\n%s", input).isEqualTo(printed);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_openMetrics_onlyExpositionParseExceptionAndRoundTrips() throws Exception {
    mutate("openMetrics", true, 20261125L);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_prometheus_onlyExpositionParseExceptionAndRoundTrips() throws Exception {
    mutate("prometheus", false, 20261126L);
  }

  private static void mutate(String method, boolean openMetrics, long seed) throws Exception {
    List<String> corpus = seeds(method);
    String alphabet = "{}=,\"\\# \t\n.0123456789eE+-_:abcxyzInfNa_é\u0000";
    String[] words = {
      "# TYPE ",
      "# HELP ",
      "# UNIT ",
      "# EOF\n",
      "counter",
      "gauge",
      "histogram",
      "summary",
      "gaugehistogram",
      "stateset",
      "info",
      "unknown",
      "untyped",
      "_total",
      "_bucket",
      "_count",
      "_sum",
      "_created",
      "_gsum",
      "_gcount",
      "_info",
      "le=\"+Inf\"",
      "quantile=\"0.5\"",
      " # {a=\"b\"} 1",
      " 1700000000.5",
      " 1e308",
      " -Inf",
      " NaN",
      "\\n",
      "\\\"",
      "\n",
      "{",
      "}"
    };
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder(corpus.get(rnd.nextInt(corpus.size())));
      int edits = 1 + rnd.nextInt(4);
      for (int k = 0; k < edits; k++) {
        int pos = sb.isEmpty() ? 0 : rnd.nextInt(sb.length() + 1);
        switch (rnd.nextInt(5)) {
          case 0 -> sb.insert(pos, alphabet.charAt(rnd.nextInt(alphabet.length())));
          case 1 -> {
            if (pos < sb.length()) {
              sb.deleteCharAt(pos);
            }
          }
          case 2 -> {
            if (pos < sb.length()) {
              sb.setCharAt(pos, alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
          }
          case 3 -> {
            // Duplicate or drop a line: exercises grouping, ordering and repeated metadata.
            int from = sb.lastIndexOf("\n", Math.max(0, pos - 1)) + 1;
            int to = sb.indexOf("\n", pos);
            if (to >= 0 && from <= to) {
              String line = sb.substring(from, to + 1);
              if (rnd.nextBoolean()) {
                sb.insert(from, line);
              } else {
                sb.delete(from, to + 1);
              }
            }
          }
          default -> sb.insert(pos, words[rnd.nextInt(words.length)]);
        }
      }
      String text = sb.toString();
      try {
        check(text, openMetrics);
      } catch (AssertionError | RuntimeException ex) {
        throw new AssertionError("input " + text, ex);
      }
    }
  }

  /** The saved corpus of a target plus every input of the OpenMetrics test data. */
  private static List<String> seeds(String method) throws Exception {
    List<String> corpus = new ArrayList<>();
    Path dir =
        Path.of(
            ExpositionParserFuzzTest.class
                .getResource("ExpositionParserFuzzTestInputs/" + method)
                .toURI());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        // Saved findings may hold bytes that are not UTF-8: decoded leniently, as text arrives.
        corpus.add(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
      }
    }
    Path shared = OpenMetricsConformanceTest.casesDir();
    assertThat(shared).as("OpenMetrics test data at %s", shared).isDirectory();
    try (Stream<Path> cases = Files.list(shared)) {
      for (Path c : cases.sorted().toList()) {
        Path metrics = c.resolve("metrics");
        if (Files.isRegularFile(metrics)) {
          corpus.add(new String(Files.readAllBytes(metrics), StandardCharsets.UTF_8));
        }
      }
    }
    return corpus;
  }
}
