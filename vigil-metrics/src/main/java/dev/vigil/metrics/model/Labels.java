package dev.vigil.metrics.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable set of label name/value pairs, sorted by name.
 *
 * <pre>{@code
 * Labels l = Labels.of("method", "GET", "status", "200");
 * l.get("status"); // "200"
 * }</pre>
 *
 * <p>Names are unique; the constructor sorts and rejects duplicates. Values may be empty strings;
 * null is rejected. Instances are safe to share between threads.
 */
public final class Labels implements Comparable<Labels> {
  /** The empty label set. */
  public static final Labels EMPTY = new Labels(new String[0], new String[0]);

  private final String[] names;
  private final String[] values;
  private int hash;

  private Labels(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /** Labels from alternating name, value arguments: {@code of("a", "1", "b", "2")}. */
  public static Labels of(String... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException(
          "Labels.of needs name/value pairs, got an odd number of arguments: "
              + nameValuePairs.length);
    }
    int n = nameValuePairs.length / 2;
    String[] names = new String[n];
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = nameValuePairs[2 * i];
      values[i] = nameValuePairs[2 * i + 1];
    }
    return of(names, values);
  }

  /** Labels from parallel arrays of names and values (copied). */
  public static Labels of(String[] names, String[] values) {
    if (names.length != values.length) {
      throw new IllegalArgumentException(
          "Labels: " + names.length + " names but " + values.length + " values");
    }
    if (names.length == 0) {
      return EMPTY;
    }
    String[] n = names.clone();
    String[] v = values.clone();
    for (int i = 0; i < n.length; i++) {
      Objects.requireNonNull(n[i], "label name");
      if (v[i] == null) {
        throw new NullPointerException("value of label " + n[i] + " is null");
      }
    }
    sort(n, v);
    for (int i = 1; i < n.length; i++) {
      if (n[i].equals(n[i - 1])) {
        throw new IllegalArgumentException("duplicate label name: " + n[i]);
      }
    }
    return new Labels(n, v);
  }

  /** Labels from a map (its iteration order does not matter). */
  public static Labels of(Map<String, String> map) {
    TreeMap<String, String> sorted = new TreeMap<>(map);
    return new Labels(
        sorted.keySet().toArray(new String[0]), sorted.values().toArray(new String[0]));
  }

  private static void sort(String[] n, String[] v) {
    // Insertion sort: label sets are small and usually already sorted.
    for (int i = 1; i < n.length; i++) {
      String kn = n[i];
      String kv = v[i];
      int j = i - 1;
      while (j >= 0 && n[j].compareTo(kn) > 0) {
        n[j + 1] = n[j];
        v[j + 1] = v[j];
        j--;
      }
      n[j + 1] = kn;
      v[j + 1] = kv;
    }
  }

  /** Number of labels. */
  public int size() {
    return names.length;
  }

  /** True when there are no labels. */
  public boolean isEmpty() {
    return names.length == 0;
  }

  /** Name of the i-th label in sorted order. */
  public String name(int i) {
    return names[i];
  }

  /** Value of the i-th label in sorted order. */
  public String value(int i) {
    return values[i];
  }

  /** Value of the named label, or null when absent. */
  public String get(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return null;
  }

  /** True when the named label is present. */
  public boolean contains(String name) {
    return get(name) != null;
  }

  /** A copy with one more label (or a replaced value when the name exists). */
  public Labels with(String name, String value) {
    String[] n = Arrays.copyOf(names, names.length + 1);
    String[] v = Arrays.copyOf(values, values.length + 1);
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        n = names.clone();
        v = values.clone();
        v[i] = value;
        return new Labels(n, v);
      }
    }
    n[names.length] = name;
    v[names.length] = value;
    sort(n, v);
    return new Labels(n, v);
  }

  /** The labels as an insertion-ordered map (sorted by name). */
  public Map<String, String> toMap() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], values[i]);
    }
    return m;
  }

  /** Label names in sorted order. */
  public List<String> names() {
    return List.of(names);
  }

  /** Label values, in the order of {@link #names()}. */
  public List<String> values() {
    return new ArrayList<>(Arrays.asList(values));
  }

  @Override
  public int compareTo(Labels o) {
    int n = Math.min(names.length, o.names.length);
    for (int i = 0; i < n; i++) {
      // Identity first: label sets of one metric share their name strings (halves sort time).
      if (names[i] != o.names[i]) {
        int c = names[i].compareTo(o.names[i]);
        if (c != 0) {
          return c;
        }
      }
      if (values[i] != o.values[i]) {
        int c = values[i].compareTo(o.values[i]);
        if (c != 0) {
          return c;
        }
      }
    }
    return Integer.compare(names.length, o.names.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Labels l
        && Arrays.equals(names, l.names)
        && Arrays.equals(values, l.values);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(names[i]).append("=\"").append(values[i]).append('"');
    }
    return sb.append('}').toString();
  }
}
