package dev.vigil.cli.export;

import dev.vigil.cli.tsdb.StoreTools;
import dev.vigil.export.ExportFormat;
import dev.vigil.export.ExportWriters;
import dev.vigil.export.SeriesExport;
import dev.vigil.export.SeriesWriter;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SelectHints;
import dev.vigil.model.Series;
import dev.vigil.model.SeriesSet;
import dev.vigil.promql.Engine;
import dev.vigil.promql.PromqlException;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.tsdb.StoreInUseException;
import dev.vigil.tsdb.Tsdb;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs one {@code vigil export}: opens the source (a server, a data directory no server holds, or
 * the persisted blocks of one a server holds), the writer of the format, and streams series by
 * series. A file is written under a temporary name beside it and renamed when complete, so a failed
 * export never leaves a truncated file under the name asked for.
 */
public final class ExportRun {
  private ExportRun() {}

  /**
   * @param stdout where {@code --output -} goes
   * @param notes where notes for the user go (standard error)
   * @param progress told the running sample count
   * @return the number of samples written
   * @throws IllegalArgumentException for a bad selector or query (one line, for the user)
   * @throws IOException when the source or the output fails
   */
  public static long run(
      ExportRequest req, OutputStream stdout, PrintStream notes, SeriesExport.Progress progress)
      throws IOException, InterruptedException {
    return run(req, stdout, notes, progress, System.getenv());
  }

  /**
   * As {@link #run(ExportRequest, OutputStream, PrintStream, SeriesExport.Progress)}, with the
   * environment the Datadog destination reads ({@code DD_API_KEY}, {@code DD_SITE}).
   */
  public static long run(
      ExportRequest req,
      OutputStream stdout,
      PrintStream notes,
      SeriesExport.Progress progress,
      java.util.Map<String, String> env)
      throws IOException, InterruptedException {
    List<List<LabelMatcher>> matchers = new ArrayList<>();
    for (String m : req.matches()) {
      try {
        matchers.add(Parser.parseMatchers(m));
      } catch (ParseException | IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid selector \"" + m + "\": " + e.getMessage());
      }
    }
    if (req.query() != null && !req.query().isBlank()) {
      try {
        Parser.parse(req.query());
      } catch (ParseException e) {
        throw new IllegalArgumentException("invalid --query: " + e.getMessage());
      }
    }
    if (req.storagePath() != null && !Files.isDirectory(req.storagePath())) {
      throw new IllegalArgumentException(
          "--storage.path " + req.storagePath() + " is not a directory");
    }
    if (req.output().equals("-")) {
      OutputStream out = new BufferedOutputStream(stdout, 1 << 16);
      try (SeriesWriter w = ExportWriters.open(req.format(), req.layout(), out)) {
        long n = export(req, matchers, w, notes, progress);
        w.finish();
        out.flush();
        return n;
      }
    }
    if (DatadogWriter.is(req.output())) {
      try (SeriesWriter w = DatadogWriter.open(req.output(), env)) {
        long n = export(req, matchers, w, notes, progress);
        w.finish();
        return n;
      }
    }
    if (S3Target.is(req.output())) {
      return toS3(req, matchers, notes, progress, env);
    }
    if (InfluxDestination.is(req.output())) {
      if (req.format() != ExportFormat.INFLUX) {
        throw new IllegalArgumentException(
            "an InfluxDB destination (" + req.output() + ") takes --format influx");
      }
      HttpBatchOutput out = InfluxDestination.open(req.output());
      try (SeriesWriter w = ExportWriters.open(req.format(), req.layout(), out)) {
        long n = export(req, matchers, w, notes, progress);
        w.finish();
        return n;
      }
    }
    Path target = Path.of(req.output()).toAbsolutePath();
    if (Files.isDirectory(target)) {
      throw new IllegalArgumentException("--output " + req.output() + " is a directory");
    }
    Path parent = target.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(
          "--output " + req.output() + ": no such directory " + parent);
    }
    Path tmp = target.resolveSibling("." + target.getFileName() + ".partial");
    boolean done = false;
    try {
      long n;
      if (req.format() == ExportFormat.SQLITE) {
        try (SeriesWriter w = ExportWriters.sqlite(tmp)) {
          n = export(req, matchers, w, notes, progress);
          w.finish();
        }
      } else {
        try (OutputStream out = Files.newOutputStream(tmp);
            SeriesWriter w = ExportWriters.open(req.format(), req.layout(), out)) {
          n = export(req, matchers, w, notes, progress);
          w.finish();
        }
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      return n;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * {@code --output s3://bucket/prefix/[name]}: the export streamed into an {@link S3Upload} (one
   * PUT, or a multipart upload aborted on failure); a sqlite database is written to a temporary
   * file first (SQLite writes a file) and then streamed.
   */
  private static long toS3(
      ExportRequest req,
      List<List<LabelMatcher>> matchers,
      PrintStream notes,
      SeriesExport.Progress progress,
      java.util.Map<String, String> env)
      throws IOException, InterruptedException {
    S3Target target =
        S3Target.parse(
            req.output(),
            S3Target.defaultName(req.startMs(), req.endMs(), extension(req.format())),
            env);
    String key = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (key == null || key.isBlank() || secret == null || secret.isBlank()) {
      throw new IllegalArgumentException(
          "an S3 destination needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
              + " (and AWS_SESSION_TOKEN for temporary ones)");
    }
    String token = env.get("AWS_SESSION_TOKEN");
    SigV4.Credentials creds =
        new SigV4.Credentials(
            key.strip(), secret.strip(), token == null || token.isBlank() ? null : token.strip());
    int partBytes = S3Upload.PART_BYTES;
    // For tests only: a small part size makes a small export go multipart.
    String p = env.get(PART_BYTES_ENV);
    if (p != null && !p.isBlank()) {
      try {
        partBytes = Integer.parseInt(p.strip());
      } catch (NumberFormatException e) {
        partBytes = 0;
      }
      if (partBytes < 1) {
        throw new IllegalArgumentException(PART_BYTES_ENV + " must be a positive number of bytes");
      }
    }
    try (S3Upload up = new S3Upload(target, creds, partBytes, java.time.Clock.systemUTC())) {
      long n;
      if (req.format() == ExportFormat.SQLITE) {
        Path tmp = Files.createTempFile("vigil-export", ".sqlite");
        try {
          try (SeriesWriter w = ExportWriters.sqlite(tmp)) {
            n = export(req, matchers, w, notes, progress);
            w.finish();
          }
          Files.copy(tmp, up);
        } finally {
          Files.deleteIfExists(tmp);
        }
      } else {
        try (SeriesWriter w = ExportWriters.open(req.format(), req.layout(), up)) {
          n = export(req, matchers, w, notes, progress);
          w.finish();
        }
      }
      up.complete();
      notes.println(
          "vigil export: uploaded "
              + target
              + (up.parts() == 0 ? " (one request)" : " (" + up.parts() + " parts)"));
      return n;
    }
  }

  /** The environment variable that sets the multipart part size in bytes (tests only). */
  static final String PART_BYTES_ENV = "VIGIL_S3_PART_BYTES";

  /** The file name extension of an object named by default. */
  static String extension(ExportFormat f) {
    return switch (f) {
      case INFLUX -> "lp";
      case OPENMETRICS -> "om.txt";
      default -> f.id();
    };
  }

  private static long export(
      ExportRequest req,
      List<List<LabelMatcher>> matchers,
      SeriesWriter w,
      PrintStream notes,
      SeriesExport.Progress progress)
      throws IOException, InterruptedException {
    if (req.url() != null) {
      RemoteSource remote = new RemoteSource(req.url(), req.token());
      if (req.stepMs() == 0) {
        return remote.raw(req.matches(), req.startMs(), req.endMs(), w, progress);
      }
      long n = 0;
      for (String q : queries(req)) {
        n += remote.range(q, req.startMs(), req.endMs(), req.stepMs(), w, progress);
      }
      return n;
    }
    Path dir = req.storagePath();
    boolean inUse = StoreTools.inUse(dir);
    if (req.stepMs() == 0) {
      // Blocks are decoded on this thread while the writer formats on another (bounded queue).
      try (SeriesWriter p = ExportWriters.pipelined(w)) {
        return rawOffline(req, matchers, dir, inUse, p, notes, progress);
      }
    }
    if (inUse) {
      notes.println(
          "vigil export: "
              + dir
              + " is in use by a running Vigil server: evaluating on its persisted blocks, read"
              + " without the lock (the newest samples, in the server's head, are not included:"
              + " export with --url for them)");
      return grid(new ReadOnlyBlocks(StoreTools.openBlocksReadOnly(dir)), req, w, progress);
    }
    try (Tsdb db = Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      return grid(db, req, w, progress);
    } catch (StoreInUseException e) {
      return grid(new ReadOnlyBlocks(StoreTools.openBlocksReadOnly(dir)), req, w, progress);
    }
  }

  /** The raw samples of a data directory: its blocks one at a time, then a free store's WAL. */
  private static long rawOffline(
      ExportRequest req,
      List<List<LabelMatcher>> matchers,
      Path dir,
      boolean inUse,
      SeriesWriter w,
      PrintStream notes,
      SeriesExport.Progress progress)
      throws IOException {
    if (inUse) {
      notes.println(
          "vigil export: "
              + dir
              + " is in use by a running Vigil server: exporting its persisted blocks, read"
              + " without the lock (the newest samples, still in the server's head, are not"
              + " included: export with --url for them)");
    }
    BlockStream.Result r =
        BlockStream.write(dir, matchers, req.startMs(), req.endMs(), w, progress, notes);
    long n = r.samples();
    // A store no server holds may have samples newer than its blocks in its WAL: those are
    // read by opening the store (which holds every block's index: not constant memory).
    long from =
        r.maxTime() == Long.MIN_VALUE ? req.startMs() : Math.max(req.startMs(), r.maxTime());
    if (!inUse && walHasData(dir) && from <= req.endMs()) {
      try (Tsdb db = Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
        long base = n;
        n += raw(db, from, req.endMs(), matchers, w, c -> progress.samples(base + c));
      } catch (StoreInUseException e) {
        notes.println("vigil export: a server took " + dir + " meanwhile: its head was not read");
      }
    }
    return n;
  }

  /** Whether the store's WAL holds anything (after a clean head cut it may be empty). */
  private static boolean walHasData(Path dir) throws IOException {
    Path wal = dir.resolve("wal");
    if (!Files.isDirectory(wal)) {
      return false;
    }
    try (java.util.stream.Stream<Path> s = Files.walk(wal)) {
      return s.filter(Files::isRegularFile).anyMatch(p -> p.toFile().length() > 0);
    }
  }

  /** PromQL (each selector, or the query) evaluated on the grid. */
  private static long grid(
      Queryable storage, ExportRequest req, SeriesWriter w, SeriesExport.Progress progress)
      throws IOException {
    Engine engine = Engine.builder(storage).timeout(Duration.ofDays(1)).build();
    long n = 0;
    for (String q : queries(req)) {
      QueryResult r;
      try {
        r = engine.rangeQuery(q, req.startMs(), req.endMs(), req.stepMs());
      } catch (PromqlException e) {
        throw new IllegalArgumentException("query \"" + q + "\": " + e.getMessage());
      }
      for (QueryResult.Series s : r.matrix()) {
        if (s.size() == 0) {
          continue;
        }
        w.beginSeries(s.labels());
        for (int i = 0; i < s.size(); i++) {
          w.sample(s.timestamps()[i], s.values()[i]);
        }
        w.endSeries();
        n += s.size();
        progress.samples(n);
      }
    }
    return n;
  }

  /** Raw samples in {@code [mint, maxt]} of the series matching any set, each series once. */
  private static long raw(
      Queryable storage,
      long mint,
      long maxt,
      List<List<LabelMatcher>> matchers,
      SeriesWriter w,
      SeriesExport.Progress progress)
      throws IOException {
    long n = 0;
    Set<Labels> seen = matchers.size() > 1 ? new HashSet<>() : null;
    try (Querier q = storage.querier(mint, maxt)) {
      for (List<LabelMatcher> m : matchers) {
        SeriesSet set = q.select(SelectHints.range(mint, maxt), m);
        if (seen != null) {
          set = distinct(set, seen);
        }
        long base = n;
        n += SeriesExport.write(set, mint, maxt, w, c -> progress.samples(base + c));
      }
    }
    return n;
  }

  private static List<String> queries(ExportRequest req) {
    return req.query() != null && !req.query().isBlank() ? List.of(req.query()) : req.matches();
  }

  private static SeriesSet distinct(SeriesSet set, Set<Labels> seen) {
    return new SeriesSet() {
      @Override
      public boolean next() {
        while (set.next()) {
          if (seen.add(set.at().labels())) {
            return true;
          }
        }
        return false;
      }

      @Override
      public Series at() {
        return set.at();
      }
    };
  }
}
