package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link Params}' time and duration parsers, which every endpoint runs on client text before
 * any limit applies: any text is either a value within Prometheus' time range or a {@code bad_data}
 * {@link ApiError} naming the parameter and quoting at most 64 characters of the text. Nothing else
 * is thrown (no NumberFormatException, ArithmeticException, DateTimeException...), and a text of
 * any exponent is answered at once.
 *
 * <p>An input is the parameter name, a newline, and the text. {@code scripts/fuzz ParamsFuzzTest}
 * fuzzes for the annotated duration; otherwise the saved corpus in {@code
 * ParamsFuzzTestInputs/parse} runs as a regression test. {@link
 * #seededMutations_onlyValuesOrBadDataNamingTheParameter} mutates the corpus with a fixed seed in
 * every build.
 */
class ParamsFuzzTest {
  // No JUnit @Timeout here: in fuzzing mode it would bound the whole campaign, not one input.
  @FuzzTest(maxDuration = "5m")
  void parse(FuzzedDataProvider data) {
    check(data.consumeRemainingAsString());
  }

  static void check(String input) {
    int nl = input.indexOf('\n');
    String name = nl < 0 ? "time" : input.substring(0, nl);
    String text = nl < 0 ? input : input.substring(nl + 1);
    try {
      long t = Params.parseTime(name, text);
      assertThat(t).isBetween(Params.MIN_TIME, Params.MAX_TIME);
    } catch (ApiError e) {
      checkError(e, name, "to a valid timestamp");
    }
    try {
      Params.parseDuration(name, text);
    } catch (ApiError e) {
      checkError(e, name, "to a valid duration");
    }
    try {
      Duration d = Params.parsePreciseDuration(name, text);
      assertThat(d).isNotNull();
    } catch (ApiError e) {
      checkError(e, name, "to a valid duration");
    }
  }

  private static void checkError(ApiError e, String name, String what) {
    assertThat(e.type()).isEqualTo(ApiError.Type.BAD_DATA);
    assertThat(e.getMessage())
        .startsWith("invalid parameter \"" + name + "\": cannot parse \"")
        .contains(what)
        .hasSizeLessThanOrEqualTo(name.length() + 200);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_onlyValuesOrBadDataNamingTheParameter() throws Exception {
    List<String> corpus = new ArrayList<>();
    Path dir = Path.of(ParamsFuzzTest.class.getResource("ParamsFuzzTestInputs/parse").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        corpus.add(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
      }
    }
    String alphabet = "0123456789.eE+-:TZzx smhdwy_\u0000é";
    String[] words = {
      "e-99999999999",
      "e+2147483647",
      "1e308",
      "Inf",
      "NaN",
      "infinity",
      "0x",
      "p3",
      "1d",
      "f",
      "2015-07-01T20:10:51",
      ".781",
      "Z",
      "+02:00",
      "-292273086",
      "999999999",
      "1y",
      "1w",
      "5m",
      "100ms",
      "0",
      "9".repeat(40)
    };
    SplittableRandom rnd = new SplittableRandom(20261207);
    for (int i = 0; i < 5_000; i++) {
      StringBuilder sb = new StringBuilder(corpus.get(rnd.nextInt(corpus.size())));
      int edits = 1 + rnd.nextInt(4);
      for (int k = 0; k < edits; k++) {
        int from = sb.indexOf("\n") + 1;
        int pos = from + rnd.nextInt(sb.length() - from + 1);
        switch (rnd.nextInt(4)) {
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
          default -> sb.insert(pos, words[rnd.nextInt(words.length)]);
        }
      }
      String in = sb.toString();
      try {
        check(in);
      } catch (AssertionError | RuntimeException ex) {
        throw new AssertionError("input " + in, ex);
      }
    }
  }
}
