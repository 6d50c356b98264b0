package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.Collector;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import dev.vigil.metrics.MetricStats;
import dev.vigil.metrics.model.MetricSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One method per call the seeds make from their applications: API requests, model generations,
 * errors, user sessions, workflows, file operations, caches, agents, incidents and recoveries,
 * events and queues, quality (VIBEZEN's thinking, DevLoop's findings and value), and timed
 * operations with trace ids.
 *
 * {@snippet :
 * Recorders rec = Recorders.builder().namespace("dinoair").build();
 * registry.register(rec);
 * rec.recordApiRequest("comfyui", "/generate", "POST", 200, 1.23);
 * rec.recordModelGeneration("llama2-7b", 15.4, true, 256, 512);
 * rec.recordError("connection_timeout", "Failed to connect to ComfyUI", "comfyui", "error");
 * rec.startUserSession("session_123", "Mozilla/5.0 ...");
 * rec.recordIncidentStart("service", "comfyui"); // ... then, once it works again:
 * rec.recordRecovered("service", "comfyui");      // recovery time, MTTR
 * try (Span s = rec.measureDuration("code_generation", Map.of("provider", "openai"))) {
 *   s.attribute("lines_generated", 100);
 * }
 * }
 *
 * <p>Every metric name starts with the namespace (default {@code app_}); {@code docs/metrics.md}
 * lists them. Every method is thread-safe. The counting ones ({@link #recordApiRequest}, {@link
 * #recordModelGeneration}, {@link #recordCacheOperation}, {@link #recordWorkflowExecution}, {@link
 * #recordAgentRun}) allocate nothing on the hot path: they look up cached labelled children and add
 * to striped counters.
 *
 * <p>Bad input is refused with an {@link IllegalArgumentException} that names the method and the
 * argument, before anything is recorded: null or empty names, names over 128 characters, negative
 * or NaN durations and counts, status codes outside 100-599, unknown severities and agent states.
 * HTTP methods outside the standard nine are recorded as {@code OTHER}. Labels never hold unbounded
 * values (paths, session ids, messages); each labelled metric also has the registry's cardinality
 * limit.
 *
 * <p>Events (the file events log, the recent errors, spans and quality events) and exemplars can be
 * sampled per recorder ({@link Builder#sampling(String, double)}); counters, gauges and histograms
 * always count every call.
 *
 * <p>Registered as one {@link Collector}; each scrape first expires idle sessions.
 */
public final class Recorders implements Collector, AutoCloseable {

  /** Durations of {@link #measureDuration}: 1 ms to 5 min. */
  static final Buckets OPERATION =
      Buckets.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300);

  private final String namespace;
  private final ApiRecorder api;
  private final GrpcRecorder grpc;
  private final ModelRecorder models;
  private final ErrorRecorder errors;
  private final SessionRecorder sessions;
  private final WorkflowRecorder workflows;
  private final FileOperationRecorder files;
  private final CacheRecorder caches;
  private final AgentRecorder agents;
  private final IncidentRecorder incidents;
  private final EventRecorder events;
  private final QualityRecorder quality;
  private final SystemMetricRecorder systemMetrics;
  private final Histogram operations;
  private final SpanLog spans;
  private final FileEventLog fileEvents;
  private final LongSupplier clockMillis;
  private final List<Metric> metrics = new ArrayList<>();
  private final Map<String, Sampler> samplers;
  private volatile long nextExemplarNanos = System.nanoTime();
  private final Sampler spanSampler;

  /**
   * The recorders whose events and exemplars can be sampled, as {@link Builder#sampling(String,
   * double)} names them: {@code api, errors, files, spans, quality}.
   */
  public static final List<String> SAMPLED = Sampler.RECORDERS;

  /** At most this many spans per second leave their trace and span id as an exemplar. */
  static final int EXEMPLARS_PER_SECOND = 10;

  private Recorders(Builder b) {
    Names n = new Names(b.namespace);
    this.namespace = n.prefix();
    this.clockMillis = b.clockMillis;
    this.samplers = samplers(b);
    this.spanSampler = samplers.get("spans");
    this.fileEvents =
        b.fileEventsPath == null ? null : FileEventLog.builder(b.fileEventsPath).build();
    api = new ApiRecorder(n, sampler("api"));
    grpc = new GrpcRecorder(n);
    models = new ModelRecorder(n, b.prices);
    errors =
        new ErrorRecorder(
            n, b.errorLogCapacity, b.errorSampleLimits, clockMillis, sampler("errors"));
    sessions =
        new SessionRecorder(
            n, new SessionTracker(b.nanoClock, b.sessionIdleTimeout.toNanos(), b.maxSessions));
    workflows = new WorkflowRecorder(n);
    files = new FileOperationRecorder(n, fileEvents, clockMillis, sampler("files"));
    caches = new CacheRecorder(n);
    agents = new AgentRecorder(n, clockMillis);
    incidents = new IncidentRecorder(n, b.nanoClock, agents);
    events = new EventRecorder(n);
    quality = new QualityRecorder(n, b.qualityLogCapacity, clockMillis, sampler("quality"));
    systemMetrics =
        new SystemMetricRecorder(
            n,
            b.systemMetricTypes,
            b.maxSystemMetricTypes,
            b.systemMetricEventCapacity,
            fileEvents,
            clockMillis);
    operations =
        Histogram.builder()
            .name(n.of("operation_duration_seconds"))
            .help("Duration of operations timed with measureDuration, by operation and status.")
            .labelNames("operation", "status")
            .buckets(OPERATION)
            .build();
    spans = new SpanLog(b.spanLogCapacity);
    metrics.addAll(api.metrics());
    metrics.addAll(grpc.metrics());
    metrics.addAll(models.metrics());
    metrics.addAll(errors.metrics());
    metrics.addAll(sessions.metrics());
    metrics.addAll(workflows.metrics());
    metrics.addAll(files.metrics());
    metrics.addAll(caches.metrics());
    metrics.addAll(agents.metrics());
    metrics.addAll(incidents.metrics());
    metrics.addAll(events.metrics());
    metrics.addAll(quality.metrics());
    metrics.addAll(systemMetrics.metrics());
    metrics.add(operations);
  }

  /** Returns a builder with namespace {@code app_}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the namespace prefix every name starts with, e.g. {@code app_}. */
  public String namespace() {
    return namespace;
  }

  // ---- API requests ----

  /**
   * Records what only a gRPC call has, beside its {@link #startApiRequest API request} (which the
   * gRPC interceptors of vigil-web also record): its gRPC status code by name and the messages each
   * way ({@code grpc_calls_total}, {@code grpc_messages_received_total}, {@code
   * grpc_messages_sent_total}).
   *
   * @param service the serving (or called) application, as in {@link #recordApiRequest}
   * @param endpoint the full method name, e.g. {@code /shop.Cart/AddItem} (a bounded set)
   * @param type {@code unary}, {@code client_streaming}, {@code server_streaming}, {@code
   *     bidi_streaming} or {@code unknown}
   * @param code the gRPC status code's name: {@code OK}, {@code CANCELLED}, {@code NOT_FOUND}, ...
   * @param messagesReceived messages received by this side of the call
   * @param messagesSent messages sent by this side of the call
   * @throws IllegalArgumentException for a bad label, an unknown type or code, a negative count
   */
  public void recordGrpcCall(
      String service,
      String endpoint,
      String type,
      String code,
      long messagesReceived,
      long messagesSent) {
    grpc.record(service, endpoint, type, code, messagesReceived, messagesSent);
  }

  /**
   * Records one API request (DinoAir's {@code record_api_request}).
   *
   * @param service the called service, e.g. {@code comfyui}
   * @param endpoint the route template, e.g. {@code /users/{id}} (never a raw path)
   * @param method the HTTP method
   * @param statusCode the response status, 100-599; 400 and above also count as errors
   * @param seconds the response time
   */
  public void recordApiRequest(
      String service, String endpoint, String method, int statusCode, double seconds) {
    api.record(service, endpoint, method, statusCode, seconds);
  }

  /** Starts an API request counted in the in-flight gauge until the scope is closed. */
  public ApiRequestScope startApiRequest(String service, String endpoint, String method) {
    return new ApiRequestScope(api, service, endpoint, method);
  }

  // ---- Model generations ----

  /** Records a generation with provider {@code unknown}. */
  public void recordModelGeneration(
      String model, double seconds, boolean success, long promptTokens, long outputTokens) {
    models.record(model, "unknown", seconds, success, promptTokens, outputTokens);
  }

  /**
   * Records a generation (DinoAir's {@code record_model_generation}); the cost is computed from the
   * model's configured {@link ModelPrice}, if any.
   */
  public void recordModelGeneration(
      String model,
      String provider,
      double seconds,
      boolean success,
      long promptTokens,
      long outputTokens) {
    models.record(model, provider, seconds, success, promptTokens, outputTokens);
  }

  /** Sets how many generations wait for a model. */
  public void setModelQueueSize(String model, long size) {
    models.queueSize(model, size);
  }

  // ---- Errors ----

  /**
   * Records an error event (DinoAir's {@code record_error}).
   *
   * @param severity {@code debug}, {@code info}, {@code warning} (or {@code warn}), {@code error}
   *     or {@code critical}, in any case
   */
  public void recordError(String type, String message, String service, String severity) {
    errors.record(type, message, service, severity);
  }

  /**
   * Records an error event with its exception: counted as {@link #recordError(String, String,
   * String, String)} counts it, and its cause chain and stack trace kept as a sample, deduplicated
   * by fingerprint ({@link ErrorSamples}). The fingerprint is never a label: the metrics'
   * cardinality does not change.
   *
   * @param message the message for the recent-error log, or null for the exception's own ({@code
   *     class: message}, or the class alone when {@link Builder#errorSampleMessages} is off)
   * @param error the exception, or null to record the event alone
   */
  public void recordError(
      String type, String message, String service, String severity, Throwable error) {
    if (message == null && error != null) {
      message =
          errors.samples.limits().keepMessages() ? error.toString() : error.getClass().getName();
    }
    errors.record(type, message, service, severity, error);
  }

  /**
   * Returns the errors' stack-trace samples, most recently seen first.
   *
   * @param type only this error type, or null for all
   * @param limit at most this many, at least 1
   */
  public List<ErrorSamples.Sample> errorSamples(String type, int limit) {
    return errors.samples.samples(type, limit);
  }

  /** Returns the last recorded errors, oldest first, for the dashboard's error log. */
  public List<ErrorLog.Entry> recentErrors() {
    return errors.log.recent();
  }

  /** Returns errors of severity error or critical recorded in the last 60 seconds. */
  public long errorsLastMinute() {
    return errors.window.lastMinute();
  }

  // ---- Sessions ----

  /**
   * Starts a user session; starting an active one only marks it active. When the session limit is
   * reached the start is counted in {@code sessions_rejected_total} and ignored.
   */
  public void startUserSession(String id, String userAgent) {
    sessions.start(id, userAgent);
  }

  /** Marks a session active now (it expires after the idle timeout without activity). */
  public void touchUserSession(String id) {
    sessions.tracker.touch(Check.label("touchUserSession", "id", id));
  }

  /** Ends a session; returns false when it was not active (unknown, ended or expired). */
  public boolean endUserSession(String id) {
    return sessions.end(id);
  }

  /** Returns the number of active sessions. */
  public int activeSessions() {
    return sessions.tracker.active();
  }

  // ---- Workflows ----

  /** Records a workflow execution (DinoAir's {@code record_workflow_execution}). */
  public void recordWorkflowExecution(
      String name, double seconds, boolean success, int stepsCompleted, int totalSteps) {
    workflows.record(name, seconds, success, stepsCompleted, totalSteps);
  }

  // ---- File operations ----

  /**
   * Records a file operation (Dream.OS). The path is normalised and written only to the events log
   * (when configured), never to a label.
   *
   * @param operation {@code read}, {@code write}, {@code create}, {@code delete}, {@code list} or
   *     another lower-case word
   * @param path the file or folder, or null when unknown
   * @param bytes bytes read or written, -1 when unknown or not applicable
   * @param error the error message of a failed operation, or null
   */
  public void recordFileOperation(
      String operation, String path, long bytes, double seconds, boolean success, String error) {
    files.record(operation, path, bytes, seconds, success, error);
  }

  /** Records a file operation without a path (DinoAir's {@code record_file_operation}). */
  public void recordFileOperation(String operation, long bytes, double seconds, boolean success) {
    files.record(operation, null, bytes, seconds, success, null);
  }

  /** Sets how many files the application watches (DevLoop's {@code files_watched}). */
  public void setFilesWatched(long files) {
    this.files.filesWatched(files);
  }

  /** Counts file changes the application saw (DevLoop's {@code files_changed_total}). */
  public void recordFilesChanged(long files) {
    this.files.filesChanged(files);
  }

  /** Sets how many file operations wait. */
  public void setFileOperationQueueLength(long length) {
    files.queueLength(length);
  }

  // ---- Caches ----

  /** Records a cache operation (DinoAir's {@code record_cache_operation}). */
  public void recordCacheOperation(String cache, String operation, boolean hit, double seconds) {
    caches.record(cache, operation, hit, seconds);
  }

  // ---- Agents ----

  /** Records an agent heartbeat now. */
  public void recordAgentHeartbeat(String agent) {
    agents.heartbeat(agent);
  }

  /** Sets an agent's status: one of {@code starting, idle, running, degraded, error, stopped}. */
  public void setAgentStatus(String agent, String status) {
    agents.status(agent, status);
  }

  /**
   * Records one agent run (DevLoop's {@code agent_runs_total}, execution duration, {@code
   * last_run}): counts it by status, observes its duration, and sets the agent's last-run duration
   * and, from the clock, the time it ended ({@code agent_last_run_timestamp_seconds}).
   */
  public void recordAgentRun(String agent, String status, double seconds) {
    agents.run(agent, status, seconds);
  }

  /** Sets an agent's queue depth. */
  public void setAgentQueueDepth(String agent, long depth) {
    agents.queueDepth(agent, depth);
  }

  /** Records one message an agent processed and how long it took. */
  public void recordAgentMessage(String agent, double seconds) {
    agents.message(agent, seconds);
  }

  /** Counts an agent error. */
  public void recordAgentError(String agent) {
    agents.error(agent);
  }

  /** Counts an agent warning. */
  public void recordAgentWarning(String agent) {
    agents.warning(agent);
  }

  /** Records an agent recovery and the time it took. */
  public void recordAgentRecovery(String agent, double seconds) {
    agents.recovery(agent, seconds);
  }

  // ---- Incidents and recoveries ----

  /**
   * Records that a service or an agent is down or degraded from now (Dream.OS "Recovery Times"):
   * counts the incident and marks it open until {@link #recordRecovered}. One incident is open at a
   * time per scope and name.
   *
   * @param scope {@code service} or {@code agent}
   * @param name the service or agent, a label value
   * @return false when an incident of this scope and name was already open (nothing counted)
   * @throws IllegalArgumentException for another scope, a bad name, or 10,000 open incidents
   */
  public boolean recordIncidentStart(String scope, String name) {
    return incidents.start(scope, name);
  }

  /**
   * Records that the open incident of a service or an agent is over: counts the recovery and
   * observes the time since its start in {@code incident_recovery_duration_seconds} (and, for an
   * agent, in {@code agent_recovery_duration_seconds}).
   *
   * @return the seconds it took, or NaN when none was open (nothing counted)
   */
  public double recordRecovered(String scope, String name) {
    return incidents.recovered(scope, name);
  }

  /** Returns how many incidents are open now. */
  public int openIncidents() {
    return incidents.openCount();
  }

  // ---- Events and queues ----

  /** Records one processed event of a type and its latency. */
  public void recordEventProcessed(String type, double latencySeconds) {
    events.processed(type, latencySeconds);
  }

  /** Sets a named queue's size (DevLoop's {@code event_queue_size}: queue {@code events}). */
  public void setQueueSize(String queue, long size) {
    events.queueSize(queue, size);
  }

  // ---- Quality (VIBEZEN's thinking, DevLoop's findings and value) ----

  /**
   * Records one solution's sequential thinking (VIBEZEN's thinking steps and confidence score).
   *
   * @param steps thinking steps taken, 0 or more
   * @param confidence the agent's confidence in the solution, 0-1
   */
  public void recordThinking(String agent, int steps, double confidence) {
    quality.thinking(agent, steps, confidence);
  }

  /** Counts code revisions an agent needed (VIBEZEN's revision count). */
  public void recordRevisions(String agent, int revisions) {
    quality.revisions(agent, revisions);
  }

  /**
   * Records a spec violation caught (VIBEZEN's violation detection); the detail goes to the recent
   * quality events (sampled), never to a label.
   *
   * @param kind a bounded word for what was violated, e.g. {@code missing_test}, a label value
   */
  public void recordViolation(String agent, String kind, String detail) {
    quality.violation(agent, kind, detail);
  }

  /**
   * Records an issue an agent found (DevLoop's {@code devloop_issues_found_total}); the detail goes
   * to the recent quality events (sampled), never to a label.
   *
   * @param severity {@code critical}, {@code high}, {@code medium}, {@code low} or {@code info}, in
   *     any case
   */
  public void recordFinding(String agent, String severity, String detail) {
    quality.finding(agent, severity, detail);
  }

  /** Counts an issue fixed automatically (DevLoop's {@code devloop_issues_autofixed_total}). */
  public void recordFindingAutofixed(String agent) {
    quality.autofixed(agent);
  }

  /**
   * Counts a finding dismissed as a false positive (DevLoop's {@code
   * devloop_false_positives_total}).
   */
  public void recordFalsePositive(String agent) {
    quality.falsePositive(agent);
  }

  /** Sets the issues open now of a severity (DevLoop's {@code devloop_active_issues}). */
  public void setOpenFindings(String agent, String severity, long count) {
    quality.open(agent, severity, count);
  }

  /** Counts issues stopped before they were pushed. */
  public void recordIssuesPrevented(String agent, long issues) {
    quality.prevented(agent, issues);
  }

  /** Counts a CI failure prevented (DevLoop's {@code devloop_ci_failures_prevented}). */
  public void recordCiFailurePrevented(String agent) {
    quality.ciFailurePrevented(agent);
  }

  /**
   * Adds time saved (DevLoop's {@code devloop_build_time_saved_seconds} and {@code
   * devloop_developer_time_saved_seconds}).
   *
   * @param kind {@code build} or {@code developer}
   */
  public void recordTimeSaved(String agent, String kind, double seconds) {
    quality.timeSaved(agent, kind, seconds);
  }

  /**
   * Counts a push (DevLoop's {@code devloop_total_pushes}; successful ones {@code
   * devloop_successful_pushes}).
   */
  public void recordPush(boolean success) {
    quality.push(success);
  }

  /** Returns the last violations and findings the quality sampler kept, oldest first. */
  public List<QualityEvent> recentQualityEvents() {
    return quality.log.recent();
  }

  // ---- System metrics with metadata ----

  /**
   * Records a value of a metric type with its metadata (VIBEZEN's {@code record_system_metric}).
   * The type's kind ({@link Builder#systemMetricType}; an unregistered type is a gauge) decides
   * whether the value is set ({@code <ns>system_metric_gauge{type}}), added ({@code
   * <ns>system_metric_counter_total{type}}) or observed ({@code
   * <ns>system_metric_histogram{type}}). The metadata never becomes labels: it is kept with the
   * value as an event ({@link #systemMetricEvents}, and a {@code system_metric} line in the events
   * log when one is configured). When {@link Builder#maxSystemMetricTypes} types exist, a new type
   * is refused: counted in {@code <ns>system_metric_types_refused_total}, nothing else recorded.
   *
   * {@snippet :
   * rec.recordSystemMetric("response_time_seconds", 0.1505,
   *     Map.of("phase", "implementation", "provider", "openai"));
   * }
   *
   * @param type lower case, {@code [a-z][a-z0-9_]{0,63}}
   * @param value finite; not negative for a counter type
   * @param metadata strings, numbers and booleans (others as their text), or null
   * @return false when the type was refused by the type limit
   */
  public boolean recordSystemMetric(String type, double value, Map<String, ?> metadata) {
    return systemMetrics.record(type, value, metadata);
  }

  /**
   * Returns the last values recorded with {@link #recordSystemMetric}, newest first.
   *
   * @param type only this type, or null for all
   * @param metadataEquals only values whose metadata has these entries (compared as text), or null
   * @param limit at most this many, at least 1
   */
  public List<SystemMetricEvent> systemMetricEvents(
      String type, Map<String, String> metadataEquals, int limit) {
    return systemMetrics.recent(type, metadataEquals, limit);
  }

  // ---- Timed operations ----

  /**
   * Times an operation until the returned span is closed (VIBEZEN's {@code measure_duration},
   * AgentOS's {@code trace_operation}); the duration goes to {@code operation_duration_seconds}
   * with the trace and span ids as exemplar (sampled: at most 10 per second), and the span to the
   * recent-spans log.
   *
   * @param name the operation, a label value
   * @param attributes initial attributes, or null
   */
  public Span measureDuration(String name, Map<String, ?> attributes) {
    Check.label("measureDuration", "name", name);
    return new Span(
        name, attributes, clockMillis.getAsLong(), System.nanoTime(), spanSampler, this::endSpan);
  }

  private void endSpan(Span s) {
    Histogram.Child child =
        operations.labelValues(Scratch.of(s.name(), s.failed() ? "error" : "ok"));
    if (!s.sampled()) {
      child.observe(s.durationSeconds()); // exact; no exemplar, not in the recent-spans log
      return;
    }
    // Exemplars are sampled, at most EXEMPLARS_PER_SECOND in all: each one formats two hex ids and
    // allocates an exemplar, which would double the cost of a span (JMH, see BENCHMARKS.md).
    long now = System.nanoTime();
    long next = nextExemplarNanos;
    if (now - next >= 0) {
      nextExemplarNanos = now + 1_000_000_000L / EXEMPLARS_PER_SECOND;
      child.observeWithExemplar(s.durationSeconds(), s.traceId(), s.spanId());
    } else {
      child.observe(s.durationSeconds());
    }
    spans.add(s);
  }

  /**
   * Count, sum, mean, min, max and quantiles of one of the recorders' histograms (AgentOS' {@code
   * getStats(name)}), over its series whose labels include {@code labelPairs}; accuracy: {@link
   * MetricStats}. For any metric of a registry: {@link dev.vigil.metrics.MetricRegistry#stats}.
   *
   * {@snippet :
   * rec.stats("operation_duration_seconds", "operation", "tool_execution").quantile(0.95);
   * }
   *
   * @param name the name without the namespace, e.g. {@code api_request_duration_seconds}
   * @throws IllegalArgumentException when no histogram of the recorders has that name
   */
  public MetricStats stats(String name, String... labelPairs) {
    String full = namespace + name;
    for (Metric m : metrics) {
      if (m.name().equals(full)) {
        List<MetricSnapshot> s = m.collect();
        return MetricStats.of(s.get(0), labelPairs);
      }
    }
    throw new IllegalArgumentException(
        "stats: the recorders have no metric named " + full + " (docs/metrics.md lists them)");
  }

  /** Returns the last finished spans, oldest first. */
  public List<Span> recentSpans() {
    return spans.recent();
  }

  // ---- Sampling ----

  private static Map<String, Sampler> samplers(Builder b) {
    Map<String, Sampler> out = new HashMap<>();
    for (String r : Sampler.RECORDERS) {
      double rate = b.sampling.getOrDefault(r, b.defaultSampling);
      // One sampler per recorder, also at rate 1: sampling(...) may re-rate it later.
      out.put(r, new Sampler(rate, b.samplingRandom));
    }
    return Map.copyOf(out);
  }

  private Sampler sampler(String recorder) {
    return samplers.get(recorder);
  }

  /**
   * Returns the share of a recorder's events and exemplars kept, 0-1 (see {@link
   * Builder#sampling(String, double)}).
   *
   * @throws IllegalArgumentException for a recorder without events
   */
  public double samplingRate(String recorder) {
    Sampler s = samplers.get(recorder);
    if (s == null) {
      throw new IllegalArgumentException(
          "samplingRate: unknown recorder '" + recorder + "'; use one of " + Sampler.RECORDERS);
    }
    return s.rate();
  }

  /**
   * Changes the share of events and exemplars kept from now on, as the builder's {@link
   * Builder#sampling(double)} and {@link Builder#sampling(String, double)} set it at build (a
   * reloaded {@code collect.sampling}): {@code perRecorder} over {@code defaultRate}, every
   * recorder of {@link #SAMPLED} set. Counters, gauges and histograms stay exact whatever the
   * rates.
   *
   * @throws IllegalArgumentException for a rate outside 0-1 or an unknown recorder (then no rate
   *     changes)
   */
  public void sampling(double defaultRate, Map<String, Double> perRecorder) {
    Sampler.check("sampling", defaultRate);
    for (Map.Entry<String, Double> e : perRecorder.entrySet()) {
      if (!Sampler.RECORDERS.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "sampling: unknown recorder '" + e.getKey() + "'; use one of " + Sampler.RECORDERS);
      }
      Sampler.check("sampling(" + e.getKey() + ")", e.getValue());
    }
    for (String r : Sampler.RECORDERS) {
      samplers.get(r).rate(perRecorder.getOrDefault(r, defaultRate));
    }
  }

  // ---- Collector ----

  @Override
  public List<MetricSnapshot> collect() {
    sessions.expireIdle();
    List<MetricSnapshot> out = new ArrayList<>(metrics.size());
    for (Metric m : metrics) {
      out.addAll(m.collect());
    }
    return out;
  }

  /** Returns file events dropped because the events log could not keep up (0 when off). */
  public long fileEventsDropped() {
    return fileEvents == null ? 0 : fileEvents.dropped();
  }

  /** Flushes and closes the file events log, if any. */
  @Override
  public void close() {
    if (fileEvents != null) {
      fileEvents.close();
    }
  }

  /** Configures {@link Recorders}. */
  public static final class Builder {
    private String namespace = "app_";
    private final Map<String, ModelPrice> prices = new HashMap<>();
    private int errorLogCapacity = 100;
    private ErrorSamples.Limits errorSampleLimits = ErrorSamples.Limits.DEFAULTS;
    private final Map<String, SystemMetricKind> systemMetricTypes = new HashMap<>();
    private int maxSystemMetricTypes = 100;
    private int systemMetricEventCapacity = 1000;
    private int spanLogCapacity = 1000;
    private int qualityLogCapacity = 100;
    private Duration sessionIdleTimeout = Duration.ofMinutes(30);
    private int maxSessions = 100_000;
    private Path fileEventsPath;
    private LongSupplier clockMillis = System::currentTimeMillis;
    private LongSupplier nanoClock = System::nanoTime;
    private double defaultSampling = 1.0;
    private final Map<String, Double> sampling = new HashMap<>();
    private java.util.function.DoubleSupplier samplingRandom;

    private Builder() {}

    /**
     * The share of every recorder's events and exemplars kept, 0-1 (default 1: all): the file
     * events log, the recent-errors log, the recent-spans log and span exemplars, API request
     * exemplars, quality events. 0 turns them off. Counters, gauges and histograms stay exact
     * whatever the rate.
     *
     * @throws IllegalArgumentException when the rate is not within 0-1
     */
    public Builder sampling(double rate) {
      this.defaultSampling = Sampler.check("sampling", rate);
      return this;
    }

    /**
     * The share of one recorder's events and exemplars kept, 0-1, over {@link #sampling(double)}.
     *
     * @param recorder {@code api} (request exemplars), {@code errors} (recent-errors log), {@code
     *     files} (file events log), {@code spans} (recent-spans log and exemplars of {@link
     *     #measureDuration}; a child span follows its parent's decision) or {@code quality} (recent
     *     quality events)
     * @throws IllegalArgumentException for another recorder or a rate not within 0-1
     */
    public Builder sampling(String recorder, double rate) {
      if (!Sampler.RECORDERS.contains(recorder)) {
        throw new IllegalArgumentException(
            "sampling: unknown recorder '" + recorder + "'; use one of " + Sampler.RECORDERS);
      }
      sampling.put(recorder, Sampler.check("sampling(" + recorder + ")", rate));
      return this;
    }

    /**
     * The random source of the samplers: numbers uniform in [0, 1) (default: {@link
     * java.util.concurrent.ThreadLocalRandom}); a test passes a fixed sequence. Must be thread-safe
     * when recorders are called from several threads.
     */
    public Builder samplingRandom(java.util.function.DoubleSupplier uniform) {
      this.samplingRandom = java.util.Objects.requireNonNull(uniform, "samplingRandom");
      return this;
    }

    /** The prefix of every name (default {@code app_}; {@code _} is appended when missing). */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The price of a model's tokens, for {@code model_cost_total}. */
    public Builder modelPrice(String model, ModelPrice price) {
      prices.put(Check.label("modelPrice", "model", model), price);
      return this;
    }

    /** How many recent errors are kept (default 100). */
    public Builder errorLogCapacity(int n) {
      this.errorLogCapacity = n;
      return this;
    }

    /**
     * Bounds the errors' stack-trace samples: at most {@code maxFingerprints} in all (default 200)
     * and {@code maxPerType} per error type (default 10); the least recently seen goes first and is
     * counted in {@code error_samples_evicted_total}.
     */
    public Builder errorSamples(int maxFingerprints, int maxPerType) {
      ErrorSamples.Limits l = errorSampleLimits;
      errorSampleLimits =
          new ErrorSamples.Limits(
              maxFingerprints, maxPerType, l.maxCauses(), l.maxFrames(), l.keepMessages());
      return this;
    }

    /**
     * Whether error samples keep the exceptions' messages (default true). Messages may hold ids,
     * paths or user input; false keeps the exception classes and stack frames only.
     */
    public Builder errorSampleMessages(boolean keep) {
      ErrorSamples.Limits l = errorSampleLimits;
      errorSampleLimits =
          new ErrorSamples.Limits(
              l.maxFingerprints(), l.maxPerType(), l.maxCauses(), l.maxFrames(), keep);
      return this;
    }

    /** Registers a {@link #recordSystemMetric} type with its kind (unregistered: a gauge). */
    public Builder systemMetricType(String type, SystemMetricKind kind) {
      systemMetricTypes.put(
          SystemMetricRecorder.type("systemMetricType", type),
          java.util.Objects.requireNonNull(kind, "kind"));
      return this;
    }

    /** The most {@link #recordSystemMetric} types (default 100, registered ones included). */
    public Builder maxSystemMetricTypes(int n) {
      this.maxSystemMetricTypes = n;
      return this;
    }

    /** How many {@link #recordSystemMetric} values are kept with their metadata (default 1000). */
    public Builder systemMetricEventCapacity(int n) {
      this.systemMetricEventCapacity = n;
      return this;
    }

    /** How many finished spans are kept (default 1000). */
    public Builder spanLogCapacity(int n) {
      this.spanLogCapacity = n;
      return this;
    }

    /** How many recent violations and findings are kept (default 100). */
    public Builder qualityLogCapacity(int n) {
      this.qualityLogCapacity = n;
      return this;
    }

    /** Sessions without activity for this long are ended as expired (default 30 min). */
    public Builder sessionIdleTimeout(Duration timeout) {
      this.sessionIdleTimeout = timeout;
      return this;
    }

    /** The most sessions tracked at once (default 100,000). */
    public Builder maxSessions(int n) {
      this.maxSessions = n;
      return this;
    }

    /**
     * Writes each file operation and each recordSystemMetric value (with its metadata) as a JSON
     * line to this rotating log (default: off).
     */
    public Builder fileEventsLog(Path file) {
      this.fileEventsPath = file;
      return this;
    }

    /** The wall clock (epoch milliseconds) for timestamps. */
    public Builder clock(LongSupplier epochMillis) {
      this.clockMillis = epochMillis;
      return this;
    }

    /** The monotonic clock for session idle times. */
    public Builder nanoClock(LongSupplier nanoClock) {
      this.nanoClock = nanoClock;
      return this;
    }

    /**
     * Builds the recorders.
     *
     * @throws IllegalArgumentException for a bad namespace or capacity
     */
    public Recorders build() {
      return new Recorders(this);
    }
  }
}
