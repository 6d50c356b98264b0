package dev.vigil.tsdb;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic byte-level mutations for the seeded fuzz tests: bit flips, interesting bytes and
 * 32-bit values (0, -1, MAX, MIN, lengths just past a boundary), inserts, deletes, truncation and
 * duplicated ranges, one to four per input.
 */
public final class Mutations {
  private static final int[] INTERESTING = {
    0, 1, -1, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffff, 0x10000, 64, 65, 127, 128
  };

  private Mutations() {}

  /** A mutated copy of {@code seed}. */
  public static byte[] mutate(byte[] seed, SplittableRandom rnd) {
    byte[] b = seed.clone();
    int edits = 1 + rnd.nextInt(4);
    for (int k = 0; k < edits; k++) {
      int pos = b.length == 0 ? 0 : rnd.nextInt(b.length);
      switch (rnd.nextInt(8)) {
        case 0, 1 -> {
          if (b.length > 0) {
            b[pos] ^= (byte) (1 << rnd.nextInt(8));
          }
        }
        case 2 -> {
          if (b.length > 0) {
            b[pos] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
          }
        }
        case 3 -> {
          int v = INTERESTING[rnd.nextInt(INTERESTING.length)];
          for (int i = 0; i < 4 && pos + i < b.length; i++) {
            b[pos + i] = (byte) (v >>> (24 - 8 * i));
          }
        }
        case 4 -> {
          byte[] c = new byte[b.length + 1];
          System.arraycopy(b, 0, c, 0, pos);
          c[pos] = (byte) rnd.nextInt(256);
          System.arraycopy(b, pos, c, pos + 1, b.length - pos);
          b = c;
        }
        case 5 -> {
          if (b.length > 0) {
            byte[] c = new byte[b.length - 1];
            System.arraycopy(b, 0, c, 0, pos);
            System.arraycopy(b, pos + 1, c, pos, b.length - pos - 1);
            b = c;
          }
        }
        case 6 -> b = Arrays.copyOf(b, b.length == 0 ? 0 : rnd.nextInt(b.length));
        default -> {
          if (b.length > 0) {
            int len = 1 + rnd.nextInt(Math.min(16, b.length - pos));
            byte[] c = Arrays.copyOf(b, b.length + len);
            System.arraycopy(b, pos, c, pos + len, b.length - pos);
            b = c;
          }
        }
      }
    }
    return b;
  }
}
