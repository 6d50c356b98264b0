package dev.vigil.notify.builtin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node of the routing tree, with its parent's settings inherited as Alertmanager inherits them
 * (receiver, group_by, group_wait, group_interval, repeat_interval; matchers and time intervals are
 * a node's own). Immutable.
 */
final class Route {
  static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
  static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
  static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

  final Route parent;
  final String receiver;
  final List<Matcher> matchers; // sorted as Alertmanager sorts them
  final Set<String> groupBy;
  final boolean groupByAll;
  final boolean continueMatching;
  final Duration groupWait;
  final Duration groupInterval;
  final Duration repeatInterval;
  final List<String> muteTimeIntervals;
  final List<String> activeTimeIntervals;
  final List<Route> routes = new ArrayList<>();
  final String key;
  final int index; // position among siblings, for ids

  Route(
      Route parent,
      int index,
      String receiver,
      List<Matcher> matchers,
      Set<String> groupBy,
      boolean groupByAll,
      boolean continueMatching,
      Duration groupWait,
      Duration groupInterval,
      Duration repeatInterval,
      List<String> muteTimeIntervals,
      List<String> activeTimeIntervals) {
    this.parent = parent;
    this.index = index;
    this.receiver = receiver;
    List<Matcher> sorted = new ArrayList<>(matchers);
    sorted.sort(Matcher.ORDER);
    this.matchers = List.copyOf(sorted);
    this.groupBy = groupBy;
    this.groupByAll = groupByAll;
    this.continueMatching = continueMatching;
    this.groupWait = groupWait;
    this.groupInterval = groupInterval;
    this.repeatInterval = repeatInterval;
    this.muteTimeIntervals = List.copyOf(muteTimeIntervals);
    this.activeTimeIntervals = List.copyOf(activeTimeIntervals);
    this.key = (parent == null ? "" : parent.key + "/") + Matcher.toString(this.matchers);
  }

  /**
   * The routes an alert goes to, depth first as Alertmanager's Route.Match: the deepest matching
   * children, siblings after a match only when it has {@code continue}; the node itself when no
   * child matches.
   */
  List<Route> match(Map<String, String> labels) {
    if (!Matcher.all(matchers, labels)) {
      return List.of();
    }
    List<Route> all = new ArrayList<>();
    for (Route child : routes) {
      List<Route> m = child.match(labels);
      all.addAll(m);
      if (!m.isEmpty() && !child.continueMatching) {
        break;
      }
    }
    if (all.isEmpty()) {
      all.add(this);
    }
    return all;
  }

  /** The labels an alert is grouped by on this route. */
  java.util.SortedMap<String, String> groupLabels(Map<String, String> labels) {
    if (groupByAll) {
      return new java.util.TreeMap<>(labels);
    }
    java.util.TreeMap<String, String> g = new java.util.TreeMap<>();
    for (String name : groupBy) {
      String v = labels.get(name);
      if (v != null && !v.isEmpty()) {
        g.put(name, v);
      }
    }
    return g;
  }
}
