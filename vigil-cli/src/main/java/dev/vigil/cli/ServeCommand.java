package dev.vigil.cli;

import dev.vigil.cli.logging.VigilLogging;
import dev.vigil.server.ReadyGate;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil serve}: the monitoring server. Collects this host, the JVM and Vigil every 5 s,
 * scrapes the configured targets, stores everything and answers Prometheus' HTTP API.
 *
 * <pre>{@code
 * ./vigil serve
 * ./vigil serve --listen 0.0.0.0:9470 --storage.path /var/lib/vigil --config vigil.yml
 * ./vigil serve --config vigil.yml --check-config
 * ./vigil serve --log.level debug       # every request, scrape failure and target change
 * }</pre>
 *
 * <p>SIGTERM and Ctrl-C shut down cleanly (scrapes stop, the WAL is flushed, blocks closed); SIGHUP
 * reloads the configuration file, like {@code POST /-/reload}.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the monitoring server: collection of this host, the JVM and Vigil, scraping,"
          + " storage, Prometheus-compatible HTTP API and dashboard.",
      "Every setting has a default; see vigil.example.yml. Environment: VIGIL_SERVER_LISTEN,"
          + " VIGIL_STORAGE_PATH, ... (key path in upper case)."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration file (default: none, every key at its default).")
  Path config;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Address to listen on (default 127.0.0.1:9470; overrides server.listen).")
  String listen;

  @Option(
      names = "--storage.path",
      paramLabel = "DIR",
      description = "Data directory (default ./data; overrides storage.path).")
  Path storagePath;

  @Option(
      names = "--log.level",
      paramLabel = "LEVEL",
      description =
          "Only log messages at this level or above: debug, info, warn, error (default info;"
              + " overrides log.level, also at a reload).")
  String logLevel;

  @Option(
      names = "--demo",
      description =
          "Also run simulated applications (API traffic, models, sessions, agents, files, and"
              + " the seeds' own metric names) so every dashboard widget has live data.")
  boolean demo;

  @Option(
      names = "--demo-backfill",
      paramLabel = "DURATION",
      description =
          "With --demo: first write this much history (e.g. 24h) so long ranges have data.")
  String demoBackfill;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description =
          "server (default) or agent: scrape and remote-write with a WAL only, no queries, rules"
              + " or dashboard (docs/remote-write.md#agent-mode).")
  String mode = "server";

  @Option(
      names = "--check-config",
      description = "Validate the configuration (file, environment, flags), print a summary, exit.")
  boolean checkConfig;

  /**
   * {@code VIGIL_QUERY_WARMUP}: unset or {@code background}, the warm-up runs beside a ready server
   * (zero hold); {@code off} or {@code 0}, no warm-up (null); seconds up to 600, {@code /-/ready}
   * waits that long at most for it.
   *
   * @throws IllegalArgumentException naming the variable for anything else
   */
  static java.time.Duration warmupHold(String env) {
    if (env == null || env.isBlank() || env.trim().equals("background")) {
      return java.time.Duration.ZERO;
    }
    String v = env.trim();
    if (v.equals("off")) {
      return null;
    }
    double s;
    try {
      s = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      s = -1;
    }
    if (!(s >= 0 && s <= 600)) {
      throw new IllegalArgumentException(
          "VIGIL_QUERY_WARMUP must be background, off, or seconds from 0 to 600, got \""
              + env
              + "\"");
    }
    return s == 0 ? null : java.time.Duration.ofMillis((long) (s * 1000));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> env = new HashMap<>(System.getenv());
    if (listen != null) {
      env.put("VIGIL_SERVER_LISTEN", listen);
    }
    if (storagePath != null) {
      env.put("VIGIL_STORAGE_PATH", storagePath.toString());
    }
    if (logLevel != null) {
      env.put("VIGIL_LOG_LEVEL", logLevel);
    }
    VigilConfig c;
    try {
      c = config == null ? ConfigLoader.parse("defaults", "", env) : ConfigLoader.load(config, env);
    } catch (ConfigException e) {
      // Flags travel as environment overrides; name them as the user typed them.
      String msg = e.getMessage();
      if (listen != null) {
        msg = msg.replace("env VIGIL_SERVER_LISTEN", "--listen");
      }
      if (storagePath != null) {
        msg = msg.replace("env VIGIL_STORAGE_PATH", "--storage.path");
      }
      if (logLevel != null) {
        msg = msg.replace("env VIGIL_LOG_LEVEL", "--log.level");
      }
      err.println("vigil: invalid configuration: " + msg);
      return 2;
    }
    if (!mode.equals("server") && !mode.equals("agent")) {
      err.println("vigil: --mode must be server or agent, got \"" + mode + "\"");
      return 2;
    }
    if (mode.equals("agent")) {
      return agent(c, env, out, err);
    }
    if (checkConfig) {
      out.printf(
          "%s: OK: listen %s:%d, storage %s, %d scrape job(s), collect every %ds%n",
          config == null ? "defaults" : config,
          c.server().host(),
          c.server().port(),
          c.storage().path(),
          c.scrapeConfigs().size(),
          c.collect().interval().toSeconds());
      return 0;
    }
    VigilLogging.setLevel(c.logLevel());
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("config.file", config == null ? "" : config.toString());
    flags.put("web.listen-address", c.server().host() + ":" + c.server().port());
    flags.put("storage.tsdb.path", c.storage().path().toString());
    flags.put("log.level", c.logLevel().yamlName());
    long t0 = System.nanoTime();
    // The hangup handler goes in before start: a SIGHUP at any time after this reloads (or, while
    // starting, is reported and ignored) instead of ending the JVM, its default.
    java.util.concurrent.atomic.AtomicReference<Vigil> running =
        new java.util.concurrent.atomic.AtomicReference<>();
    boolean hangupReloads =
        Signals.onHangup(
            () -> {
              Vigil v = running.get();
              String error =
                  v == null ? "SIGHUP arrived while starting; nothing reloaded" : v.reload();
              if (error != null) {
                err.println("vigil: reload failed: " + error);
                err.flush();
              }
            });
    if (!hangupReloads && config != null) {
      err.println(
          "vigil: SIGHUP is ignored in this process (started under nohup or with the signal"
              + " ignored), so kill -HUP cannot reload; POST /-/reload does. ./vigil serve resets it"
              + " with env --default-signal=HUP.");
      err.flush();
    }
    Vigil vigil;
    ReadyGate backfilled = null; // /-/ready says 503 until the demo's history is written
    if (demo) {
      try {
        c = DemoMode.withSlos(c);
      } catch (java.io.IOException e) {
        err.println("vigil: demo: cannot write its SLO spec: " + e.getMessage());
        return 1;
      }
    }
    try {
      Vigil.Builder vb =
          Vigil.builder(c).configFile(config, env).flags(flags).logLevels(VigilLogging::setLevel);
      // The first dashboard queries after a start find the query path compiled (docs/server.md).
      java.time.Duration warm;
      try {
        warm = warmupHold(System.getenv("VIGIL_QUERY_WARMUP"));
      } catch (IllegalArgumentException e) {
        err.println("vigil: " + e.getMessage());
        return 1;
      }
      if (warm != null) {
        vb.queryWarmup(warm);
      }
      if (demo) {
        vb.configuredRecorders(DemoMode.recorders(c.collect()));
        if (demoBackfill != null) {
          backfilled = vb.holdReady("demo backfill");
        }
      }
      vigil = vb.start();
    } catch (RuntimeException e) {
      err.println("vigil: cannot start: " + e.getMessage());
      return 1;
    }
    if (demo) {
      try {
        DemoMode.start(vigil, demoBackfill, backfilled, out);
      } catch (RuntimeException | java.io.IOException e) {
        err.println("vigil: demo: " + e.getMessage());
        vigil.close();
        return 1;
      }
    } else if (demoBackfill != null) {
      err.println("vigil: --demo-backfill needs --demo");
      vigil.close();
      return 2;
    }
    running.set(vigil);
    long ms = (System.nanoTime() - t0) / 1_000_000; // after the demo's backfill: /-/ready waits too
    // Reload is advertised only where there is a file to re-read: without --config, /-/reload
    // answers 409 and SIGHUP reports the same.
    String reloadHint =
        config == null
            ? ""
            : "; reload with "
                + (hangupReloads
                    ? "kill -HUP " + ProcessHandle.current().pid() + " or POST /-/reload"
                    : "POST /-/reload");
    out.printf(
        "Vigil is ready in %d ms.%n  Dashboard:  %s/%n  API:        %s/api/v1/query?query=up%n"
            + "  Metrics:    %s/metrics%n  Storage:    %s%n  Stop with Ctrl-C%s.%n",
        ms, vigil.url(), vigil.url(), vigil.url(), c.storage().path().toAbsolutePath(), reloadHint);
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              vigil.close();
              stopped.countDown();
            },
            "vigil-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    return 0;
  }

  private int agent(VigilConfig c, Map<String, String> env, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    if (demo || demoBackfill != null) {
      err.println("vigil: --demo needs --mode server (an agent has no dashboard)");
      return 2;
    }
    dev.vigil.server.agent.VigilAgent agent;
    if (checkConfig) {
      try {
        dev.vigil.server.agent.VigilAgent.check(c);
      } catch (ConfigException e) {
        err.println("vigil: invalid configuration: " + e.getMessage());
        return 2;
      }
      out.printf(
          "%s: OK for agent mode: %d scrape job(s), WAL in %s%n",
          config == null ? "defaults" : config, c.scrapeConfigs().size(), c.storage().path());
      return 0;
    }
    VigilLogging.setLevel(c.logLevel());
    try {
      agent = dev.vigil.server.agent.VigilAgent.start(c, config, env, VigilLogging::setLevel);
    } catch (ConfigException e) {
      err.println("vigil: invalid configuration: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("vigil: cannot start: " + e.getMessage());
      return 1;
    }
    Signals.onHangup(
        () -> {
          String error = agent.reload();
          if (error != null) {
            err.println("vigil: reload failed: " + error);
            err.flush();
          }
        });
    out.printf(
        "Vigil agent is ready.%n  Metrics:    %s/metrics%n  Queues:     %s/api/v1/status/remote_write%n"
            + "  WAL:        %s%n  Stop with Ctrl-C.%n",
        agent.url(), agent.url(), c.storage().path().toAbsolutePath());
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  stopped.countDown();
                },
                "vigil-shutdown"));
    stopped.await();
    return 0;
  }
}
