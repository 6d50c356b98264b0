package dev.vigil.server.vitals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Turns the path a browser reports into a page label from a bounded set: the first configured route
 * pattern it matches, or, without patterns, its normalised template ({@code /orders/42} is {@code
 * /orders/:id}) while fewer than {@code maxPages} are known; else {@value #OTHER}.
 *
 * <p>Thread-safe.
 */
final class Pages {
  /** The page of every path that has no name of its own. */
  static final String OTHER = "other";

  /** Path segments kept in a template; deeper paths end in {@code /*}. */
  static final int MAX_DEPTH = 6;

  private static final Pattern NUMBER = Pattern.compile("\\d+");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HEX = Pattern.compile("(?=.*\\d)[0-9a-fA-F]{8,}");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._~-]{1,40}");

  private final List<String[]> patterns = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final int maxPages;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  Pages(List<String> routePatterns, int maxPages) {
    for (String p : routePatterns) {
      patterns.add(segments(p));
      names.add(p);
    }
    this.maxPages = maxPages;
  }

  /**
   * The pages of a reloaded configuration: {@code routePatterns} and {@code maxPages}, keeping the
   * templates this one has named when both name pages by template (their series exist, so they keep
   * their label; a lower {@code maxPages} only stops new ones).
   */
  Pages reconfigured(List<String> routePatterns, int maxPages) {
    Pages next = new Pages(routePatterns, maxPages);
    if (patterns.isEmpty() && routePatterns.isEmpty()) {
      next.seen.addAll(seen);
    }
    return next;
  }

  /** The page label of a path (query and fragment, if any, are ignored). */
  String of(String path) {
    String[] segs = segments(strip(path));
    if (!patterns.isEmpty()) {
      for (int i = 0; i < patterns.size(); i++) {
        if (matches(patterns.get(i), segs)) {
          return names.get(i);
        }
      }
      return OTHER;
    }
    String t = template(segs);
    if (seen.contains(t)) {
      return t;
    }
    synchronized (seen) {
      if (seen.size() < maxPages) {
        seen.add(t);
        return t;
      }
    }
    return OTHER;
  }

  private static String strip(String path) {
    int cut = path.length();
    for (char c : new char[] {'?', '#'}) {
      int i = path.indexOf(c);
      if (i >= 0 && i < cut) {
        cut = i;
      }
    }
    return path.substring(0, cut);
  }

  private static String[] segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out.toArray(String[]::new);
  }

  private static boolean matches(String[] pattern, String[] path) {
    for (int i = 0; i < pattern.length; i++) {
      if (pattern[i].equals("*") && i == pattern.length - 1) {
        return path.length >= i;
      }
      if (i >= path.length) {
        return false;
      }
      if (!pattern[i].startsWith(":") && !pattern[i].equals(path[i])) {
        return false;
      }
    }
    return pattern.length == path.length;
  }

  /** Ids become {@code :id}, anything unusual {@code :x}, depth is capped. */
  static String template(String[] segs) {
    if (segs.length == 0) {
      return "/";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < segs.length && i < MAX_DEPTH; i++) {
      String s = segs[i];
      b.append('/');
      if (NUMBER.matcher(s).matches() || UUID.matcher(s).matches() || HEX.matcher(s).matches()) {
        b.append(":id");
      } else if (!WORD.matcher(s).matches()) {
        b.append(":x");
      } else {
        b.append(s);
      }
    }
    if (segs.length > MAX_DEPTH) {
      b.append("/*");
    }
    return b.toString();
  }
}
