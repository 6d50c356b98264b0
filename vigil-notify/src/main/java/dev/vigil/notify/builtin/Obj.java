package dev.vigil.notify.builtin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML map being bound: each key read is marked, and {@link #finish()} refuses the keys nobody
 * read, with file, line and key path, as Alertmanager refuses unknown fields.
 */
final class Obj {
  private static final Pattern DURATION =
      Pattern.compile(
          "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MS = {
    365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1
  };

  final YNode node;
  final String path;
  private final Set<String> read = new HashSet<>();

  Obj(YNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** The map at {@code node}, or an empty one for null; anything else is refused. */
  static Obj of(YNode node, String path) {
    if (node != null && !node.isNull() && !node.isMap()) {
      throw fail(node, path, "must be a map");
    }
    return new Obj(
        node == null || node.isNull() ? new YNode("", 0, Map.of(), null, null) : node, path);
  }

  static NotifyConfigException fail(YNode at, String key, String problem) {
    return new NotifyConfigException(at.where() + ": " + key + ": " + problem);
  }

  String key(String k) {
    return path.isEmpty() ? k : path + "." + k;
  }

  YNode get(String k) {
    read.add(k);
    YNode v = node.map().get(k);
    return v == null || v.isNull() ? null : v;
  }

  boolean has(String k) {
    return get(k) != null;
  }

  String string(String k, String def) {
    YNode v = get(k);
    if (v == null) {
      return def;
    }
    if (v.scalar() == null) {
      throw fail(v, key(k), "must be a string");
    }
    return v.scalar();
  }

  boolean bool(String k, boolean def) {
    YNode v = get(k);
    if (v == null) {
      return def;
    }
    return switch (v.scalar() == null ? "" : v.scalar()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw fail(v, key(k), "must be true or false, not " + v.scalar());
    };
  }

  int integer(String k, int def) {
    YNode v = get(k);
    if (v == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.scalar() == null ? "" : v.scalar());
      if (n < 0) {
        throw fail(v, key(k), "must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw fail(v, key(k), "must be an integer, not " + v.scalar());
    }
  }

  /** A Prometheus duration ({@code 30s}, {@code 1h30m}); null when absent. */
  Duration duration(String k, Duration def) {
    YNode v = get(k);
    if (v == null) {
      return def;
    }
    Duration d = parseDuration(v.scalar());
    if (d == null) {
      throw fail(
          v, key(k), "not a valid duration string: " + GoQuote.quote(String.valueOf(v.scalar())));
    }
    return d;
  }

  static Duration parseDuration(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      return null;
    }
    long ms = 0;
    for (int i = 0; i < UNIT_MS.length; i++) {
      if (m.group(i + 1) != null) {
        ms += Long.parseLong(m.group(i + 1)) * UNIT_MS[i];
      }
    }
    return Duration.ofMillis(ms);
  }

  List<String> strings(String k) {
    YNode v = get(k);
    if (v == null) {
      return List.of();
    }
    if (!v.isList()) {
      throw fail(v, key(k), "must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (YNode e : v.list()) {
      if (e.scalar() == null) {
        throw fail(e, key(k), "must be a list of strings");
      }
      out.add(e.scalar());
    }
    return out;
  }

  Map<String, String> stringMap(String k) {
    Obj o = obj(k);
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : o.node.map().keySet()) {
      out.put(name, o.string(name, ""));
    }
    return out;
  }

  /** A map of notification texts (templates checked as {@link #text}). */
  Map<String, String> textMap(String k) {
    Obj o = obj(k);
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : o.node.map().keySet()) {
      String v = o.text(name);
      out.put(name, v == null ? "" : v);
    }
    return out;
  }

  Obj obj(String k) {
    return of(get(k), key(k));
  }

  List<Obj> objs(String k) {
    YNode v = get(k);
    if (v == null) {
      return List.of();
    }
    if (!v.isList()) {
      throw fail(v, key(k), "must be a list");
    }
    List<Obj> out = new ArrayList<>();
    for (int i = 0; i < v.list().size(); i++) {
      out.add(of(v.list().get(i), key(k) + "[" + i + "]"));
    }
    return out;
  }

  /**
   * A notification text, a Go template rendered per notification: null when absent (the built-in
   * default applies). Refused here when it does not parse.
   */
  String text(String k) {
    String v = string(k, null);
    if (v != null && v.contains("{{")) {
      try {
        NotifyTemplates.check(v);
      } catch (dev.vigil.rules.template.TemplateException e) {
        throw fail(get(k), key(k), e.getMessage());
      }
    }
    return v;
  }

  /** Refuses the keys not read. */
  void finish() {
    for (Map.Entry<String, YNode> e : node.map().entrySet()) {
      if (!read.contains(e.getKey())) {
        int line = e.getValue().line();
        throw new NotifyConfigException(
            node.source() + ":" + line + ": " + key(e.getKey()) + ": unknown key");
      }
    }
  }
}
