package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * The rule unit-test corpus ({@code src/test/resources/rules-corpus/test}, passing and failing
 * files) and the rule packs' unit tests ({@code src/test/resources/rules-packs}) through the real
 * {@code promtool test rules} and {@code vigil test rules}: the same verdict for every file, and a
 * failure report that shows what was expected and what came.
 */
class RulesCorpusUnitTest {
  static final Path TESTS = RulesCorpusCheckTest.CORPUS.resolve("test");
  static final Path PACK_TESTS = Path.of("src/test/resources/rules-packs");

  static Map<String, Boolean> corpus;
  static Map<String, String> corpusReports = new java.util.HashMap<>();
  static Map<String, String> corpusErrors;
  static Map<String, Boolean> packs;

  @BeforeAll
  static void runPromtoolOnce() throws Exception {
    Promtool.Run run = promtoolTest(TESTS);
    corpus = Promtool.verdicts(run.stdout(), "Unit Testing:  ");
    // stderr holds one "  FAILED:" report per failing file, in file order.
    StringBuilder noWarnings = new StringBuilder();
    for (String line : run.stderr().split("\n", -1)) {
      if (!line.startsWith("  WARNING:")) {
        noWarnings.append(line).append('\n');
      }
    }
    String[] reports = noWarnings.toString().split("  FAILED:\n", -1);
    int i = 1;
    for (Map.Entry<String, Boolean> e : corpus.entrySet()) {
      if (!e.getValue()) {
        corpusReports.put(e.getKey(), "  FAILED:\n" + reports[i++].stripTrailing());
      }
    }
    packs = Promtool.verdicts(promtoolTest(PACK_TESTS).stdout(), "Unit Testing:  ");
  }

  private static Promtool.Run promtoolTest(Path dir) throws Exception {
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    args.addAll(RulesCorpusCheckTest.names(dir));
    return Promtool.run(dir, args);
  }

  /** Runs {@code vigil test rules FILE}: exit code, stdout, stderr. */
  static String[] vigilTest(Path file) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new TestRulesCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(file.toString());
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @TestFactory
  Stream<DynamicTest> unitTestFiles_sameVerdictAsPromtool() throws Exception {
    return RulesCorpusCheckTest.names(TESTS).stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f,
                    () -> {
                      String[] r = agrees(TESTS.resolve(f), corpus.get(f), f);
                      // Expected against got reads exactly as promtool prints it.
                      String report = corpusReports.get(f);
                      if (report != null && report.contains("exp:")) {
                        assertThat(r[2].stripTrailing()).isEqualTo(report);
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> rulePackUnitTests_passUnderPromtoolAndVigil() throws Exception {
    return RulesCorpusCheckTest.names(PACK_TESTS).stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f,
                    () -> {
                      assertThat(packs.get(f)).as("promtool test rules " + f).isTrue();
                      agrees(PACK_TESTS.resolve(f), true, f);
                    }));
  }

  private static String[] agrees(Path file, Boolean promtoolPassed, String name) {
    assertThat(promtoolPassed).as("promtool ran on " + name).isNotNull();
    if (name.startsWith("pass-") || name.startsWith("fail-")) {
      assertThat(name.startsWith("pass-"))
          .as("file name states promtool's verdict")
          .isEqualTo(promtoolPassed);
    }
    String[] r = vigilTest(file);
    assertThat(r[1]).startsWith("Unit Testing:  " + file);
    if (promtoolPassed) {
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      assertThat(r[1]).contains("  SUCCESS");
      return r;
    }
    assertThat(r[0]).as(r[1]).isEqualTo("1");
    assertThat(r[2]).contains("  FAILED:");
    return r;
  }
}
