package dev.vigil.collectors.recorders;

/**
 * Per-thread label-value arrays, so a recorder passes label values to {@code labelValues(...)}
 * without allocating a varargs array on every call.
 *
 * <p>Safe because the metrics library copies the array when it creates a child and only reads it
 * during a lookup; a recorder fills an array and finishes its lookup before filling it again.
 * Measured: {@code recordApiRequest} went from 64 to 0 B/op (JMH {@code -prof gc}), as C2 did not
 * scalar-replace the varargs arrays.
 */
final class Scratch {
  private static final ThreadLocal<String[][]> ARRAYS =
      ThreadLocal.withInitial(
          () -> new String[][] {null, new String[1], new String[2], new String[3], new String[4]});

  private Scratch() {}

  static String[] of(String a) {
    String[] v = ARRAYS.get()[1];
    v[0] = a;
    return v;
  }

  static String[] of(String a, String b) {
    String[] v = ARRAYS.get()[2];
    v[0] = a;
    v[1] = b;
    return v;
  }

  static String[] of(String a, String b, String c) {
    String[] v = ARRAYS.get()[3];
    v[0] = a;
    v[1] = b;
    v[2] = c;
    return v;
  }

  static String[] of(String a, String b, String c, String d) {
    String[] v = ARRAYS.get()[4];
    v[0] = a;
    v[1] = b;
    v[2] = c;
    v[3] = d;
    return v;
  }
}
