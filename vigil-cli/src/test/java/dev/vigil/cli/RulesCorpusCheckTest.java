package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The rule-file corpus ({@code src/test/resources/rules-corpus/check}) through the real {@code
 * promtool check rules} and {@code vigil check rules}: the same verdict for every file, and Vigil's
 * message names the file, the line and (where promtool names one) the rule.
 *
 * <p>promtool 2.42 does not read {@code PrometheusRule} resources ({@code check-prometheusrule/}):
 * for those the expected verdict is promtool's for the extracted {@code spec}.
 */
class RulesCorpusCheckTest {
  static final Path CORPUS = Path.of("src/test/resources/rules-corpus");
  static final Path PACKS = Path.of("../vigil-rules/src/main/resources/dev/vigil/rules/packs");
  private static final Pattern PROMTOOL_RULE = Pattern.compile("rule (\\d+), \"([^\"]*)\"");

  /**
   * Files where Vigil's verdict differs from promtool's today, with the reason; reported as skipped
   * (not passed) until the parser catches up.
   */
  static final Map<String, String> KNOWN_DIFFERENCES = Map.of();

  static Map<String, Boolean> plain;
  static String plainErrors;
  static String plainOutput;
  static Map<String, Boolean> specs;
  static Map<String, Boolean> packs;

  @BeforeAll
  static void runPromtoolOnce(@TempDir Path tmp) throws Exception {
    Path dir = CORPUS.resolve("check");
    Promtool.Run run = promtoolCheck(dir, names(dir));
    plain = Promtool.verdicts(run.stdout(), "Checking ");
    plainErrors = run.stderr();
    plainOutput = run.stdout();
    Path k8s = CORPUS.resolve("check-prometheusrule");
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    for (String f : names(k8s)) {
      JsonNode spec = yaml.readTree(k8s.resolve(f).toFile()).get("spec");
      yaml.writeValue(tmp.resolve(f).toFile(), spec);
    }
    specs = Promtool.verdicts(promtoolCheck(tmp, names(k8s)).stdout(), "Checking ");
    packs = Promtool.verdicts(promtoolCheck(PACKS, names(PACKS)).stdout(), "Checking ");
  }

  private static Promtool.Run promtoolCheck(Path dir, List<String> files) throws Exception {
    List<String> args = new ArrayList<>(List.of("check", "rules"));
    args.addAll(files);
    return Promtool.run(dir, args);
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  /** Runs {@code vigil check rules FILE}: exit code, stdout, stderr. */
  static String[] vigilCheck(Path file) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new CheckRulesCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(file.toString());
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @TestFactory
  Stream<DynamicTest> ruleFiles_sameVerdictAsPromtool_andProblemsNameFileLineAndRule()
      throws Exception {
    Path dir = CORPUS.resolve("check");
    return names(dir).stream()
        .map(f -> DynamicTest.dynamicTest(f, () -> agrees(dir.resolve(f), plain.get(f), f)));
  }

  @TestFactory
  Stream<DynamicTest> prometheusRules_sameVerdictAsPromtoolOnTheirSpec() throws Exception {
    Path dir = CORPUS.resolve("check-prometheusrule");
    return names(dir).stream()
        .map(f -> DynamicTest.dynamicTest(f, () -> agrees(dir.resolve(f), specs.get(f), f)));
  }

  @TestFactory
  Stream<DynamicTest> rulePacks_areValidForPromtoolAndVigil() throws Exception {
    return names(PACKS).stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f,
                    () -> {
                      assertThat(packs.get(f)).as("promtool check rules " + f).isTrue();
                      assertThat(vigilCheck(PACKS.resolve(f))[0]).isEqualTo("0");
                    }));
  }

  @org.junit.jupiter.api.Test
  void severalFiles_oneBadOneMissing_everyFileCheckedAndExitOne() {
    Path good = CORPUS.resolve("check/good-minimal-record.yml");
    Path bad = CORPUS.resolve("check/bad-promql-syntax.yml");
    Path missing = CORPUS.resolve("check/no-such-file.yml");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new CheckRulesCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(good.toString(), bad.toString(), missing.toString());
    assertThat(code).isEqualTo(1);
    assertThat(out.toString())
        .contains("Checking " + good + "\n  SUCCESS: 1 rules found")
        .contains("Checking " + bad)
        .contains("Checking " + missing);
    assertThat(err.toString())
        .contains(bad + ":5: group \"g\", rule 1, \"a\": could not parse expression")
        .contains(missing + ": cannot read");
  }

  private static void agrees(Path file, Boolean promtoolValid, String name) {
    assertThat(promtoolValid).as("promtool ran on " + name).isNotNull();
    if (KNOWN_DIFFERENCES.containsKey(name)) {
      boolean vigilValid = vigilCheck(file)[0].equals("0");
      assertThat(vigilValid)
          .as(name + " agrees with promtool now: remove it from KNOWN_DIFFERENCES")
          .isNotEqualTo(promtoolValid);
      org.junit.jupiter.api.Assumptions.abort("known difference: " + KNOWN_DIFFERENCES.get(name));
    }
    assertThat(name.startsWith("good-"))
        .as("file name states promtool's verdict")
        .isEqualTo(promtoolValid);
    String[] r = vigilCheck(file);
    assertThat(r[1]).startsWith("Checking " + file);
    if (promtoolValid) {
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      assertThat(r[1]).containsPattern("  SUCCESS: \\d+ rules found");
      if (plainOutput != null && file.getParent().getFileName().toString().equals("check")) {
        // The same rule count as promtool.
        String success = r[1].lines().filter(l -> l.startsWith("  SUCCESS")).findFirst().get();
        assertThat(plainOutput).contains("Checking " + name + "\n" + success + "\n");
      }
      return;
    }
    assertThat(r[0]).as(r[1]).isEqualTo("1");
    assertThat(r[2]).startsWith("  FAILED:");
    // Every problem line starts with FILE:LINE.
    String problems = r[2].substring(r[2].indexOf('\n') + 1);
    assertThat(problems).startsWith(file + ":");
    assertThat(problems).containsPattern("^" + Pattern.quote(file.toString()) + ":[1-9]\\d*: ");
    // Where promtool names the rule, so does Vigil.
    String promtoolMessage = promtoolMessage(file);
    Matcher m = PROMTOOL_RULE.matcher(promtoolMessage);
    if (m.find()) {
      // A rule with both record and alert: promtool quotes the alert name, Vigil the record name.
      String ruleName =
          promtoolMessage.contains("only one of 'record' and 'alert'") ? "" : m.group(2);
      assertThat(problems).contains("rule " + m.group(1) + ", \"" + ruleName);
    }
  }

  /** promtool's problem lines for a file of {@code check/}, from the batch run. */
  private static String promtoolMessage(Path file) {
    if (!file.getParent().getFileName().toString().equals("check")) {
      return "";
    }
    String prefix = file.getFileName() + ":";
    StringBuilder b = new StringBuilder();
    for (String line : plainErrors.split("\n")) {
      if (line.startsWith(prefix)) {
        b.append(line).append('\n');
      }
    }
    return b.toString();
  }
}
