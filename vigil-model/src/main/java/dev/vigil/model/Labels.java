package dev.vigil.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * An immutable label set sorted by label name: the identity of a series.
 *
 * <pre>{@code
 * Labels l = Labels.of("__name__", "up", "job", "node");
 * l.get("job");          // "node"
 * l.toString();          // up{job="node"}
 * }</pre>
 *
 * <p>Names are unique; empty values are dropped (in Prometheus an empty label value is the same as
 * an absent label). Instances are safe to share between threads.
 */
public final class Labels implements Comparable<Labels> {
  /** The label that holds the metric name. */
  public static final String METRIC_NAME = "__name__";

  public static final Labels EMPTY = new Labels(new String[0]);

  /* Names and values alternate in one array: half the objects of a Map, and ordered iteration. */
  private final String[] nv;
  private int hash;

  private Labels(String[] nv) {
    this.nv = nv;
  }

  /** Builds from name, value pairs in any order. Duplicate names are an error. */
  public static Labels of(String... nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("labels need name, value pairs; got an odd count");
    }
    Builder b = new Builder();
    for (int i = 0; i < nameValues.length; i += 2) {
      if (b.map.containsKey(nameValues[i])) {
        throw new IllegalArgumentException("duplicate label name " + nameValues[i]);
      }
      b.set(nameValues[i], nameValues[i + 1]);
    }
    return b.build();
  }

  /** Builds from a map; iteration order does not matter. */
  public static Labels of(Map<String, String> map) {
    Builder b = new Builder();
    map.forEach(b::set);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these labels. */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (int i = 0; i < nv.length; i += 2) {
      b.map.put(nv[i], nv[i + 1]);
    }
    return b;
  }

  /** Number of labels. */
  public int size() {
    return nv.length / 2;
  }

  public boolean isEmpty() {
    return nv.length == 0;
  }

  /** Name of the i-th label in name order. */
  public String name(int i) {
    return nv[2 * i];
  }

  /** Value of the i-th label in name order. */
  public String value(int i) {
    return nv[2 * i + 1];
  }

  /** The value of a label, or {@code null} when absent. */
  public String get(String name) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = nv[2 * mid].compareTo(name);
      if (c == 0) {
        return nv[2 * mid + 1];
      } else if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return null;
  }

  /** The value of a label, or {@code ""} when absent (PromQL's view of a missing label). */
  public String getOrEmpty(String name) {
    String v = get(name);
    return v == null ? "" : v;
  }

  public boolean has(String name) {
    return get(name) != null;
  }

  /** The metric name, or {@code null}. */
  public String metricName() {
    return get(METRIC_NAME);
  }

  /** These labels without {@code __name__}. */
  public Labels withoutMetricName() {
    return has(METRIC_NAME) ? without(List.of(METRIC_NAME)) : this;
  }

  /** These labels without the given names. */
  public Labels without(Collection<String> names) {
    List<String> out = new ArrayList<>(nv.length);
    for (int i = 0; i < nv.length; i += 2) {
      if (!names.contains(nv[i])) {
        out.add(nv[i]);
        out.add(nv[i + 1]);
      }
    }
    return out.size() == nv.length ? this : new Labels(out.toArray(new String[0]));
  }

  /** Only the labels with the given names. */
  public Labels keep(Collection<String> names) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nv.length; i += 2) {
      if (names.contains(nv[i])) {
        out.add(nv[i]);
        out.add(nv[i + 1]);
      }
    }
    return out.size() == nv.length ? this : new Labels(out.toArray(new String[0]));
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < nv.length; i += 2) {
      action.accept(nv[i], nv[i + 1]);
    }
  }

  /** A new sorted map of these labels. */
  public Map<String, String> toMap() {
    Map<String, String> m = new TreeMap<>();
    forEach(m::put);
    return m;
  }

  /**
   * Compares label by label as Prometheus' {@code labels.Compare}: names, then values, then size.
   */
  @Override
  public int compareTo(Labels o) {
    int n = Math.min(nv.length, o.nv.length);
    for (int i = 0; i < n; i += 2) {
      int c = nv[i].compareTo(o.nv[i]);
      if (c != 0) {
        return c;
      }
      c = nv[i + 1].compareTo(o.nv[i + 1]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(nv.length, o.nv.length);
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof Labels l && hashCode() == l.hashCode() && Arrays.equals(nv, l.nv));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(nv);
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  /** 64-bit hash, stable across runs (FNV-1a over names and values), for sharding and ids. */
  public long hash64() {
    long h = 0xcbf29ce484222325L;
    for (String s : nv) {
      for (int i = 0; i < s.length(); i++) {
        h ^= s.charAt(i);
        h *= 0x100000001b3L;
      }
      h ^= 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /**
   * Prometheus' hash of this label set ({@code labels.Hash()}: XXH64 of each name and value in
   * UTF-8, each followed by a 0xff byte), for results that must pick the same series as Prometheus
   * ({@code limit_ratio}).
   */
  public long prometheusHash() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);
    for (String s : nv) {
      out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.write(0xff);
    }
    byte[] b = out.toByteArray();
    return XxHash64.hash(b, 0, b.length);
  }

  /** Prometheus notation: {@code name{a="b", c="d"}}, values escaped. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    String name = metricName();
    if (name != null) {
      sb.append(name);
    }
    sb.append('{');
    boolean first = true;
    for (int i = 0; i < nv.length; i += 2) {
      if (nv[i].equals(METRIC_NAME)) {
        continue;
      }
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(nv[i]).append("=\"");
      escape(sb, nv[i + 1]);
      sb.append('"');
    }
    return sb.append('}').toString();
  }

  private static void escape(StringBuilder sb, String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }

  /** Mutable builder; {@link #build()} sorts and drops empty values. Not thread-safe. */
  public static final class Builder {
    private final TreeMap<String, String> map = new TreeMap<>();

    private Builder() {}

    /** Sets a label; an empty or null value deletes it. */
    public Builder set(String name, String value) {
      Objects.requireNonNull(name, "label name");
      if (value == null || value.isEmpty()) {
        map.remove(name);
      } else {
        map.put(name, value);
      }
      return this;
    }

    public Builder delete(String name) {
      map.remove(name);
      return this;
    }

    public String get(String name) {
      return map.get(name);
    }

    public Labels build() {
      if (map.isEmpty()) {
        return EMPTY;
      }
      String[] nv = new String[map.size() * 2];
      int i = 0;
      for (Map.Entry<String, String> e : map.entrySet()) {
        nv[i++] = e.getKey();
        nv[i++] = e.getValue();
      }
      return new Labels(nv);
    }
  }
}
