package dev.vigil.cli;

import dev.vigil.rules.RuleFile;
import dev.vigil.rules.packs.RuleFileWriter;
import dev.vigil.rules.packs.RulePacks;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.RulePacksConfig;
import dev.vigil.server.config.VigilConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil rules ...}: the rules Vigil writes for the user. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "The rules vigil.yml enables: rule packs and thresholds.",
    subcommands = {RulesCommand.Print.class})
final class RulesCommand {

  /**
   * {@code vigil rules print --config vigil.yml}: the enabled rule packs and the {@code alerts}
   * thresholds as one Prometheus rule file on stdout (what {@code promtool check rules} and
   * Prometheus read).
   *
   * <pre>{@code
   * ./vigil rules print --config vigil.yml > vigil-rules.yml
   * ./vigil rules print --pack host --pack vigil
   * }</pre>
   *
   * <p>Exit code 0, or 2 when the configuration is invalid (the message names file, line and key).
   */
  @Command(
      name = "print",
      mixinStandardHelpOptions = true,
      description = "Print the enabled rule packs and thresholds as a Prometheus rule file.")
  static final class Print implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The vigil.yml to read.")
    Path config;

    @Option(
        names = "--pack",
        paramLabel = "NAME",
        description = "Also print this pack (host, vigil, seeds); repeatable.")
    List<String> extraPacks = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      VigilConfig c;
      try {
        c =
            config == null
                ? ConfigLoader.parse("defaults", "", Map.of())
                : ConfigLoader.load(config, System.getenv());
      } catch (ConfigException e) {
        err.println(e.getMessage());
        err.flush();
        return 2;
      }
      RulePacksConfig rc = RulePacksConfig.of(c);
      List<String> packs = new ArrayList<>(rc.packs());
      for (String p : extraPacks) {
        if (!RulePacks.NAMES.contains(p)) {
          err.println(
              "--pack: unknown rule pack \""
                  + p
                  + "\" (known: "
                  + String.join(", ", RulePacks.NAMES)
                  + ")");
          err.flush();
          return 2;
        }
        if (!packs.contains(p)) {
          packs.add(p);
        }
      }
      List<RuleFile> files = new ArrayList<>();
      for (String p : packs) {
        files.add(RulePacks.load(p, c.collect().namespace()));
      }
      files.add(rc.thresholds().toRuleFile());
      files.addAll(
          dev.vigil.rules.anomaly.AnomalyDetector.generatedRules(
              dev.vigil.server.config.AnomalyConfig.of(c).marks()));
      out.print(RuleFileWriter.write(files));
      out.flush();
      return 0;
    }
  }
}
