package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import dev.vigil.metrics.StateSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Agents (Dream.OS, DevLoop): heartbeat, status, runs, execution and message processing time, queue
 * depth, errors, warnings and recoveries.
 */
final class AgentRecorder {
  /** Agent states, one of which is on at a time. */
  static final String[] STATES = {"starting", "idle", "running", "degraded", "error", "stopped"};

  static final Buckets DURATION =
      Buckets.of(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300);
  static final Buckets MESSAGE = Buckets.of(0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5);

  final Gauge lastHeartbeat;
  final Counter heartbeats;
  final StateSet status;
  final Counter runs;
  final Histogram execution;
  final Gauge lastRun;
  final Gauge lastRunTime;
  final Gauge queueDepth;
  final Counter messages;
  final Histogram messageTime;
  final Counter errors;
  final Counter warnings;
  final Counter recoveries;
  final Histogram recoveryTime;
  private final LongSupplier clockMillis;

  AgentRecorder(Names n, LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
    lastHeartbeat =
        gauge(n, "agent_last_heartbeat_timestamp_seconds", "Time of the agent's last heartbeat.");
    heartbeats = counter(n, "agent_heartbeats_total", "Agent heartbeats.");
    status =
        StateSet.builder()
            .name(n.of("agent_status"))
            .help("The agent's current status (one state is 1).")
            .labelNames("agent")
            .states(STATES)
            .build();
    runs =
        Counter.builder()
            .name(n.of("agent_runs_total"))
            .help("Agent runs by status (success, failure, error, ...).")
            .labelNames("agent", "status")
            .build();
    execution = histogram(n, "agent_execution_duration_seconds", "Agent run duration.", DURATION);
    lastRun = gauge(n, "agent_last_run_seconds", "Duration of the agent's last run.");
    lastRunTime = gauge(n, "agent_last_run_timestamp_seconds", "When the agent's last run ended.");
    queueDepth = gauge(n, "agent_queue_depth", "Work items waiting for the agent.");
    messages = counter(n, "agent_messages_processed_total", "Messages the agent processed.");
    messageTime =
        histogram(n, "agent_message_processing_seconds", "Time to process one message.", MESSAGE);
    errors = counter(n, "agent_errors_total", "Errors the agent reported.");
    warnings = counter(n, "agent_warnings_total", "Warnings the agent reported.");
    recoveries = counter(n, "agent_recoveries_total", "Times the agent recovered from a failure.");
    recoveryTime =
        histogram(n, "agent_recovery_duration_seconds", "Time from failure to recovery.", DURATION);
  }

  private static Gauge gauge(Names n, String name, String help) {
    return Gauge.builder().name(n.of(name)).help(help).labelNames("agent").build();
  }

  private static Counter counter(Names n, String name, String help) {
    return Counter.builder().name(n.of(name)).help(help).labelNames("agent").build();
  }

  private static Histogram histogram(Names n, String name, String help, Buckets b) {
    return Histogram.builder().name(n.of(name)).help(help).labelNames("agent").buckets(b).build();
  }

  List<Metric> metrics() {
    return List.of(
        lastHeartbeat,
        heartbeats,
        status,
        runs,
        execution,
        lastRun,
        lastRunTime,
        queueDepth,
        messages,
        messageTime,
        errors,
        warnings,
        recoveries,
        recoveryTime);
  }

  void heartbeat(String agent) {
    Check.label("recordAgentHeartbeat", "agent", agent);
    heartbeats.labelValues(Scratch.of(agent)).inc();
    lastHeartbeat.labelValues(Scratch.of(agent)).set(clockMillis.getAsLong() / 1000.0);
  }

  void status(String agent, String state) {
    Check.label("setAgentStatus", "agent", agent);
    for (String s : STATES) {
      if (s.equals(state)) {
        status.labelValues(Scratch.of(agent)).setOnly(s);
        return;
      }
    }
    throw new IllegalArgumentException(
        "setAgentStatus: unknown status '" + state + "'; use one of " + String.join(", ", STATES));
  }

  void run(String agent, String runStatus, double seconds) {
    final String m = "recordAgentRun";
    Check.label(m, "agent", agent);
    Check.label(m, "status", runStatus);
    Check.seconds(m, "seconds", seconds);
    Agent a = agents.get(agent);
    a.runs.get(runStatus).inc();
    a.execution.observe(seconds);
    a.lastRun.set(seconds);
    a.lastRunTime.set(clockMillis.getAsLong() / 1000.0);
  }

  private final AtomicInteger budget = new AtomicInteger(ChildCache.MAX_KEYS);

  /** One agent's run children: one hash lookup for the agent, one for the status. */
  private final class Agent {
    final Histogram.Child execution;
    final Gauge.Child lastRun;
    final Gauge.Child lastRunTime;
    final ChildCache<Counter.Child> runs;

    Agent(String agent) {
      execution = AgentRecorder.this.execution.labelValues(agent);
      lastRun = AgentRecorder.this.lastRun.labelValues(agent);
      lastRunTime = AgentRecorder.this.lastRunTime.labelValues(agent);
      runs = new ChildCache<>(status -> AgentRecorder.this.runs.labelValues(agent, status), budget);
    }
  }

  private final ChildCache<Agent> agents = new ChildCache<>(Agent::new, budget);

  void queueDepth(String agent, long depth) {
    Check.label("setAgentQueueDepth", "agent", agent);
    Check.count("setAgentQueueDepth", "depth", depth);
    queueDepth.labelValues(Scratch.of(agent)).set(depth);
  }

  void message(String agent, double seconds) {
    Check.label("recordAgentMessage", "agent", agent);
    Check.seconds("recordAgentMessage", "seconds", seconds);
    messages.labelValues(Scratch.of(agent)).inc();
    messageTime.labelValues(Scratch.of(agent)).observe(seconds);
  }

  void error(String agent) {
    errors.labelValues(Scratch.of(Check.label("recordAgentError", "agent", agent))).inc();
  }

  void warning(String agent) {
    warnings.labelValues(Scratch.of(Check.label("recordAgentWarning", "agent", agent))).inc();
  }

  void recovery(String agent, double seconds) {
    Check.label("recordAgentRecovery", "agent", agent);
    Check.seconds("recordAgentRecovery", "seconds", seconds);
    recoveries.labelValues(Scratch.of(agent)).inc();
    recoveryTime.labelValues(Scratch.of(agent)).observe(seconds);
  }
}
