package dev.vigil.cli;

import dev.vigil.rules.unittest.RuleUnitTests;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil test rules FILE...}: runs rule unit tests written for {@code promtool test rules}
 * (the same file format, the same verdicts, failure reports that read the same: expected against
 * got).
 *
 * <pre>{@code
 * ./vigil test rules tests/*_test.yml
 * Unit Testing:  tests/host_test.yml
 *   SUCCESS
 * }</pre>
 *
 * <p>Exit code 0 when every file passed, 1 otherwise.
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Run rule unit tests (promtool test rules).")
final class TestRulesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "The unit-test files to run.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean failed = false;
    for (Path f : files) {
      out.println("Unit Testing:  " + f);
      out.flush();
      RuleUnitTests.Result r = RuleUnitTests.run(f);
      for (String w : r.warnings()) {
        err.println("  WARNING: " + w);
      }
      if (r.passed()) {
        out.println("  SUCCESS");
      } else {
        failed = true;
        err.println("  FAILED:");
        for (String e : r.errors()) {
          // As promtool: the error on stderr, the blank line after it on stdout.
          err.println(e);
          err.flush();
          out.println();
          out.flush();
        }
      }
      err.flush();
      out.println();
      out.flush();
    }
    return failed ? 1 : 0;
  }
}
