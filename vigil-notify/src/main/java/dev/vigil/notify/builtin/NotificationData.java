package dev.vigil.notify.builtin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Alertmanager's template data for one notification: receiver, status, alerts, group labels, common
 * labels and annotations, external URL; plus the group key and how many alerts a receiver's {@code
 * max_alerts} left out. Immutable.
 */
record NotificationData(
    String receiver,
    String groupKey,
    SortedMap<String, String> groupLabels,
    List<Alert> alerts,
    Instant now,
    String externalURL) {

  /** Go's zero time, which Alertmanager sends as the end of a firing alert. */
  static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  String status() {
    for (Alert a : alerts) {
      if (!a.resolvedAt(now)) {
        return "firing";
      }
    }
    return "resolved";
  }

  List<Alert> firing() {
    return alerts.stream().filter(a -> !a.resolvedAt(now)).toList();
  }

  List<Alert> resolved() {
    return alerts.stream().filter(a -> a.resolvedAt(now)).toList();
  }

  SortedMap<String, String> commonLabels() {
    return common(alerts.stream().map(Alert::labels).toList());
  }

  SortedMap<String, String> commonAnnotations() {
    return common(alerts.stream().map(Alert::annotations).toList());
  }

  private static SortedMap<String, String> common(List<SortedMap<String, String>> maps) {
    TreeMap<String, String> c = new TreeMap<>();
    if (maps.isEmpty()) {
      return c;
    }
    c.putAll(maps.get(0));
    for (int i = 1; i < maps.size(); i++) {
      Map<String, String> m = maps.get(i);
      c.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
    }
    return c;
  }

  /**
   * Go's RFC 3339 with nanoseconds, trailing zeros of the fraction dropped. Built by hand: the
   * formatter, {@code String.format} and regex it replaces were most of the webhook payload's
   * allocations (NotifierLoadBenchmark, JFR allocation by site).
   */
  static String time(Instant t) {
    if (t == null) {
      return ZERO_TIME;
    }
    java.time.LocalDateTime d =
        java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(30);
    if (d.getYear() < 1 || d.getYear() > 9999) {
      b.append(SECONDS.format(t)); // years outside four digits, rare: the formatter's way
    } else {
      pad(b, d.getYear(), 4).append('-');
      pad(b, d.getMonthValue(), 2).append('-');
      pad(b, d.getDayOfMonth(), 2).append('T');
      pad(b, d.getHour(), 2).append(':');
      pad(b, d.getMinute(), 2).append(':');
      pad(b, d.getSecond(), 2);
    }
    int nanos = t.getNano();
    if (nanos != 0) {
      int digits = 9;
      while (nanos % 10 == 0) {
        nanos /= 10;
        digits--;
      }
      pad(b.append('.'), nanos, digits);
    }
    return b.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder b, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(s);
  }

  /** Alertmanager's webhook message (version 4), {@code max} alerts at most (0: all). */
  Map<String, Object> webhookMessage(int max) {
    List<Alert> sent = alerts;
    int truncated = 0;
    if (max > 0 && alerts.size() > max) {
      sent = alerts.subList(0, max);
      truncated = alerts.size() - max;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("receiver", receiver);
    m.put("status", status());
    m.put("alerts", alertList(sent));
    m.put("groupLabels", groupLabels);
    m.put("commonLabels", commonLabels());
    m.put("commonAnnotations", commonAnnotations());
    m.put("externalURL", externalURL);
    m.put("version", "4");
    m.put("groupKey", groupKey);
    m.put("truncatedAlerts", truncated);
    return m;
  }

  List<Map<String, Object>> alertList(List<Alert> list) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Alert a : list) {
      Map<String, Object> m = new LinkedHashMap<>();
      boolean resolved = a.resolvedAt(now);
      m.put("status", resolved ? "resolved" : "firing");
      m.put("labels", a.labels());
      m.put("annotations", a.annotations());
      m.put("startsAt", time(a.startsAt()));
      m.put("endsAt", resolved ? time(a.endsAt()) : ZERO_TIME);
      m.put("generatorURL", a.generatorURL() == null ? "" : a.generatorURL());
      m.put("fingerprint", Alert.fingerprintHex(a.fingerprint()));
      out.add(m);
    }
    return out;
  }
}
