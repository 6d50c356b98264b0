package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil slo generate}: the rule file the real {@code promtool} accepts; the example's unit
 * tests (a full outage pages within minutes, a slow burn at twice the budget opens only a ticket,
 * healthy traffic alerts nothing) pass under promtool and Vigil; bad specs are refused naming file,
 * SLO and field.
 */
class SloGenerateCommandTest {
  static final Path EXAMPLES = Path.of(System.getProperty("vigil.root"), "docs/examples/slo");

  @TempDir Path dir;

  static String[] generate(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new SloCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "generate";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cl.execute(all);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void examples_generateTheCheckedInRuleFiles_whichPromtoolAccepts() throws Exception {
    // Sloth's format (checkout) and Pyrra's (api-latency-pyrra): 17 and 19 rules.
    for (String name : List.of("checkout", "api-latency-pyrra")) {
      Path spec = EXAMPLES.resolve(name + ".yml");
      String[] r = generate(spec.toString());
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      // The comments name the spec as a user in the examples folder would.
      String generated = r[1].replace(spec.toString(), name + ".yml");
      Files.writeString(dir.resolve("generated.yml"), generated);
      // Kept for regenerating the examples: cp vigil-cli/target/NAME-rules.yml docs/examples/slo/
      Files.writeString(Path.of("target/" + name + "-rules.yml"), generated);
      assertThat(generated)
          .as("docs/examples/slo/" + name + "-rules.yml is what vigil slo generate prints")
          .isEqualTo(Files.readString(EXAMPLES.resolve(name + "-rules.yml")));
      int rules = name.equals("checkout") ? 17 : 19;
      Promtool.Run check = Promtool.run(dir, List.of("check", "rules", "generated.yml"));
      assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();
      assertThat(check.stdout()).as(check.stderr()).contains("SUCCESS: " + rules + " rules found");
      assertThat(RulesCorpusCheckTest.vigilCheck(dir.resolve("generated.yml"))[1])
          .contains("SUCCESS: " + rules + " rules found");
    }
  }

  @Test
  void exampleUnitTests_outagePages_slowBurnTickets_healthyIsQuiet_underPromtoolAndVigil()
      throws Exception {
    for (String test : List.of("checkout_test.yml", "api-latency-pyrra_test.yml")) {
      Promtool.Run promtool = Promtool.run(EXAMPLES, List.of("test", "rules", test));
      assertThat(promtool.exitCode()).as(promtool.stdout() + promtool.stderr()).isZero();
      String[] vigil = RulesCorpusUnitTest.vigilTest(EXAMPLES.resolve(test));
      assertThat(vigil[0]).as(vigil[1] + vigil[2]).isEqualTo("0");
    }
  }

  @Test
  void devLoopExamples_generateRulesPromtoolAccepts() throws Exception {
    // One rule file per environment, as Sloth generates one per spec: the alerts of two
    // environments have the same names and labels, which promtool's lint calls duplicates.
    for (String env : List.of("development", "staging", "production")) {
      String[] r = generate(EXAMPLES.resolve("devloop-" + env + ".yml").toString());
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      Files.writeString(dir.resolve(env + ".yml"), r[1]);
      Promtool.Run check = Promtool.run(dir, List.of("check", "rules", env + ".yml"));
      assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();
      // Two SLOs: 15 recordings each, and 2 alerts each (1 in development: no page).
      assertThat(check.stdout())
          .as(check.stderr())
          .contains("SUCCESS: " + (env.equals("development") ? 32 : 34) + " rules found");
    }
  }

  @Test
  void output_writesTheFile() throws Exception {
    Path out = dir.resolve("rules.yml");
    String[] r = generate(EXAMPLES.resolve("checkout.yml").toString(), "--output", out.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).isEmpty();
    assertThat(Files.readString(out)).contains("- alert: \"CheckoutAvailability\"");
  }

  @Test
  void badSpecs_areRefusedNamingFileSloAndField() throws Exception {
    String good = Files.readString(EXAMPLES.resolve("checkout.yml"));
    Path bad = dir.resolve("bad.yml");
    Files.writeString(
        bad,
        good.replace("objective: 99.9", "objective: 100")
            .replace("[{{.window}}]))\n        total", "[{{.windw}}]))\n        total")
            .replaceAll("\n *total_query:.*", ""));
    String[] r = generate(bad.toString());
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1]).isEmpty();
    assertThat(r[2])
        .contains(
            bad
                + ":12: slo \"requests-availability\": objective: must be a percentage in"
                + " (0, 100) (e.g. 99.9), got 100")
        .contains(
            bad
                + ":16: slo \"requests-availability\": sli.events.error_query: must use"
                + " {{.window}}")
        .contains("slo \"requests-availability\": sli.events.total_query: required");
    Files.writeString(
        bad,
        good.replace(
            "sum(rate(http_requests_total{job=\"checkout\"}[",
            "sum(rate(http_requests_total{job=\"checkout\"["));
    r = generate(bad.toString());
    assertThat(r[2])
        .contains(
            bad
                + ":17: slo \"requests-availability\": sli.events.total_query:"
                + " could not parse query");
    r = generate(dir.resolve("missing.yml").toString());
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[2]).contains("missing.yml: cannot read");
  }
}
