package dev.vigil.server.remote;

import java.util.Arrays;

/**
 * A map from WAL series refs to values without boxing the keys: open addressing with linear
 * probing, growing at half full. Not thread-safe.
 *
 * @param <V> the values; null is not a value
 */
final class RefMap<V> {
  private long[] keys = new long[64];
  private Object[] values = new Object[64];
  private int size;

  /** The value of {@code ref}, or null. */
  @SuppressWarnings("unchecked")
  V get(long ref) {
    int mask = keys.length - 1;
    for (int i = index(ref, mask); values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == ref) {
        return (V) values[i];
      }
    }
    return null;
  }

  /** Sets {@code ref}'s value. */
  void put(long ref, V value) {
    if (value == null) {
      throw new IllegalArgumentException("null value for ref " + ref);
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = index(ref, mask);
    while (values[i] != null) {
      if (keys[i] == ref) {
        values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = ref;
    values[i] = value;
    size++;
  }

  int size() {
    return size;
  }

  private static int index(long ref, int mask) {
    return (int) ((ref * 0x9E3779B97F4A7C15L) >>> 32) & mask;
  }

  private void grow() {
    long[] k = keys;
    Object[] v = values;
    keys = new long[k.length * 2];
    values = new Object[k.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < k.length; j++) {
      if (v[j] != null) {
        int i = index(k[j], mask);
        while (values[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = k[j];
        values[i] = v[j];
      }
    }
    Arrays.fill(v, null);
  }
}
