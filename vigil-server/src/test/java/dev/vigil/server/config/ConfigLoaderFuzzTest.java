package dev.vigil.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link ConfigLoader#parse(String, String, Map)}: any text either loads, or fails with a
 * {@link ConfigException} whose message starts with the file (and line, when there is one) and says
 * what is wrong in words, never with a Java message such as {@code For input string}. Nothing else
 * is thrown (no NumberFormatException, ArithmeticException, StackOverflowError...) and nothing
 * hangs, whatever the nesting, aliases, numbers, durations or regular expressions. What loads
 * renders an effective configuration ({@link VigilConfig#effectiveYaml()}) that loads back to
 * itself.
 *
 * <p>{@code scripts/fuzz ConfigLoaderFuzzTest} fuzzes for the annotated duration; otherwise the
 * saved corpus in {@code ConfigLoaderFuzzTestInputs/parse} runs as a regression test. {@link
 * #seededMutations_onlyConfigExceptionNamingFileAndLine} mutates the corpus and {@code
 * vigil.example.yml} (read in place) with a fixed seed in every build, some runs with environment
 * overrides.
 */
class ConfigLoaderFuzzTest {
  private static final String SOURCE = "fuzz.yml";

  // No JUnit @Timeout here: in fuzzing mode it would bound the whole campaign, not one input.
  @FuzzTest(maxDuration = "5m")
  void parse(FuzzedDataProvider data) {
    check(data.consumeRemainingAsString(), Map.of());
  }

  static void check(String text, Map<String, String> env) {
    try {
      VigilConfig c = ConfigLoader.parse(SOURCE, text, env);
      assertThat(c.server().port()).isBetween(0, 65535);
      assertThat(c.scrapeConfigs()).allSatisfy(j -> assertThat(j.jobName()).isNotEmpty());
      // What loads has an effective configuration (/api/v1/status/config) that loads again to
      // the same configuration.
      String effective = EffectiveYaml.render(c, false);
      assertThat(EffectiveYaml.render(ConfigLoader.parse("effective", effective, Map.of()), false))
          .as("effective configuration of%n%s", text)
          .isEqualTo(effective);
    } catch (ConfigException e) {
      String m = e.getMessage();
      assertThat(m)
          .as("names the file (and line) first")
          .matches("(?s)(fuzz\\.yml(:[1-9][0-9]*)?|env VIGIL_[A-Z_]+): .+");
      assertThat(m)
          .as("says what is wrong in words")
          .doesNotContain("For input string")
          .doesNotContain("java.lang")
          .doesNotEndWith(": null");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_onlyConfigExceptionNamingFileAndLine() throws Exception {
    List<String> corpus = new ArrayList<>();
    Path dir =
        Path.of(ConfigLoaderFuzzTest.class.getResource("ConfigLoaderFuzzTestInputs/parse").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        corpus.add(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
      }
    }
    Path example = Path.of(System.getProperty("vigil.root", "..")).resolve("vigil.example.yml");
    assertThat(example).isRegularFile();
    corpus.add(Files.readString(example));
    String alphabet = ":-[]{},&*!|>'\"#\\ \n\t0123456789smhdwyKMGiB.e+()^$?";
    String[] words = {
      "scrape_configs:\n  - job_name: j\n",
      "  ",
      "- ",
      "&a ",
      "*a",
      "<<: *a\n",
      "!!str ",
      "!!int ",
      "!!binary ",
      "? ",
      "{",
      "}",
      "[",
      "]",
      "9999999999999999999999",
      "-1",
      "0x1F",
      "1e400",
      "99999999999y",
      "1h1h",
      "5m30",
      "ms",
      "regex: '",
      "(?<n>a)",
      "(((",
      "\\p{Foo}",
      "[z-a]",
      "action: hashmod\n",
      "modulus: 0\n",
      "listen: ",
      "[::1]:",
      ":99999",
      "~",
      "null",
      ".inf",
      "password_file: ",
      "ca: ",
      "-----BEGIN CERTIFICATE-----\n",
      "\u0000",
      "é"
    };
    String[] envKeys = {
      "VIGIL_SERVER_LISTEN", "VIGIL_STORAGE_RETENTION_TIME", "VIGIL_SERVER_LIMITS_MAX_BODY_SIZE",
      "VIGIL_SERVER_AUTH_READ_TOKENS", "VIGIL_COLLECT_NAMESPACE", "VIGIL_STORAGE_WAL_FSYNC"
    };
    SplittableRandom rnd = new SplittableRandom(20261125);
    for (int i = 0; i < 2_500; i++) {
      StringBuilder sb = new StringBuilder(corpus.get(rnd.nextInt(corpus.size())));
      int edits = 1 + rnd.nextInt(4);
      for (int k = 0; k < edits; k++) {
        int pos = sb.isEmpty() ? 0 : rnd.nextInt(sb.length() + 1);
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
      Map<String, String> env = Map.of();
      if (rnd.nextInt(8) == 0) {
        env =
            Map.of(
                envKeys[rnd.nextInt(envKeys.length)],
                words[rnd.nextInt(words.length)] + alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      String text = sb.toString();
      try {
        check(text, env);
      } catch (AssertionError | RuntimeException | StackOverflowError ex) {
        throw new AssertionError("input (env " + env + ")\n" + text, ex);
      }
    }
  }
}
