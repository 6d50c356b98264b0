package dev.vigil.cli;

import dev.vigil.cli.tsdb.LabelsJson;
import dev.vigil.cli.tsdb.OpenMetricsImporter;
import dev.vigil.cli.tsdb.Selector;
import dev.vigil.cli.tsdb.StoreTools;
import dev.vigil.cli.tsdb.WriteBenchmark;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.StoreInUseException;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.block.BlockMeta;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil tsdb ...}: tools for a store directory, after promtool's {@code tsdb} commands.
 *
 * <pre>{@code
 * ./vigil tsdb bench write --metrics 20000 --scrapes 1000 ../shared/datasets/20kseries.json
 * ./vigil tsdb import openmetrics host.om.gz data/
 * ./vigil tsdb stats data/
 * ./vigil tsdb dump data/ --match 'up{job="node"}'
 * }</pre>
 */
@Command(
    name = "tsdb",
    mixinStandardHelpOptions = true,
    description = "Work with a Vigil store directory: benchmark, import, stats, dump.",
    subcommands = {
      TsdbCommand.Bench.class,
      TsdbCommand.Import.class,
      TsdbCommand.Stats.class,
      TsdbCommand.Dump.class
    })
final class TsdbCommand {
  private static ProgressBar bar(String task, long max) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
        .setUpdateIntervalMillis(250)
        .build();
  }

  /** {@code vigil tsdb bench}. */
  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description = "Benchmarks.",
      subcommands = {Write.class})
  static final class Bench {}

  /** {@code vigil tsdb bench write}: the workload of promtool tsdb bench write. */
  @Command(
      name = "write",
      mixinStandardHelpOptions = true,
      description =
          "Write benchmark: every scrape appends each series' value plus 1000 at a 30 s step "
              + "through the Appender, WAL on (fsynced when a segment closes, as promtool's). "
              + "Prints samples/sec as promtool does.")
  static final class Write implements Callable<Integer> {
    @Option(
        names = "--metrics",
        defaultValue = "10000",
        description = "Series to read (${DEFAULT-VALUE}).")
    int metrics;

    @Option(names = "--scrapes", defaultValue = "3000", description = "Scrapes (${DEFAULT-VALUE}).")
    int scrapes;

    @Option(names = "--out", defaultValue = "benchout", description = "Store directory (emptied).")
    Path out;

    @Parameters(index = "0", description = "Label sets, one JSON object per line.")
    Path file;

    @Override
    public Integer call() throws Exception {
      if (Files.isDirectory(out) && StoreTools.inUse(out)) {
        throw new java.io.IOException(
            out
                + " is in use by a running Vigil store (lock file "
                + out.resolve("lock")
                + "); --out is emptied first, so give another directory");
      }
      List<Labels> labels = LabelsJson.read(file, metrics);
      if (Files.exists(out)) {
        dev.vigil.tsdb.block.BlockWriter.deleteTree(out);
      }
      // No progress bar while timing: its redraw thread took CPU from the ingest on a 2-core
      // machine (promtool prints nothing during its ingest either).
      WriteBenchmark.Result r = WriteBenchmark.run(out, labels, scrapes, n -> {});
      System.out.println(" > total samples: " + r.samples());
      System.out.println(" > samples/sec: " + r.samplesPerSecond());
      System.out.printf(" > heap bytes per series: %.0f%n", r.heapBytesPerSeries());
      StringBuilder rounds = new StringBuilder();
      for (long ns : r.roundNanos()) {
        rounds.append(rounds.isEmpty() ? "" : " ").append(String.format("%.3f", ns / 1e9));
      }
      System.out.println(" > seconds per round of 100 scrapes: " + rounds);
      return 0;
    }
  }

  /** {@code vigil tsdb import}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = "Backfill blocks.",
      subcommands = {OpenMetrics.class})
  static final class Import {}

  /** {@code vigil tsdb import openmetrics FILE DIR}. */
  @Command(
      name = "openmetrics",
      mixinStandardHelpOptions = true,
      description =
          "Backfill 2 h blocks and their 5m/1h rollups into DIR from an OpenMetrics file"
              + " (gzip accepted).")
  static final class OpenMetrics implements Callable<Integer> {
    @Parameters(index = "0", description = "OpenMetrics text, optionally gzip'd.")
    Path file;

    @Parameters(index = "1", description = "Store directory (must not be open elsewhere).")
    Path dir;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(file)) {
        System.err.println("vigil tsdb import openmetrics: no such file: " + file);
        return 2;
      }
      if (Files.isDirectory(dir) && StoreTools.inUse(dir)) {
        throw inUse(
            new StoreInUseException(dir),
            "stop it first: blocks are imported into a store no server holds");
      }
      OpenMetricsImporter.Result r;
      try (ProgressBar pb = bar("import", Files.size(file))) {
        r = OpenMetricsImporter.run(file, dir, pb::stepTo);
      }
      long bytes = 0;
      for (BlockMeta m : r.blocks()) {
        bytes += StoreTools.dirBytes(dir.resolve(m.id()));
        System.out.println(
            "block "
                + m.id()
                + " ["
                + m.minTime()
                + ", "
                + m.maxTime()
                + ") "
                + m.numSeries()
                + " series, "
                + m.numSamples()
                + " samples");
      }
      long rollupBytes = 0;
      for (BlockMeta m : r.rollups()) {
        rollupBytes += StoreTools.dirBytes(dir.resolve(m.id()));
      }
      System.out.println(
          "rollups: "
              + r.rollups().size()
              + " blocks (5m and 1h beside each block), "
              + rollupBytes
              + " bytes");
      System.out.println("samples: " + r.samples() + ", series: " + r.series());
      System.out.printf(
          "bytes per sample: %.4f%n", r.samples() == 0 ? 0.0 : (double) bytes / r.samples());
      return 0;
    }
  }

  /** {@code vigil tsdb stats DIR}. */
  @Command(name = "stats", mixinStandardHelpOptions = true, description = "Store statistics.")
  static final class Stats implements Callable<Integer> {
    @Parameters(index = "0", description = "Store directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
      if (!Files.isDirectory(dir)) {
        System.err.println("vigil tsdb stats: " + dir + " is not a directory");
        return 2;
      }
      Map<String, String> stats;
      try (Tsdb db = open(dir)) {
        stats = StoreTools.stats(db);
      } catch (StoreInUseException e) {
        System.err.println(
            "vigil tsdb stats: "
                + dir
                + " is in use by a running Vigil server (lock file "
                + dir.resolve("lock")
                + "); showing its persisted blocks, read without the lock (the head and WAL are"
                + " the server's)");
        stats = StoreTools.blockStats(dir);
      }
      for (Map.Entry<String, String> e : stats.entrySet()) {
        System.out.println(e.getKey() + ": " + e.getValue());
      }
      return 0;
    }
  }

  /** {@code vigil tsdb dump DIR}. */
  @Command(
      name = "dump",
      mixinStandardHelpOptions = true,
      description = "Samples as OpenMetrics text.")
  static final class Dump implements Callable<Integer> {
    @Parameters(index = "0", description = "Store directory.")
    Path dir;

    @Option(
        names = "--match",
        defaultValue = "{__name__=~\".+\"}",
        description = "Series selector.")
    String match;

    @Option(names = "--min-time", defaultValue = "-9223372036854775808", description = "ms")
    long minTime;

    @Option(names = "--max-time", defaultValue = "9223372036854775807", description = "ms")
    long maxTime;

    @Override
    public Integer call() throws Exception {
      if (!Files.isDirectory(dir)) {
        System.err.println("vigil tsdb dump: " + dir + " is not a directory");
        return 2;
      }
      var matchers = Selector.parse(match);
      PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);
      try (Tsdb db = open(dir)) {
        StoreTools.dump(db, matchers, minTime, maxTime, out);
      } catch (StoreInUseException e) {
        throw inUse(
            e,
            "stop it first, or ask the server: /api/v1/query_range, /federate,"
                + " or /api/v1/admin/tsdb/snapshot and dump the snapshot");
      }
      out.flush();
      return 0;
    }
  }

  private static java.io.IOException inUse(StoreInUseException e, String what) {
    return new java.io.IOException(
        e.dir()
            + " is in use by a running Vigil server (lock file "
            + e.dir().resolve("lock")
            + "): "
            + what,
        e);
  }

  private static Tsdb open(Path dir) throws java.io.IOException {
    return Tsdb.builder(dir)
        .backgroundInterval(Duration.ZERO)
        .log(m -> System.err.println("vigil-tsdb: " + m))
        .open();
  }
}
