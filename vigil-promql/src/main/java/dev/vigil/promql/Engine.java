package dev.vigil.promql;

import dev.vigil.model.Labels;
import dev.vigil.model.QueryCanceledException;
import dev.vigil.model.QueryDeadline;
import dev.vigil.model.Queryable;
import dev.vigil.promql.Value.MatrixValue;
import dev.vigil.promql.Value.ScalarValue;
import dev.vigil.promql.Value.StringValue;
import dev.vigil.promql.Value.VectorValue;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The PromQL query engine: parses a query and evaluates it over a {@link Queryable} with Prometheus
 * 3 semantics (left-open windows, 5 m lookback, staleness, {@code @} and offset, delayed {@code
 * __name__} removal).
 *
 * <pre>{@code
 * Engine engine = Engine.builder(db).timeout(Duration.ofSeconds(30)).build();
 * QueryResult now = engine.instantQuery("sum by (job) (rate(http_requests_total[5m]))", t);
 * QueryResult chart = engine.rangeQuery("up", t - 3_600_000, t, 15_000);
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may query; at most {@code maxConcurrent} evaluate at once,
 * the others wait up to the timeout. Limits fail a query with a {@link QueryLimitException}; the
 * memory it held is released.
 */
public final class Engine {
  /** Default maximum samples in memory per query, as Prometheus' {@code --query.max-samples}. */
  public static final long DEFAULT_MAX_SAMPLES = 50_000_000;

  /**
   * Default maximum steps of one evaluation: a range query, or a subquery over all its windows.
   * Each step costs tens of bytes before any sample is read (measured: 43.2 million steps of {@code
   * vector(1)[12h:1ms]} took 1.4 GB and more than a minute), so a million steps bounds that to tens
   * of MB while {@code [1w:1s]} (604,800 steps) still runs.
   */
  public static final long DEFAULT_MAX_STEPS = 1_000_000;

  private final Queryable storage;
  private final long lookbackMs;
  private final long maxSamples;
  private final long maxSteps;
  private final Duration timeout;
  private final Semaphore slots;
  private final int maxConcurrent;
  private final SourceResolution sourceResolution;

  private Engine(Builder b) {
    this.sourceResolution = b.sourceResolution;
    this.storage = b.storage;
    this.lookbackMs = b.lookback.toMillis();
    this.maxSamples = b.maxSamples;
    this.maxSteps = b.maxSteps;
    this.timeout = b.timeout;
    this.maxConcurrent = b.maxConcurrent;
    this.slots = new Semaphore(b.maxConcurrent, true);
  }

  /** A builder over a storage. */
  public static Builder builder(Queryable storage) {
    return new Builder(storage);
  }

  /** Evaluates {@code query} at {@code timeMs} (ms since the epoch). */
  public QueryResult instantQuery(String query, long timeMs) {
    return instantQuery(query, timeMs, QueryOptions.DEFAULT);
  }

  /** Like {@link #instantQuery(String, long)} with per-query {@link QueryOptions}. */
  public QueryResult instantQuery(String query, long timeMs, QueryOptions options) {
    Expr e = Parser.parse(query);
    return run(query, e, timeMs, timeMs, 0, false, resolution(options), timeout(options));
  }

  /** Evaluates {@code query} at every step from {@code startMs} to {@code endMs} inclusive. */
  public QueryResult rangeQuery(String query, long startMs, long endMs, long stepMs) {
    return rangeQuery(query, startMs, endMs, stepMs, QueryOptions.DEFAULT);
  }

  /**
   * Like {@link #rangeQuery(String, long, long, long)}, reading stored rollups up to {@code
   * maxSource} where they answer a selector's function (see {@link SourceResolution}); {@link
   * SourceResolution#RAW} is exact.
   */
  public QueryResult rangeQuery(
      String query, long startMs, long endMs, long stepMs, SourceResolution maxSource) {
    return rangeQuery(
        query,
        startMs,
        endMs,
        stepMs,
        QueryOptions.DEFAULT.withMaxSourceResolution(
            Objects.requireNonNull(maxSource, "maxSource")));
  }

  /** Like {@link #rangeQuery(String, long, long, long)} with per-query {@link QueryOptions}. */
  public QueryResult rangeQuery(
      String query, long startMs, long endMs, long stepMs, QueryOptions options) {
    if (stepMs <= 0) {
      throw new InvalidQueryException(
          "zero or negative query resolution step widths are not accepted. Try a positive"
              + " integer");
    }
    if (endMs < startMs) {
      throw new InvalidQueryException("end timestamp must not be before start time");
    }
    Expr e = Parser.parse(query);
    if (e.type() != ValueType.VECTOR && e.type() != ValueType.SCALAR) {
      throw new InvalidQueryException(
          "invalid expression type \""
              + e.type()
              + "\" for range query, must be Scalar or instant Vector");
    }
    return run(query, e, startMs, endMs, stepMs, true, resolution(options), timeout(options));
  }

  private SourceResolution resolution(QueryOptions o) {
    return o.maxSourceResolution() != null ? o.maxSourceResolution() : sourceResolution;
  }

  /** The shorter of the query's timeout and the engine's. */
  private Duration timeout(QueryOptions o) {
    Duration requested = o.timeout();
    if (requested == null || requested.compareTo(timeout) >= 0) {
      return timeout;
    }
    return requested.isNegative() ? Duration.ZERO : requested;
  }

  private QueryResult run(
      String query,
      Expr e,
      long start,
      long end,
      long step,
      boolean range,
      SourceResolution maxSource,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new QueryLimitException(
            QueryLimitException.Kind.CONCURRENCY,
            "query timed out waiting for one of "
                + maxConcurrent
                + " concurrent query slots; retry later or raise the limit");
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new PromqlException("query interrupted while waiting for a slot");
    }
    Annotations ann = new Annotations(query);
    QueryContext ctx = new QueryContext(maxSamples, maxSteps, deadline, ann, start, end);
    ctx.rangeQuery = range;
    // Storage checks the same deadline inside its label-value loops.
    try (QueryDeadline.Scope scope = QueryDeadline.at(deadline, System::nanoTime).enter()) {
      Evaluator ev = new Evaluator(storage, ctx, start, end, range ? step : 0, lookbackMs);
      ev.sourceResolution = maxSource;
      Value v;
      try {
        v = ev.eval(e);
      } catch (StackOverflowError so) {
        // A safety net only: the parser's depth limit keeps evaluation within a 512 KB stack
        // (NestingLimitTest). Evaluation changes nothing outside this query, so it can stop here.
        throw new PromqlException(
            "query too deeply nested to evaluate on this thread's stack; simplify the query");
      }
      ctx.checkDeadlineNow();
      List<String> warnings = new ArrayList<>(ann.warnings);
      List<String> infos = new ArrayList<>(ann.infos);
      return switch (v) {
        case ScalarValue s -> {
          if (!range) {
            yield QueryResult.scalar(start, s.values()[0], warnings, infos);
          }
          long[] ts = new long[ev.numSteps];
          for (int i = 0; i < ts.length; i++) {
            ts[i] = ev.ts(i);
          }
          yield QueryResult.matrix(
              List.of(new QueryResult.Series(Labels.EMPTY, ts, s.values().clone())),
              warnings,
              infos);
        }
        case StringValue s -> QueryResult.string(start, s.value(), warnings, infos);
        case VectorValue vv -> {
          List<StepSeries> cleaned = cleanup(vv.series());
          if (!range) {
            List<Sample> out = new ArrayList<>(cleaned.size());
            for (StepSeries s : cleaned) {
              out.add(new Sample(s.labels, start, s.values[0]));
            }
            yield QueryResult.vector(out, warnings, infos);
          }
          List<QueryResult.Series> out = new ArrayList<>(cleaned.size());
          for (StepSeries s : cleaned) {
            long[] ts = new long[s.size];
            for (int i = 0; i < s.size; i++) {
              ts[i] = ev.ts(s.steps[i]);
            }
            out.add(new QueryResult.Series(s.labels, ts, Arrays.copyOf(s.values, s.size)));
          }
          out.sort((a, b) -> a.labels().compareTo(b.labels()));
          yield QueryResult.matrix(out, warnings, infos);
        }
        case MatrixValue m -> {
          List<QueryResult.Series> out = new ArrayList<>();
          for (RawSeries s : m.series()) {
            Labels l = s.dropName ? s.labels.withoutMetricName() : s.labels;
            out.add(
                new QueryResult.Series(
                    l, Arrays.copyOf(s.ts, s.size), Arrays.copyOf(s.vals, s.size)));
          }
          out.sort((a, b) -> a.labels().compareTo(b.labels()));
          yield QueryResult.matrix(out, warnings, infos);
        }
      };
    } catch (QueryCanceledException qc) {
      if (qc.isTimeout()) {
        throw new QueryLimitException(
            QueryLimitException.Kind.TIMEOUT, "query timed out in query execution");
      }
      throw new PromqlException("query canceled");
    } finally {
      ctx.closeAll();
      slots.release();
    }
  }

  /**
   * Drops {@code __name__} where an operation asked for it, then merges series whose labels now
   * coincide; two values at one step for the same labels are an error, as in Prometheus.
   */
  static List<StepSeries> cleanup(List<StepSeries> in) {
    Map<Labels, StepSeries> out = new LinkedHashMap<>();
    boolean merged = false;
    for (StepSeries s : in) {
      if (s.dropName) {
        s.labels = s.labels.withoutMetricName();
        s.dropName = false;
      }
      StepSeries prev = out.putIfAbsent(s.labels, s);
      if (prev != null) {
        merged = true;
        StepSeries m = new StepSeries(s.labels, false, prev.size + s.size);
        int i = 0;
        int j = 0;
        while (i < prev.size || j < s.size) {
          if (j >= s.size || (i < prev.size && prev.steps[i] < s.steps[j])) {
            m.add(prev.steps[i], prev.values[i]);
            i++;
          } else if (i >= prev.size || s.steps[j] < prev.steps[i]) {
            m.add(s.steps[j], s.values[j]);
            j++;
          } else {
            throw new PromqlException("vector cannot contain metrics with the same labelset");
          }
        }
        out.put(s.labels, m);
      }
    }
    return merged || out.size() != in.size() ? new ArrayList<>(out.values()) : in;
  }

  /** Configures an {@link Engine}; defaults follow Prometheus. */
  public static final class Builder {
    private final Queryable storage;
    private Duration lookback = Duration.ofMinutes(5);
    private long maxSamples = DEFAULT_MAX_SAMPLES;
    private long maxSteps = DEFAULT_MAX_STEPS;
    private Duration timeout = Duration.ofMinutes(2);
    private int maxConcurrent = 20;
    private SourceResolution sourceResolution = SourceResolution.RAW;

    private Builder(Queryable storage) {
      this.storage = Objects.requireNonNull(storage, "storage");
    }

    /** How far back an instant selector looks for a sample (default 5 m). */
    public Builder lookbackDelta(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("lookback delta must be positive, got " + d);
      }
      this.lookback = d;
      return this;
    }

    /** Maximum samples a query may hold in memory at once (default 50 million). */
    public Builder maxSamples(long n) {
      if (n <= 0) {
        throw new IllegalArgumentException("max samples must be positive, got " + n);
      }
      this.maxSamples = n;
      return this;
    }

    /**
     * Maximum steps of one evaluation, a range query or a subquery over all its windows (default
     * one million), checked before anything is allocated.
     */
    public Builder maxSteps(long n) {
      if (n <= 0) {
        throw new IllegalArgumentException("max steps must be positive, got " + n);
      }
      this.maxSteps = n;
      return this;
    }

    /** Per-query timeout, including the wait for a slot (default 2 minutes). */
    public Builder timeout(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + d);
      }
      this.timeout = d;
      return this;
    }

    /** Maximum queries evaluating at once (default 20). */
    public Builder maxConcurrent(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("max concurrent queries must be positive, got " + n);
      }
      this.maxConcurrent = n;
      return this;
    }

    /**
     * The coarsest stored data queries read unless a range query names its own (default {@link
     * SourceResolution#RAW}: exact answers).
     */
    public Builder maxSourceResolution(SourceResolution r) {
      this.sourceResolution = Objects.requireNonNull(r, "resolution");
      return this;
    }

    public Engine build() {
      return new Engine(this);
    }
  }
}
