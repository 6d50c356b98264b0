package dev.vigil.model;

/**
 * A bound on what compiling a pattern costs, checked on its text before RE2/J sees it: RE2/J has no
 * limit of its own, and {@code ((a{1000}){1000}){1000}} would take minutes and all the heap. Go
 * refuses patterns nested deeper than 1,000 ("expression nests too deeply") and programs over about
 * 3.3 million instructions ("expression too large"); Vigil keeps Go's depth and caps the program at
 * {@value #MAX_PROGRAM} instructions, where RE2/J compiles in well under a second and a few tens of
 * MB (a 1,000,000-instruction program took 2.3 s and 120 MB).
 */
final class RegexSize {
  /** Go's {@code maxHeight}. */
  static final int MAX_DEPTH = 1000;

  /** The largest program accepted, in RE2 instructions (estimated from above). */
  static final long MAX_PROGRAM = 100_000;

  private RegexSize() {}

  /**
   * The problem with {@code re}'s size ("expression nests too deeply" or "expression too large"),
   * or null when it is within bounds. Syntax errors are left to RE2/J.
   */
  static String check(String re) {
    int n = re.length();
    long[] total = new long[Math.min(n, MAX_DEPTH) + 2];
    long[] last = new long[total.length];
    int depth = 0;
    int i = 0;
    while (i < n) {
      char c = re.charAt(i);
      long atom = -1;
      switch (c) {
        case '(' -> {
          if (i + 1 < n && re.charAt(i + 1) == '?') {
            int close = flagsOnlyEnd(re, i + 2);
            if (close >= 0) {
              i = close + 1;
              continue;
            }
          }
          if (++depth > MAX_DEPTH) {
            return "expression nests too deeply";
          }
          total[depth] = 0;
          last[depth] = 0;
          i++;
          continue;
        }
        case ')' -> {
          if (depth == 0) {
            i++;
            continue;
          }
          atom = sat(total[depth] + 2);
          depth--;
          i++;
        }
        case '|' -> {
          total[depth] = sat(total[depth] + 1);
          last[depth] = 0;
          i++;
          continue;
        }
        case '*', '+', '?' -> {
          total[depth] = sat(total[depth] + 1);
          i++;
          continue;
        }
        case '{' -> {
          int close = re.indexOf('}', i);
          long count = close < 0 ? -1 : repeatCount(re, i + 1, close);
          if (count < 0) {
            atom = 1;
            i++;
          } else {
            // x{n,m} compiles to up to max(n, m) copies of x.
            long l = last[depth];
            total[depth] = sat(total[depth] + sat(l * Math.max(0, count - 1)) + count);
            last[depth] = sat(l * count);
            i = close + 1;
            if (total[depth] > MAX_PROGRAM) {
              return "expression too large";
            }
            continue;
          }
        }
        case '[' -> {
          // One instruction, but RE2/J builds a class in time superlinear in its ranges: count
          // its text (a 300 KB class took 18 s).
          int end = classEnd(re, i);
          atom = end - i;
          i = end;
        }
        case '\\' -> {
          atom = 1;
          i = escapeEnd(re, i);
        }
        default -> {
          atom = 1;
          i++;
        }
      }
      total[depth] = sat(total[depth] + atom);
      last[depth] = atom;
      if (total[depth] > MAX_PROGRAM) {
        return "expression too large";
      }
    }
    return null;
  }

  private static long sat(long v) {
    return v < 0 || v > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : v;
  }

  /** For "(?flags)" (no colon): the index of ')'; otherwise -1 (a group follows). */
  private static int flagsOnlyEnd(String re, int from) {
    for (int j = from; j < re.length(); j++) {
      char c = re.charAt(j);
      if (c == ')') {
        return j;
      }
      if (!(Character.isLetter(c) || c == '-')) {
        return -1;
      }
    }
    return -1;
  }

  /** The larger bound of "n", "n," or "n,m" in {@code re[from, to)}, or -1 when not a repeat. */
  private static long repeatCount(String re, int from, int to) {
    String body = re.substring(from, to);
    int comma = body.indexOf(',');
    String lo = comma < 0 ? body : body.substring(0, comma);
    String hi = comma < 0 ? "" : body.substring(comma + 1);
    if (!digits(lo) || (!hi.isEmpty() && !digits(hi))) {
      return -1;
    }
    long l = Long.parseLong(lo);
    long h = hi.isEmpty() ? (comma < 0 ? l : l + 1) : Long.parseLong(hi);
    return Math.max(l, h);
  }

  private static boolean digits(String s) {
    if (s.isEmpty() || s.length() > 9) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (s.charAt(k) < '0' || s.charAt(k) > '9') {
        return false;
      }
    }
    return true;
  }

  /** The index after the character class starting at {@code re[at] == '['}. */
  private static int classEnd(String re, int at) {
    int j = at + 1;
    if (j < re.length() && re.charAt(j) == '^') {
      j++;
    }
    if (j < re.length() && re.charAt(j) == ']') {
      j++;
    }
    while (j < re.length()) {
      char c = re.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (c == '[' && j + 1 < re.length() && re.charAt(j + 1) == ':') {
        int close = re.indexOf(":]", j + 2);
        j = close < 0 ? j + 1 : close + 2;
      } else if (c == ']') {
        return j + 1;
      } else {
        j++;
      }
    }
    return re.length();
  }

  /** The index after the escape at {@code re[at] == '\\'} ({@code \Q...\E} counts as one). */
  private static int escapeEnd(String re, int at) {
    if (at + 1 >= re.length()) {
      return re.length();
    }
    char e = re.charAt(at + 1);
    if ((e == 'p' || e == 'P' || e == 'x') && at + 2 < re.length() && re.charAt(at + 2) == '{') {
      int close = re.indexOf('}', at + 3);
      return close < 0 ? re.length() : close + 1;
    }
    if (e == 'Q') {
      int close = re.indexOf("\\E", at + 2);
      return close < 0 ? re.length() : close + 2;
    }
    return at + 2;
  }
}
