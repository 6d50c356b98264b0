package dev.vigil.cli;

import dev.vigil.rules.Problem;
import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleFileException;
import dev.vigil.rules.RuleFiles;
import dev.vigil.rules.RuleGroupSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil check rules FILE...}: validates Prometheus rule files (and {@code PrometheusRule}
 * resources) as {@code promtool check rules} does, with the same output and exit codes.
 *
 * <pre>{@code
 * ./vigil check rules rules/*.yml
 * Checking rules/node.yml
 *   SUCCESS: 12 rules found
 * }</pre>
 *
 * <p>Exit code 0 when every file is valid, 1 when any file has a problem or cannot be read. Each
 * problem is printed on its own line with its file, line, group and rule: {@code rules.yml:7: group
 * "g", rule 2, "HighCPU": could not parse expression: ...}.
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Check Prometheus rule files (promtool check rules).")
final class CheckRulesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "The rule files to check.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean failed = false;
    for (Path f : files) {
      out.println("Checking " + f);
      out.flush();
      List<Problem> problems;
      int rules = 0;
      try {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        RuleFile file = RuleFiles.parse(f.toString(), text);
        for (RuleGroupSpec g : file.groups()) {
          rules += g.rules().size();
        }
        problems = List.of();
      } catch (RuleFileException e) {
        problems = e.problems();
      } catch (IOException | RuntimeException e) {
        problems = List.of(new Problem(f.toString(), 0, null, 0, null, "cannot read: " + e));
      }
      if (problems.isEmpty()) {
        out.println("  SUCCESS: " + rules + " rules found");
      } else {
        failed = true;
        err.println("  FAILED:");
        for (Problem p : problems) {
          err.println(p);
        }
        err.flush();
      }
      out.println();
      out.flush();
    }
    return failed ? 1 : 0;
  }
}
