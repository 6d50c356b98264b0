package dev.vigil.cli;

import picocli.CommandLine.Command;

/** {@code vigil check ...}: validators for the inputs Vigil reads. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Check files Vigil reads: metrics expositions, PromQL test files, rule files.",
    subcommands = {
      CheckMetricsCommand.class,
      CheckPromqlTestCommand.class,
      CheckRulesCommand.class
    })
final class CheckCommand {}
