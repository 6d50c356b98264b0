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
 * {@code vigil check metrics [--openmetrics] [FILE|-]}: validates an exposition. Prometheus text
 * 0.0.4 is judged as {@code promtool check metrics} judges it ({@link TextFormatCheck}): exit 0 and
 * silent when valid, {@code line N: what is wrong} and exit 1 when it does not parse, one {@code
 * metric: problem} line per lint finding and exit 3 when it parses but breaks a naming rule.
 * OpenMetrics 1.0 is checked by Vigil's strict OpenMetrics parser (exit 0 or 1).
 */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description = {
      "Check a metrics exposition (Prometheus text 0.0.4, or OpenMetrics 1.0 with"
          + " --openmetrics).",
      "Prometheus text is judged as 'promtool check metrics' does: exit 0 and nothing printed when"
          + " valid; 'line N: what is wrong' and exit 1 when it does not parse; 'metric: problem'"
          + " lines and exit 3 for lint findings (HELP, units, suffixes, names).",
      "OpenMetrics: exit 0, or 'line N: what is wrong' and exit 1."
    })
final class CheckMetricsCommand implements Callable<Integer> {
  /** Largest exposition read (64 MiB), as the scrape path's limit. */
  private static final int MAX_BYTES = ExpositionParser.DEFAULT_MAX_BYTES;

  @Option(
      names = "--openmetrics",
      description = "Read OpenMetrics 1.0 text (strict; needs the final '# EOF').")
  boolean openMetrics;

  @Option(
      names = "--no-lint",
      description = "Prometheus text: check the syntax only, not promtool's naming rules.")
  boolean noLint;

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
    try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
      if (openMetrics) {
        ExpositionParser.openMetrics().parse(in);
        return 0;
      }
      byte[] text = in.readNBytes(MAX_BYTES + 1);
      if (text.length > MAX_BYTES) {
        err.println("vigil check metrics: " + file + " is larger than " + MAX_BYTES + " bytes");
        err.flush();
        return 2;
      }
      TextFormatCheck.Result r = TextFormatCheck.check(text);
      if (r.parseError() != null) {
        err.println(r.parseError());
        err.flush();
        return 1;
      }
      if (noLint || r.problems().isEmpty()) {
        return 0;
      }
      r.problems().forEach(err::println);
      err.flush();
      return 3;
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
