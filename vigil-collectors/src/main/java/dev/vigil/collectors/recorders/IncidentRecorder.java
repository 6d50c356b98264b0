package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Incidents and recoveries of services and agents (Dream.OS "Recovery Times", "Recovery Time
 * Graph"): started and recovered counts, open incidents now, and the time each took to recover, so
 * MTTR is {@code increase(..._sum[1d]) / increase(..._count[1d])} in PromQL.
 *
 * <p>One incident is open at a time per scope and name: a second start while one is open counts
 * nothing; a recovery without an open incident counts nothing. Durations come from the recorders'
 * monotonic clock. An agent's recovery also feeds the agent recorder's {@code
 * agent_recoveries_total} and {@code agent_recovery_duration_seconds}.
 */
final class IncidentRecorder {
  /** The scopes an incident belongs to: a bounded label. */
  static final String SERVICE = "service";

  static final String AGENT = "agent";

  /** Recovery times: 1 s to 1 day. */
  static final Buckets RECOVERY =
      Buckets.of(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400);

  /** Open incidents tracked at once; a start past this is refused. */
  static final int MAX_OPEN = ChildCache.MAX_KEYS;

  final Counter started;
  final Counter recovered;
  final Gauge open;
  final Histogram recoveryTime;
  private final LongSupplier nanoClock;
  private final AgentRecorder agents;
  private final Map<String, Long> openSince = new ConcurrentHashMap<>(); // scope + '\0' + name

  IncidentRecorder(Names n, LongSupplier nanoClock, AgentRecorder agents) {
    this.nanoClock = nanoClock;
    this.agents = agents;
    started =
        Counter.builder()
            .name(n.of("incidents_total"))
            .help("Incidents started, by scope (service or agent) and name.")
            .labelNames("scope", "name")
            .build();
    recovered =
        Counter.builder()
            .name(n.of("incidents_recovered_total"))
            .help("Incidents recovered, by scope (service or agent) and name.")
            .labelNames("scope", "name")
            .build();
    open =
        Gauge.builder()
            .name(n.of("incidents_open"))
            .help("Incidents under way (1 or 0), by scope (service or agent) and name.")
            .labelNames("scope", "name")
            .build();
    recoveryTime =
        Histogram.builder()
            .name(n.of("incident_recovery_duration_seconds"))
            .help("Time from an incident's start to its recovery, by scope and name.")
            .labelNames("scope", "name")
            .buckets(RECOVERY)
            .build();
  }

  List<Metric> metrics() {
    return List.of(started, recovered, open, recoveryTime);
  }

  private static String scope(String method, String scope) {
    if (SERVICE.equals(scope) || AGENT.equals(scope)) {
      return scope;
    }
    throw new IllegalArgumentException(
        method + ": scope must be \"service\" or \"agent\", got \"" + scope + "\"");
  }

  boolean start(String scope, String name) {
    final String m = "recordIncidentStart";
    String s = scope(m, scope);
    Check.label(m, "name", name);
    String key = s + '\0' + name;
    if (openSince.containsKey(key)) {
      return false;
    }
    if (openSince.size() >= MAX_OPEN) {
      throw new IllegalArgumentException(
          m + ": " + MAX_OPEN + " incidents are open; recover some before starting more");
    }
    boolean[] added = {false};
    // Counted inside the map's per-key lock: a recovery of the same key cannot interleave, so the
    // open gauge always ends as the map says.
    openSince.computeIfAbsent(
        key,
        k -> {
          added[0] = true;
          started.labelValues(Scratch.of(s, name)).inc();
          open.labelValues(Scratch.of(s, name)).set(1);
          // The recovery series exist at 0 from the start: increase() counts the first recovery.
          recovered.labelValues(Scratch.of(s, name));
          recoveryTime.labelValues(Scratch.of(s, name));
          if (s.equals(AGENT)) {
            agents.recoveries.labelValues(Scratch.of(name));
            agents.recoveryTime.labelValues(Scratch.of(name));
          }
          return nanoClock.getAsLong();
        });
    return added[0];
  }

  double recovered(String scope, String name) {
    final String m = "recordRecovered";
    String s = scope(m, scope);
    Check.label(m, "name", name);
    double[] seconds = {Double.NaN};
    openSince.computeIfPresent(
        s + '\0' + name,
        (k, since) -> {
          seconds[0] = Math.max(0, nanoClock.getAsLong() - since) / 1e9;
          recovered.labelValues(Scratch.of(s, name)).inc();
          recoveryTime.labelValues(Scratch.of(s, name)).observe(seconds[0]);
          open.labelValues(Scratch.of(s, name)).set(0);
          return null;
        });
    if (s.equals(AGENT) && !Double.isNaN(seconds[0])) {
      agents.recovery(name, seconds[0]);
    }
    return seconds[0];
  }

  int openCount() {
    return openSince.size();
  }
}
