package dev.vigil.ingest;

import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.ExemplarException;
import dev.vigil.model.Labels;
import dev.vigil.model.Names;
import dev.vigil.model.OutOfOrderException;
import dev.vigil.model.StorageWriteException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The write path shared by every push protocol: applies the ingest rate, label and cardinality
 * limits to a decoded {@link SampleBatch}, appends what passes in one transaction and commits it.
 *
 * <pre>{@code
 * Ingester ing = new Ingester(db, IngestLimits.DEFAULTS, new IngestStats(), System::nanoTime);
 * WriteResult r = ing.write(IngestStats.REMOTE_WRITE, batch);   // returns after the WAL commit
 * }</pre>
 *
 * <p>Thread-safe: each call takes its own {@link Appender}. A sample refused by limits or storage
 * (out of order, invalid labels) is skipped and reported; the rest of the request is still
 * committed. A failure of the commit itself rolls the transaction back and propagates as {@link
 * StorageFailure}, which handlers answer with 5xx so the sender retries.
 */
public final class Ingester {
  /** Messages kept per response: enough to diagnose, bounded so a bad batch stays small. */
  public static final int MAX_ERRORS = 20;

  private final Appendable storage;
  private final IngestLimits limits;
  private final IngestStats stats;
  private final RateLimiter rate;
  private final CardinalityLimiter cardinality;
  private final MetadataStore metadata = new MetadataStore(100_000);
  private final SeriesCache seriesCache;

  public Ingester(
      Appendable storage, IngestLimits limits, IngestStats stats, LongSupplier nanoClock) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.rate = new RateLimiter(limits.samplesPerSecond(), limits.burstSamples(), nanoClock);
    this.cardinality = new CardinalityLimiter(limits.maxSeries());
    this.seriesCache = new SeriesCache(Math.min(limits.maxSeries(), 1_000_000));
  }

  /** Decoded series by their encoded label bytes, for decoders that can use it. */
  public SeriesCache seriesCache() {
    return seriesCache;
  }

  public IngestLimits limits() {
    return limits;
  }

  public IngestStats stats() {
    return stats;
  }

  /** Metric metadata received by push (remote write metadata, OTLP descriptions and units). */
  public MetadataStore metadata() {
    return metadata;
  }

  /**
   * A storage commit that failed: Vigil's fault, answered 5xx so the sender retries. When the disk
   * is full ({@link #noSpace()}), remote write and Influx answer 507 Insufficient Storage and OTLP
   * 503 (the codes its senders retry), each with {@code Retry-After}; otherwise 500 (OTLP 503).
   */
  public static final class StorageFailure extends RuntimeException {
    /** The {@code Retry-After} seconds sent with a no-space refusal. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final boolean noSpace;

    public StorageFailure(String message, Throwable cause) {
      super(message, cause);
      this.noSpace = isNoSpace(cause);
    }

    private static boolean isNoSpace(Throwable t) {
      for (; t != null; t = t.getCause()) {
        if (t instanceof StorageWriteException w) {
          return w.noSpace();
        }
      }
      return false;
    }

    /** Whether storage refused the batch because its file system is full. */
    public boolean noSpace() {
      return noSpace;
    }

    /** The HTTP status for remote write and Influx: 507 for a full disk, else 500. */
    public int status() {
      return noSpace ? 507 : 500;
    }

    /** The response headers: {@code Retry-After} for a full disk. */
    public Map<String, String> headers() {
      return noSpace ? Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)) : Map.of();
    }
  }

  /**
   * Checks, appends and commits a batch.
   *
   * @throws StorageFailure when storage fails to append or commit (nothing of the batch is stored)
   */
  public WriteResult write(String protocol, SampleBatch batch) {
    Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
    List<String> errors = new ArrayList<>();
    batch.decodeRejects().forEach((r, n) -> rejected.merge(r, n, Long::sum));
    for (String e : batch.decodeErrors()) {
      addError(errors, e);
    }
    int n = batch.sampleCount();
    if (!rate.tryAcquire(n)) {
      stats.reject(protocol, RejectReason.RATE_LIMITED, n);
      return new WriteResult(
          0,
          Map.of(RejectReason.RATE_LIMITED, (long) n),
          List.of(
              "ingest rate limit of "
                  + limits.samplesPerSecond()
                  + " samples/s exceeded by a request of "
                  + n
                  + " samples; retry later"),
          true);
    }
    int seriesCount = batch.seriesCount();
    // Per series: the appender's ref once known (0 before), or why the series is refused.
    long[] refs = new long[seriesCount];
    RejectReason[] bad = new RejectReason[seriesCount];
    for (int s = 0; s < seriesCount; s++) {
      SeriesCache.Entry entry = batch.entry(s);
      if (entry != null && entry.admitted) {
        refs[s] = entry.ref; // validated and admitted by an earlier request
        continue;
      }
      Labels labels = batch.labels(s);
      String problem = validate(labels);
      RejectReason reason = null;
      if (problem != null) {
        reason = reasonOf(problem);
      } else if (!cardinality.admit(entry != null ? entry.hash64 : labels.hash64())) {
        reason = RejectReason.CARDINALITY;
        problem =
            "series limit of " + limits.maxSeries() + " reached; new series " + labels + " refused";
      }
      if (reason != null) {
        // Counted per sample below; the message once per series.
        bad[s] = reason;
        addError(errors, problem.substring(problem.indexOf(':') + 1));
      } else if (entry != null) {
        entry.admitted = true;
      }
    }
    long accepted = 0;
    long exemplars = 0;
    Appender app = storage.appender();
    try {
      for (int i = 0; i < n; i++) {
        int s = batch.sampleSeries(i);
        if (bad[s] != null) {
          rejected.merge(bad[s], 1L, Long::sum);
          continue;
        }
        try {
          // Labels are passed with the ref too: some appenders key by labels only.
          long ref = app.append(refs[s], batch.labels(s), batch.time(i), batch.value(i));
          if (ref != refs[s]) {
            refs[s] = ref;
            SeriesCache.Entry entry = batch.entry(s);
            if (entry != null) {
              entry.ref = ref;
            }
          }
          accepted++;
        } catch (OutOfOrderException e) {
          rejected.merge(RejectReason.OUT_OF_ORDER, 1L, Long::sum);
          addError(errors, e.getMessage());
        } catch (IllegalArgumentException e) {
          RejectReason r =
              e.getMessage() != null && e.getMessage().contains("duplicate")
                  ? RejectReason.OUT_OF_ORDER
                  : RejectReason.STORAGE;
          rejected.merge(r, 1L, Long::sum);
          addError(errors, batch.labels(s) + ": " + e.getMessage());
        }
      }
      exemplars = appendExemplars(batch, app, refs, bad);
      app.commit();
    } catch (RuntimeException e) {
      try {
        app.rollback();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new StorageFailure(
          e instanceof StorageWriteException w && w.noSpace()
              // The store logged the file and offset; the sender needs the reason, not the path.
              ? "no space left on device: the batch was not written to the WAL and is not"
                  + " acknowledged; retry it once space is freed"
              : "storage failed to commit the batch: " + e.getMessage(),
          e);
    }
    stats.accept(protocol, accepted);
    rejected.forEach((r, c) -> stats.reject(protocol, r, c));
    return new WriteResult(accepted, rejected, errors, false, exemplars);
  }

  /**
   * Appends the batch's exemplars to their (admitted) series; refused ones (out of order, label set
   * too long) are skipped, as Prometheus' receiver does. Returns how many were appended.
   */
  private static long appendExemplars(
      SampleBatch batch, Appender app, long[] refs, RejectReason[] bad) {
    long n = 0;
    for (int i = 0; i < batch.exemplarCount(); i++) {
      int s = batch.exemplarSeries(i);
      if (bad[s] != null) {
        continue;
      }
      try {
        refs[s] = app.appendExemplar(refs[s], batch.labels(s), batch.exemplar(i));
        n++;
      } catch (ExemplarException e) {
        // skipped: Prometheus logs these at debug level and still answers 2xx
      }
    }
    return n;
  }

  private static void addError(List<String> errors, String e) {
    if (errors.size() < MAX_ERRORS) {
      errors.add(e);
    }
  }

  /* Problems are "reason:message" so one string carries both without another allocation. */
  private static RejectReason reasonOf(String problem) {
    return RejectReason.valueOf(problem.substring(0, problem.indexOf(':')));
  }

  /** Returns null when valid, else "REASON:message". */
  private String validate(Labels labels) {
    String name = labels.metricName();
    if (name == null) {
      return "INVALID_LABELS:series " + labels + " has no metric name (__name__)";
    }
    if (!validMetricName(name)) {
      return "INVALID_LABELS:invalid metric name \""
          + name
          + "\" (must match [a-zA-Z_:][a-zA-Z0-9_:]*)";
    }
    if (labels.size() > limits.maxLabelsPerSeries()) {
      return "TOO_MANY_LABELS:series "
          + labels
          + " has "
          + labels.size()
          + " labels, over the limit of "
          + limits.maxLabelsPerSeries();
    }
    for (int i = 0; i < labels.size(); i++) {
      String ln = labels.name(i);
      if (!validLabelName(ln)) {
        return "INVALID_LABELS:series " + name + " has an invalid label name \"" + ln + "\"";
      }
      if (ln.length() > limits.maxLabelNameLength()) {
        return "LABEL_TOO_LONG:series "
            + name
            + " has a label name of "
            + ln.length()
            + " characters, over the limit of "
            + limits.maxLabelNameLength();
      }
      if (labels.value(i).length() > limits.maxLabelValueLength()) {
        return "LABEL_TOO_LONG:series "
            + name
            + " label "
            + ln
            + " has a value of "
            + labels.value(i).length()
            + " characters, over the limit of "
            + limits.maxLabelValueLength();
      }
    }
    return null;
  }

  /** Whether {@code s} is a valid Prometheus metric name. */
  public static boolean validMetricName(String s) {
    return Names.isValidMetricName(s);
  }

  /** Whether {@code s} is a valid Prometheus label name ({@code __name__} included). */
  public static boolean validLabelName(String s) {
    return Names.isValidLabelName(s);
  }
}
