package dev.vigil.cli;

import dev.vigil.metrics.exposition.ExpositionParseException;
import dev.vigil.metrics.exposition.ExpositionParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil check metrics [--openmetrics] [FILE|-]}: validates an exposition with Vigil's
 * parser. Silent with exit 0 when valid; {@code line N: what is wrong} and exit 1 when not.
 */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description = {
      "Check a metrics exposition (Prometheus text 0.0.4, or OpenMetrics 1.0 with"
          + " --openmetrics).",
      "Prints nothing and exits 0 when valid; prints 'line N: what is wrong' and exits 1 when not."
    })
final class CheckMetricsCommand implements Callable<Integer> {
  @Option(
      names = "--openmetrics",
      description = "Read OpenMetrics 1.0 text (strict; needs the final '# EOF').")
  boolean openMetrics;

  @Parameters(
      index = "0",
      arity = "0..1",
      defaultValue = "-",
      paramLabel = "FILE|-",
      description = "The exposition to check; '-' or nothing reads standard input.")
  String file;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ExpositionParser parser =
        openMetrics ? ExpositionParser.openMetrics() : ExpositionParser.prometheus();
    try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
      parser.parse(in);
      return 0;
    } catch (ExpositionParseException e) {
      err.println(e.getMessage());
      err.flush();
      return 1;
    } catch (NoSuchFileException e) {
      err.println("vigil check metrics: no such file: " + file);
      err.flush();
      return 2;
    } catch (IOException e) {
      err.println("vigil check metrics: cannot read " + file + ": " + e.getMessage());
      err.flush();
      return 2;
    }
  }
}
