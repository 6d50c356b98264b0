package dev.vigil.cli;

import picocli.CommandLine.Command;

/** {@code vigil test ...}: unit tests of the files Vigil reads. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = "Run unit tests: rule unit tests in promtool's format.",
    subcommands = {TestRulesCommand.class})
final class TestCommand {}
