package dev.vigil.tsdb.agent;

import java.util.Arrays;

/**
 * Series refs (positive longs) to values, without boxing: what the agent's appender looks a ref up
 * in instead of hashing and comparing the series' labels.
 *
 * <p>Not thread-safe: {@link AgentStorage} uses it under its commit lock.
 */
final class RefTable<V> {
  /*
   * Open addressing with linear probing over a power-of-two table, at most half full. There is no
   * removal: the agent forgets series only at a checkpoint, which builds a new table of the live
   * ones (a full pass it makes anyway), so no tombstones or backward shifts are needed.
   */
  private long[] keys;
  private Object[] values;
  private int size;

  RefTable(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new Object[cap];
  }

  int size() {
    return size;
  }

  /** The value of {@code ref}, or null. */
  @SuppressWarnings("unchecked")
  V get(long ref) {
    int mask = keys.length - 1;
    for (int i = slot(ref, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == ref) {
        return (V) values[i];
      }
      if (k == 0) {
        return null;
      }
    }
  }

  /** Maps {@code ref} (> 0) to {@code value}, replacing an earlier value. */
  void put(long ref, V value) {
    if (ref <= 0) {
      throw new IllegalArgumentException("series refs are positive, got " + ref);
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = slot(ref, mask); ; i = (i + 1) & mask) {
      if (keys[i] == ref) {
        values[i] = value;
        return;
      }
      if (keys[i] == 0) {
        keys[i] = ref;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != 0) {
        int i = slot(oldKeys[j], mask);
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
    Arrays.fill(oldValues, null);
  }

  private static int slot(long ref, int mask) {
    // Refs are sequential: a multiplicative hash spreads neighbours over the table.
    return (int) ((ref * 0x9E3779B97F4A7C15L) >>> 32) & mask;
  }
}
