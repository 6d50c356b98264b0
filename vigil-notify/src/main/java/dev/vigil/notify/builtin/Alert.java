package dev.vigil.notify.builtin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An alert as Alertmanager holds it: labels (its identity), annotations, the interval it is active
 * in, where it came from and when it was last updated. Immutable.
 *
 * @param endsAt when it resolves (or resolved); for an alert posted without one, {@code startsAt +
 *     resolve_timeout} with {@code timeout} set
 */
record Alert(
    SortedMap<String, String> labels,
    SortedMap<String, String> annotations,
    Instant startsAt,
    Instant endsAt,
    String generatorURL,
    Instant updatedAt,
    boolean timeout) {

  Alert {
    labels = new TreeMap<>(labels);
    annotations = new TreeMap<>(annotations);
  }

  boolean resolvedAt(Instant now) {
    return endsAt != null && !endsAt.isAfter(now);
  }

  long fingerprint() {
    return fingerprint(labels);
  }

  /** Prometheus' label-set fingerprint: FNV-1a 64 over sorted names and values, 0xff after each. */
  static long fingerprint(SortedMap<String, String> labels) {
    long h = 0xcbf29ce484222325L;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      h = fnv(h, e.getKey());
      h = fnv(h, e.getValue());
    }
    return h;
  }

  /** ASCII strings (nearly all label names and values) are hashed without encoding them first. */
  private static long fnv(long h, String s) {
    int n = s.length();
    long x = h;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        x = h;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
          x ^= (b & 0xff);
          x *= 0x100000001b3L;
        }
        break;
      }
      x ^= c;
      x *= 0x100000001b3L;
    }
    x ^= 0xff;
    x *= 0x100000001b3L;
    return x;
  }

  static String fingerprintHex(long fp) {
    String hex = Long.toHexString(fp);
    return "0".repeat(16 - hex.length()) + hex;
  }

  /** Alertmanager's order: by job, then instance (alerts with the label first), then labels. */
  static final Comparator<Alert> ORDER =
      (a, b) -> {
        for (String k : new String[] {"job", "instance"}) {
          String x = a.labels.get(k);
          String y = b.labels.get(k);
          if (x == null && y == null) {
            continue;
          }
          if (x == null) {
            return 1;
          }
          if (y == null) {
            return -1;
          }
          if (!x.equals(y)) {
            return x.compareTo(y);
          }
        }
        return compareLabels(a.labels, b.labels);
      };

  static int compareLabels(SortedMap<String, String> a, SortedMap<String, String> b) {
    Iterator<Map.Entry<String, String>> i = a.entrySet().iterator();
    Iterator<Map.Entry<String, String>> j = b.entrySet().iterator();
    while (i.hasNext() && j.hasNext()) {
      Map.Entry<String, String> x = i.next();
      Map.Entry<String, String> y = j.next();
      int c = x.getKey().compareTo(y.getKey());
      if (c != 0) {
        return c;
      }
      c = x.getValue().compareTo(y.getValue());
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(i.hasNext(), j.hasNext());
  }

  /**
   * Merges a newer report of the same alert as Alertmanager does: when the intervals overlap the
   * earlier start is kept; the later-updated report's end and annotations win.
   */
  Alert merge(Alert newer) {
    boolean overlap =
        (endsAt == null || !newer.startsAt.isAfter(endsAt))
            && (newer.endsAt == null || !startsAt.isAfter(newer.endsAt));
    if (!overlap) {
      return newer;
    }
    Alert later = newer.updatedAt.isBefore(updatedAt) ? this : newer;
    Instant start = startsAt.isBefore(newer.startsAt) ? startsAt : newer.startsAt;
    Instant end = later.endsAt;
    if (newer.timeout && !timeout && endsAt != null && endsAt.isAfter(newer.endsAt)) {
      end = endsAt;
    }
    return new Alert(
        labels, later.annotations, start, end, later.generatorURL, later.updatedAt, later.timeout);
  }
}
