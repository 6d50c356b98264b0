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
 * ./vigil export --url http://127.0.0.1:9470 --match up --start "24h ago" --format csv -o up.csv
 * }</pre>
 */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    // Inherited, so that every subcommand's --version prints the same line as `vigil --version`.
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    description = "Metrics and monitoring in one JAR: instrument, collect, store, query, chart.",
    subcommands = {
      CheckCommand.class,
      ExampleCommand.class,
      TsdbCommand.class,
      ExportCommand.class,
      ServeCommand.class,
      AotTrainCommand.class,
      TestCommand.class,
      RulesCommand.class,
      ImportCommand.class,
      QueryCommand.class,
      StatusCommand.class,
      SummaryCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (for tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command tree, configured as {@link #run} uses it. */
  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Main::oneLine);
  }

  /**
   * A command that fails prints one line, {@code vigil <command>: what went wrong}, and exits 1: a
   * stack trace helps nobody who runs the command. {@code VIGIL_STACKTRACE=1} adds it back, for a
   * bug report.
   */
  private static int oneLine(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    java.io.PrintWriter err = cmd.getErr();
    String msg = e.getMessage();
    // Input errors (a file that does not parse, a directory in use) are expected; their messages
    // are written for the user. Anything else is a bug: its class name helps the report.
    boolean expected =
        e instanceof java.io.IOException
            || e instanceof java.io.UncheckedIOException
            || (e instanceof IllegalArgumentException && !(e instanceof NumberFormatException));
    if (e instanceof java.nio.file.NoSuchFileException) {
      msg = "no such file or directory: " + msg;
    } else if (e instanceof java.nio.file.AccessDeniedException) {
      msg = "permission denied: " + msg;
    } else if (msg == null || msg.isBlank() || !expected) {
      msg = e.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
    }
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + msg.replace('\n', ' '));
    if ("1".equals(System.getenv("VIGIL_STACKTRACE"))) {
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
  }
}
