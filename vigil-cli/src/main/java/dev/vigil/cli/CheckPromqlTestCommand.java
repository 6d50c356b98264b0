package dev.vigil.cli;

import dev.vigil.promql.test.TestRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil check promqltest FILE...}: runs Prometheus {@code .test} files against Vigil's
 * PromQL engine, prints each failure and ends with {@code N passed, N failed, N skipped}.
 *
 * <pre>{@code
 * ./vigil check promqltest ../shared/promqltest/*.test
 * }</pre>
 *
 * <p>Exit code 0 when nothing failed, 1 otherwise, 2 when a file cannot be read or parsed.
 */
@Command(
    name = "promqltest",
    mixinStandardHelpOptions = true,
    description = "Run Prometheus PromQL .test files against Vigil's engine.")
final class CheckPromqlTestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "The .test files to run.")
  List<Path> files;

  @Option(
      names = {"-v", "--verbose"},
      description = "Also list skipped evals with their reason.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    Map<String, Integer> skipReasons = new TreeMap<>();
    boolean unreadable = false;
    for (Path f : files) {
      List<TestRunner.Outcome> outcomes;
      try {
        outcomes = TestRunner.runFile(f);
      } catch (IOException | RuntimeException e) {
        err.println(f + ": cannot run: " + e.getMessage());
        unreadable = true;
        continue;
      }
      for (TestRunner.Outcome o : outcomes) {
        switch (o.status()) {
          case PASSED -> passed++;
          case FAILED -> {
            failed++;
            out.println("FAIL " + f + ":" + o.line() + ": " + o.expr() + ": " + o.message());
          }
          case SKIPPED -> {
            skipped++;
            String reason =
                o.message().startsWith(TestRunner.SKIP_NATIVE_HISTOGRAMS)
                    ? TestRunner.SKIP_NATIVE_HISTOGRAMS
                    : o.message();
            skipReasons.merge(reason, 1, Integer::sum);
            if (verbose) {
              out.println("SKIP " + f + ":" + o.line() + ": " + o.expr() + ": " + o.message());
            }
          }
        }
      }
    }
    skipReasons.forEach((r, n) -> out.println("skipped " + n + ": " + r));
    out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
    out.flush();
    if (unreadable) {
      return 2;
    }
    return failed == 0 ? 0 : 1;
  }
}
