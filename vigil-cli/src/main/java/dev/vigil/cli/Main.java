package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command. Each subcommand is its own class; this one only lists them.
 *
 * <pre>{@code
 * ./vigil serve                      # the monitoring server on 127.0.0.1:9470
 * ./vigil --help
 * ./vigil check metrics --openmetrics exposition.txt
 * ./vigil check rules rules.yml      # promtool check rules
 * ./vigil test rules rules_test.yml  # promtool test rules
 * ./vigil rules print --config vigil.yml
 * }</pre>
 */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Metrics and monitoring in one JAR: instrument, collect, store, query, chart.",
    subcommands = {
      CheckCommand.class,
      ExampleCommand.class,
      TsdbCommand.class,
      ServeCommand.class,
      AotTrainCommand.class,
      TestCommand.class,
      RulesCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (for tests). */
  public static int run(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }
}
