package dev.vigil.cli;

import dev.vigil.cli.tsdb.OpenMetricsLine;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.WriteResult;
import dev.vigil.ingest.imports.CsvDecoder;
import dev.vigil.ingest.imports.ImportHandler;
import dev.vigil.ingest.imports.ImportReader;
import dev.vigil.ingest.imports.ImportedSample;
import dev.vigil.ingest.imports.JsonLinesDecoder;
import dev.vigil.ingest.imports.LineDecoder;
import dev.vigil.ingest.imports.LineError;
import dev.vigil.ingest.imports.VmCsvDecoder;
import dev.vigil.ingest.influx.InfluxLineDecoder;
import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.StoreInUseException;
import dev.vigil.tsdb.Tsdb;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil import FILE... --format csv|jsonl|influx|openmetrics} into a store directory no
 * server holds ({@code --storage.path}) or a running server ({@code --url}, through remote write).
 *
 * <pre>{@code
 * ./vigil import --format jsonl --url http://127.0.0.1:9470 export.jsonl
 * ./vigil import --format csv --storage.path data metrics.csv.gz
 * }</pre>
 *
 * <p>Each file is read line by line in chunks of {@code --batch} samples: a line that does not
 * parse is reported (file, line, column) and nothing of it is stored; the others are. Samples the
 * store refuses (out of order, too old, limits) are counted by reason. Exit 0 when everything was
 * stored, 1 when some line or sample was not, 2 for a file that cannot be read.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import samples from files into a store directory or a running server.",
      "A bad line is reported with its line and column and nothing of it is stored; the other"
          + " lines are (a file is not imported atomically).",
      "Exit 0: all stored; 1: some lines or samples were not; 2: a file cannot be read."
    })
final class ImportCommand implements Callable<Integer> {
  /** The formats {@code --format} takes. */
  enum Format {
    csv,
    jsonl,
    influx,
    openmetrics
  }

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Files to import (.gz read as gzip; - for stdin).")
  List<String> files;

  @Option(
      names = "--format",
      required = true,
      description =
          "csv (timestamp,name,labels,value), jsonl (VictoriaMetrics' JSON lines), influx (line"
              + " protocol), openmetrics.")
  Format format;

  @ArgGroup(multiplicity = "1")
  Target target;

  static final class Target {
    @Option(
        names = "--storage.path",
        paramLabel = "DIR",
        description = "Store directory (no server may hold it).")
    Path storage;

    @Option(
        names = "--url",
        paramLabel = "URL",
        description = "A running server, e.g. http://127.0.0.1:9470.")
    String url;
  }

  @Option(
      names = "--token",
      description = "Bearer token with the write role (default: $VIGIL_TOKEN).")
  String token;

  @Option(
      names = "--precision",
      defaultValue = "ns",
      description = "Line protocol timestamps: ns, us, ms, s (${DEFAULT-VALUE}).")
  String precision;

  @Option(
      names = "--csv-format",
      paramLabel = "SPEC",
      description =
          "For --format csv: VictoriaMetrics' column spec instead of the long layout, e.g."
              + " 1:time:unix_s,2:label:host,3:metric:cpu_usage.")
  String csvFormat;

  @Option(
      names = "--batch",
      defaultValue = "10000",
      description = "Samples per write (${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--no-progress", description = "No progress bar (there is none when piped).")
  boolean noProgress;

  private static final int MAX_SHOWN = 20;
  private static final int MAX_REFUSALS_SHOWN = 5;
  private static final Pattern REFUSED =
      Pattern.compile("^(\\d+) samples written, (\\d+) rejected \\(([^)]*)\\)");

  /** Where chunks go: a store or a server. */
  private interface Sink extends AutoCloseable {
    Totals write(List<ImportedSample> samples) throws IOException;

    @Override
    void close() throws IOException;
  }

  /** Samples stored and refused, and the first refusal messages. */
  record Totals(long written, Map<String, Long> refused, List<String> messages) {}

  @Override
  public Integer call() throws Exception {
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
    }
    if (format == Format.influx) {
      new InfluxLineDecoder(precision, () -> 0); // a bad --precision fails before anything opens
    }
    if (csvFormat != null) {
      if (format != Format.csv) {
        throw new IllegalArgumentException("--csv-format goes with --format csv");
      }
      new VmCsvDecoder(csvFormat, () -> 0); // a bad spec fails before anything opens
    }
    for (String f : files) {
      if (!f.equals("-") && !Files.isRegularFile(Path.of(f))) {
        System.err.println("vigil import: no such file: " + f);
        return 2;
      }
    }
    boolean clean = true;
    try (Sink sink = target.url != null ? server() : store()) {
      for (String f : files) {
        clean &= importFile(f, sink);
      }
    }
    return clean ? 0 : 1;
  }

  private boolean importFile(String name, Sink sink) throws IOException {
    long size = name.equals("-") ? -1 : Files.size(Path.of(name));
    boolean bar = !noProgress && size > 0 && Terminal.interactive();
    long written = 0;
    Map<String, Long> refused = new LinkedHashMap<>();
    List<String> messages = new ArrayList<>();
    long badLines = 0;
    long samples = 0;
    LineDecoder decoder = decoder();
    try (ProgressBar pb = bar ? progress(name, size) : null;
        InputStream raw =
            new Counting(
                name.equals("-") ? System.in : Files.newInputStream(Path.of(name)),
                pb == null ? n -> {} : pb::stepTo);
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(
                    name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw,
                    StandardCharsets.UTF_8),
                1 << 16)) {
      ImportReader reader = new ImportReader(in, decoder);
      for (ImportReader.Chunk c; (c = reader.next(batch)) != null; ) {
        for (LineError e : c.errors()) {
          if (badLines++ < MAX_SHOWN) {
            System.err.println(name + ":" + e.line() + ":" + e.column() + ": " + e.message());
          }
        }
        if (c.samples().isEmpty()) {
          continue;
        }
        samples += c.samples().size();
        Totals t = sink.write(c.samples());
        written += t.written();
        t.refused().forEach((k, v) -> refused.merge(k, v, Long::sum));
        for (String m : t.messages()) {
          if (messages.size() < MAX_REFUSALS_SHOWN) {
            messages.add(m);
          }
        }
      }
      if (badLines > MAX_SHOWN) {
        System.err.println(name + ": ... and " + (badLines - MAX_SHOWN) + " more bad lines");
      }
      long refusedTotal = refused.values().stream().mapToLong(Long::longValue).sum();
      for (String m : messages) {
        System.err.println(name + ": refused: " + m);
      }
      PrintStream out = System.out;
      out.printf(
          Locale.ROOT,
          "%s: %d lines, %d samples read, %d written, %d refused%s, %d bad lines (nothing stored"
              + " from them)%s%n",
          name,
          reader.lines(),
          samples,
          written,
          refusedTotal,
          refused.isEmpty() ? "" : " " + refused,
          badLines,
          decoder instanceof InfluxLineDecoder d && d.stringFieldsSkipped() > 0
              ? ", " + d.stringFieldsSkipped() + " string fields skipped"
              : "");
      return badLines == 0 && refusedTotal == 0;
    }
  }

  private LineDecoder decoder() {
    return switch (format) {
      case csv ->
          csvFormat == null
              ? new CsvDecoder()
              : new VmCsvDecoder(csvFormat, System::currentTimeMillis);
      case jsonl -> new JsonLinesDecoder();
      case influx -> new InfluxLineDecoder(precision, System::currentTimeMillis);
      case openmetrics -> new OpenMetricsDecoder(System::currentTimeMillis);
    };
  }

  private Sink store() throws IOException {
    Path dir = target.storage;
    Tsdb db;
    try {
      Files.createDirectories(dir);
      db = Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(m -> {}).open();
    } catch (StoreInUseException e) {
      throw new IOException(
          dir
              + " is in use by a running Vigil server (lock file "
              + dir.resolve("lock")
              + "): import through it with --url, or stop it first");
    }
    Ingester ingester =
        new Ingester(db, IngestLimits.DEFAULTS, new IngestStats(), System::nanoTime);
    return new Sink() {
      @Override
      public Totals write(List<ImportedSample> samples) {
        WriteResult r = ingester.write(ImportHandler.PROTOCOL, ImportHandler.toBatch(samples));
        Map<String, Long> refused = new LinkedHashMap<>();
        for (RejectReason reason : RejectReason.values()) {
          if (r.rejected(reason) > 0) {
            refused.put(reason.label(), r.rejected(reason));
          }
        }
        return new Totals(r.accepted(), refused, r.errors());
      }

      @Override
      public void close() throws IOException {
        db.close();
      }
    };
  }

  private Sink server() {
    ServerClient client = new ServerClient(target.url, ServerClient.token(token));
    return new Sink() {
      @Override
      public Totals write(List<ImportedSample> samples) throws IOException {
        Map<Labels, int[]> index = new HashMap<>();
        List<Labels> order = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (ImportedSample s : samples) {
          int[] slot = index.get(s.labels());
          if (slot == null) {
            slot = new int[] {order.size(), 0};
            index.put(s.labels(), slot);
            order.add(s.labels());
            times.add(new long[4]);
            values.add(new double[4]);
          }
          int i = slot[0];
          if (slot[1] == times.get(i).length) {
            times.set(i, java.util.Arrays.copyOf(times.get(i), slot[1] * 2));
            values.set(i, java.util.Arrays.copyOf(values.get(i), slot[1] * 2));
          }
          times.get(i)[slot[1]] = s.timeMillis();
          values.get(i)[slot[1]] = s.value();
          slot[1]++;
        }
        List<RemoteWriteEncoder.Series> series = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
          int n = index.get(order.get(i))[1];
          series.add(
              new RemoteWriteEncoder.Series(
                  order.get(i),
                  java.util.Arrays.copyOf(times.get(i), n),
                  java.util.Arrays.copyOf(values.get(i), n)));
        }
        byte[] body = Snappy.compress(RemoteWriteEncoder.v1(series));
        Map<String, String> headers =
            Map.of(
                "Content-Encoding", "snappy",
                "Content-Type", "application/x-protobuf",
                "X-Prometheus-Remote-Write-Version", "0.1.0");
        for (int attempt = 0; ; attempt++) {
          HttpResponse<String> r = client.post("/api/v1/write", headers, body);
          if (r.statusCode() / 100 == 2) {
            return new Totals(samples.size(), Map.of(), List.of());
          }
          if (r.statusCode() == 400) {
            Matcher m = REFUSED.matcher(r.body());
            if (m.find()) {
              Map<String, Long> refused = new LinkedHashMap<>();
              for (String part : m.group(3).split(", ")) {
                int colon = part.indexOf(": ");
                if (colon > 0) {
                  refused.put(part.substring(0, colon), Long.parseLong(part.substring(colon + 2)));
                }
              }
              List<String> lines = r.body().lines().skip(1).toList();
              return new Totals(Long.parseLong(m.group(1)), refused, lines);
            }
          }
          if ((r.statusCode() == 429 || r.statusCode() == 503 || r.statusCode() == 507)
              && attempt < 10) {
            String after = r.headers().firstValue("Retry-After").orElse("1");
            sleepSeconds(after);
            continue;
          }
          throw new IOException(
              "server answered " + r.statusCode() + " to a write: " + r.body().strip());
        }
      }

      @Override
      public void close() {}
    };
  }

  private static void sleepSeconds(String s) throws IOException {
    long sec;
    try {
      sec = Math.min(30, Math.max(1, Long.parseLong(s.strip())));
    } catch (NumberFormatException e) {
      sec = 1;
    }
    try {
      Thread.sleep(sec * 1000); // the server asked to wait (Retry-After)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  private static ProgressBar progress(String name, long size) {
    return new ProgressBarBuilder()
        .setTaskName("import " + Path.of(name).getFileName())
        .setInitialMax(size)
        .setUnit(" MB", 1 << 20)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
        .setUpdateIntervalMillis(250)
        .build();
  }

  /** Counts bytes read, for the progress bar. */
  private static final class Counting extends FilterInputStream {
    private final LongConsumer progress;
    private long n;

    Counting(InputStream in, LongConsumer progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        progress.accept(++n);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int r = super.read(b, off, len);
      if (r > 0) {
        n += r;
        progress.accept(n);
      }
      return r;
    }
  }

  /** OpenMetrics / Prometheus text sample lines; samples without a timestamp take the clock's. */
  static final class OpenMetricsDecoder implements LineDecoder {
    private static final Pattern COLUMN = Pattern.compile(" at column (\\d+)$");
    private final OpenMetricsLine line = new OpenMetricsLine(new HashMap<>());
    private final java.util.function.LongSupplier clockMillis;

    OpenMetricsDecoder(java.util.function.LongSupplier clockMillis) {
      this.clockMillis = clockMillis;
    }

    @Override
    public void decode(String text, List<ImportedSample> out) {
      try {
        line.parse(text);
      } catch (IllegalArgumentException e) {
        String m = e.getMessage() == null ? "invalid sample line" : e.getMessage();
        Matcher c = COLUMN.matcher(m);
        if (c.find()) {
          throw new ImportLineException(m.substring(0, c.start()), Integer.parseInt(c.group(1)));
        }
        throw new ImportLineException(m, 1);
      }
      out.add(
          new ImportedSample(
              line.labels(),
              line.hasTimestamp() ? line.timestampMs() : clockMillis.getAsLong(),
              line.value()));
    }
  }
}
