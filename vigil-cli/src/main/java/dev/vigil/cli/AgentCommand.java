package dev.vigil.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil agent}: the same as {@code vigil serve --mode agent} (scrape, collect this host,
 * remote-write; a WAL only, no queries), under the name Prometheus users look for.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Run as an agent: scrape and collect this host, keep only a WAL and remote-write everything"
          + " (vigil serve --mode agent). Needs a remote_write section.",
      "See docs/remote-write.md#agent-mode."
    })
final class AgentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
  Path config;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Address to listen on (overrides server.listen).")
  String listen;

  @Option(
      names = "--storage.path",
      paramLabel = "DIR",
      description = "Directory of the WAL (overrides storage.path).")
  Path storagePath;

  @Option(
      names = "--log.level",
      paramLabel = "LEVEL",
      description = "debug, info, warn or error (overrides log.level).")
  String logLevel;

  @Option(
      names = "--check-config",
      description = "Validate the configuration for agent mode, print a summary, exit.")
  boolean checkConfig;

  @Override
  public Integer call() throws Exception {
    ServeCommand serve = new ServeCommand();
    serve.spec = spec;
    serve.config = config;
    serve.listen = listen;
    serve.storagePath = storagePath;
    serve.logLevel = logLevel;
    serve.checkConfig = checkConfig;
    serve.mode = "agent";
    return serve.call();
  }
}
