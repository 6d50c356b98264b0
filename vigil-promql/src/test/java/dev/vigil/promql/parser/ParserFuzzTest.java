package dev.vigil.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the parser: any input either parses (and its printed form parses again to the same text)
 * or fails with a {@link ParseException}; nothing else is thrown and nothing hangs.
 *
 * <p>{@code scripts/fuzz ParserFuzzTest} fuzzes for the annotated duration; otherwise the saved
 * corpus in {@code ParserFuzzTestInputs/parse} runs as a regression test. {@link
 * #seededMutations_neverThrowAnythingButParseException} runs a deterministic mutation campaign in
 * every build.
 */
class ParserFuzzTest {
  // No JUnit @Timeout here: in fuzzing mode it would bound the whole campaign, not one input.
  @FuzzTest(maxDuration = "5m")
  void parse(FuzzedDataProvider data) {
    check(data.consumeRemainingAsString());
  }

  static void check(String query) {
    Expr e;
    try {
      e = Parser.parse(query);
    } catch (ParseException expected) {
      return;
    }
    String printed = Printer.print(e);
    String again = Printer.print(Parser.parse(printed));
    assertThat(again).as("printed form of %s", query).isEqualTo(printed);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_neverThrowAnythingButParseException() throws Exception {
    List<String> corpus = new ArrayList<>();
    Path dir = Path.of(ParserFuzzTest.class.getResource("ParserFuzzTestInputs/parse").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        // Saved findings may hold bytes that are not UTF-8: decoded leniently, as text arrives.
        corpus.add(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
      }
    }
    String alphabet = "(){}[],:@=!~<>+-*/%^\"'`#\\ \n.0123456789eExXabcdmsyhwonby_é";
    String[] words = {
      "sum", "by", "without", "on", "ignoring", "group_left", "offset", "bool", "and", "or",
      "unless", "rate", "[5m]", "[1m:]", "@ start()", "topk(", "Inf", "NaN", "1e308", "0x"
    };
    SplittableRandom rnd = new SplittableRandom(20261125);
    for (int i = 0; i < 20_000; i++) {
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
      String q = sb.toString();
      try {
        check(q);
      } catch (AssertionError | RuntimeException ex) {
        throw new AssertionError("input " + q, ex);
      }
    }
  }
}
