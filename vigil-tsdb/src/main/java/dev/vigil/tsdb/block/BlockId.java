package dev.vigil.tsdb.block;

import java.security.SecureRandom;

/** Block ids: 13 hex digits of creation time (ms) and 7 random ones, so names sort by age. */
public final class BlockId {
  private static final SecureRandom RANDOM = new SecureRandom();

  private BlockId() {}

  public static String next(long nowMillis) {
    return String.format("%013x%07x", nowMillis, RANDOM.nextInt(1 << 28));
  }

  /** Whether a directory name looks like a block id. */
  public static boolean is(String name) {
    return name.length() == 20 && name.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }
}
