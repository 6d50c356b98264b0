package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regular expressions match what Prometheus' {@code labels.FastRegexMatcher} matches (Go's RE2,
 * {@code ^(?s:re)$}), refuse what RE2 refuses, and never backtrack.
 */
class RegexTest {

  /** pattern, value, expected: the semantics of Prometheus 3 (Go regexp, anchored, DotNL). */
  @ParameterizedTest(name = "\"{0}\" ~ \"{1}\" = {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        // Fully anchored: never a substring match.
        "foo|foo|true",
        "foo|foobar|false",
        "foo|xfoo|false",
        "fo|foo|false",
        "'foo|bar'|bar|true",
        "'foo|bar'|foobar|false",
        "a.c|abc|true",
        "a.c|abcd|false",
        // ^ and $ inside are harmless (one-line mode): they still mean the ends of the value.
        "^foo$|foo|true",
        "'foo$'|'foo\n'|false",
        // '.' matches a newline ((?s) as Prometheus compiles it).
        ".*|'a\nb'|true",
        "a.b|'a\nb'|true",
        ".+|'\n'|true",
        ".+|''|false",
        ".*|''|true",
        "'foo.*'|'foo\nbar'|true",
        "'.*bar'|'foo\nbar'|true",
        // Case-insensitive flag, also folding the Kelvin sign as Go does.
        "(?i)abc|ABC|true",
        "(?i)abc|aBc|true",
        "abc|ABC|false",
        "(?i)k|\u212A|true",
        "(?i:a)b|Ab|true",
        "(?i:a)b|AB|false",
        // Unicode classes and Perl classes.
        "\\p{Greek}+|αβγ|true",
        "\\p{Greek}+|abc|false",
        "\\pL+|日本語|true",
        "\\pN+|٣٤|true",
        "\\d+|123|true",
        // Perl \\d is ASCII only in RE2 (not Arabic-Indic digits).
        "\\d+|٣٤|false",
        "[[:alpha:]]+|abc|true",
        "\\w+|héllo|false",
        // Literal sets, with and without a group.
        "'(a|b|c)'|b|true",
        "'(?:a|b|c)'|c|true",
        "'a|b|c'|d|false",
        "'a|'|''|true",
        // Escaped punctuation is literal.
        "'a\\.b'|a.b|true",
        "'a\\.b'|axb|false",
        "'10\\.0\\..*'|10.0.1.2|true",
        // Repetition and the bombs, in linear time.
        "((a+)+)+b|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!|false",
        "(.*){20}b|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab|true",
        "(x+x+)+y|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx|false",
        "a{2,3}|aaa|true",
        "a{2,3}|aaaa|false",
        // Named groups in both Go spellings.
        "(?P<x>a)b|ab|true",
        "(?<x>a)b|ab|true",
      })
  void matches_likePrometheus(String pattern, String value, boolean expected) {
    assertThat(Regex.compile(pattern).matches(value)).isEqualTo(expected);
    // The automaton agrees with the fast path wherever one is taken.
    assertThat(Regex.compile(pattern).matcher(value).matches()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "(a)\\1|invalid escape sequence: `\\1`|3",
        "(?=a)|invalid or unsupported Perl syntax: `(?=`|0",
        "(?!a)b|invalid or unsupported Perl syntax: `(?!`|0",
        "(?<=a)b|invalid named capture: `(?<=a)b`|0",
        "a++|invalid nested repetition operator: `++`|1",
        "a*+|invalid nested repetition operator: `*+`|1",
        "x{2,1}|invalid repeat count: `{2,1}`|1",
        "[a-|missing closing ]: `[a-`|0",
        "\\p{javaLowerCase}|invalid character class range: `\\p{javaLowerCase}`|0",
        "ab)|unexpected ): `ab)`|2",
      })
  void compile_re2InvalidPattern_isRefusedNamingProblemAndPosition(
      String pattern, String problem, int position) {
    assertThatThrownBy(() -> Regex.compile(pattern))
        .isInstanceOfSatisfying(
            InvalidRegexException.class,
            e -> {
              assertThat(e.description()).isEqualTo(problem);
              assertThat(e.position()).isEqualTo(position);
              assertThat(e.getMessage())
                  .startsWith("invalid regular expression \"")
                  .endsWith(problem + " at position " + position);
              assertThat(e.goMessage()).isEqualTo("error parsing regexp: " + problem);
            });
  }

  @Test
  void compile_unclosedGroup_isRefusedWithGoWording() {
    assertThatThrownBy(() -> Regex.compile("(a"))
        .isInstanceOfSatisfying(
            InvalidRegexException.class,
            e ->
                assertThat(e.goMessage())
                    .isEqualTo("error parsing regexp: missing closing ): `(a`"));
  }

  @Test
  void compile_patternsThatWouldExhaustTheHeap_areRefusedBeforeCompiling() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          assertThatThrownBy(() -> Regex.compile("((a{1000}){1000}){1000}"))
              .hasMessageContaining("expression too large");
          assertThatThrownBy(() -> Regex.compile("(".repeat(5000) + "a" + ")".repeat(5000)))
              .hasMessageContaining("expression nests too deeply");
          assertThatThrownBy(() -> Regex.compile("[" + "a-z".repeat(100_000) + "]"))
              .hasMessageContaining("expression too large");
        });
  }

  @Test
  void compile_largeAlternationOfLiterals_isAccepted() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      sb.append(i == 0 ? "" : "|").append("host-").append(i).append(":9100");
    }
    Regex r = Regex.compile(sb.toString());
    assertThat(r.matches("host-4999:9100")).isTrue();
    assertThat(r.isFastPath()).isTrue();
    assertThat(Regex.compile("(a{100}){100}").matches("a".repeat(10_000))).isTrue();
  }

  @Test
  void compile_unbalancedGroupsThatWrappingWouldHide_areRefused() {
    // Compiled alone, not inside "^(?s:...)$", where "a)|(b" would silently regroup.
    assertThatThrownBy(() -> Regex.compile("a)|(b")).isInstanceOf(InvalidRegexException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ".*",
        ".+",
        "foo",
        "",
        "a|b|c",
        "(a|b)",
        "(?:x|y|)",
        "foo.*",
        "foo.+",
        ".*foo",
        ".*foo.*",
        "a\\.b.*",
        "10\\.0\\.0\\.1"
      })
  void matches_commonShapes_takeTheFastPathAndAgreeWithTheAutomaton(String pattern) {
    Regex r = Regex.compile(pattern);
    assertThat(r.isFastPath()).isTrue();
    for (String v :
        List.of(
            "",
            "foo",
            "foox",
            "xfoo",
            "xfooy",
            "a",
            "b",
            "c",
            "x",
            "y",
            "ab",
            "a.b",
            "a.bc",
            "axb",
            "10.0.0.1",
            "10x0x0x1",
            "\n",
            "foo\n",
            "\nfoo",
            "fo",
            "(a|b)")) {
      assertThat(r.matches(v)).as("%s ~ %s", pattern, v).isEqualTo(r.matcher(v).matches());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"(?i)foo", "fo+", "[ab]", "a\\d", "a|b.*", "(a)|(b)", "a{2}", "\\Qa\\E"})
  void matches_otherShapes_useTheAutomaton(String pattern) {
    assertThat(Regex.compile(pattern).isFastPath()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "node_(cpu|memory)_.*",
        "ab*c",
        "ab?c",
        "ab{2}c",
        "abc+",
        "a[|]b",
        "x|yz.*",
        "ab(?i)cd",
        "ab{,}",
        "a\\.b+",
        "ab*?c"
      })
  void matches_automatonWithLiteralPrefixCheck_agreesWithRe2(String pattern) {
    Regex r = Regex.compile(pattern);
    com.google.re2j.Pattern plain =
        com.google.re2j.Pattern.compile(pattern, com.google.re2j.Pattern.DOTALL);
    for (String v :
        List.of(
            "",
            "node_cpu_x",
            "node_disk_x",
            "ac",
            "abc",
            "abbc",
            "abcc",
            "a|b",
            "x",
            "yzq",
            "abCD",
            "abcd",
            "a",
            "ab{,}",
            "a.bb",
            "a.b",
            "node_memory_")) {
      assertThat(r.matches(v)).as("%s ~ %s", pattern, v).isEqualTo(plain.matches(v));
    }
  }

  @Test
  void setMatches_literalAlternation_listsItsValues() {
    assertThat(Regex.compile("api|web|db").setMatches())
        .containsExactlyInAnyOrder("api", "web", "db");
    assertThat(Regex.compile("api").setMatches()).containsExactly("api");
    assertThat(Regex.compile("api.*").setMatches()).isNull();
  }

  @Test
  void matches_catastrophicBacktrackingPatterns_runInLinearTime() {
    String as = "a".repeat(10_000) + "!";
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          assertThat(Regex.compile("((a+)+)+b").matches(as)).isFalse();
          assertThat(Regex.compile("(.*){20}b").matches(as)).isFalse();
          assertThat(Regex.compile("(a|aa)+b").matches(as)).isFalse();
        });
  }

  @Test
  void expand_followsGoRules() {
    var m = Regex.compile("(?P<host>[a-z]+):(\\d+)").matcher("web:80");
    assertThat(m.matches()).isTrue();
    assertThat(Regex.expand(m, "$1-$2")).isEqualTo("web-80");
    assertThat(Regex.expand(m, "${host}_x")).isEqualTo("web_x");
    // "$1_x" names a group "1_x", which does not exist.
    assertThat(Regex.expand(m, "$1_x")).isEmpty();
    // A leading zero makes a name, not a number.
    assertThat(Regex.expand(m, "$01")).isEmpty();
    assertThat(Regex.expand(m, "$$1")).isEqualTo("$1");
    assertThat(Regex.expand(m, "$99999999999")).isEmpty();
  }
}
