package dev.vigil.server.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a parsed YAML document that remembers where it came from (file and line), so that a
 * bad value can be reported as {@code vigil.yml:12: server.listen: ...}. Maps keep key order.
 *
 * <p>Sections that other modules own (alerting, remote_write, slos, dashboard) stay as nodes until
 * those modules bind them; they report errors the same way through {@link #where()}.
 */
public final class ConfigNode {
  /** What the node holds. */
  public enum Kind {
    MAP,
    LIST,
    SCALAR,
    NULL
  }

  private final Kind kind;
  private final String source;
  private final int line;
  private final Map<String, ConfigNode> map;
  private final List<ConfigNode> list;
  private final String scalar;

  private ConfigNode(
      Kind kind,
      String source,
      int line,
      Map<String, ConfigNode> map,
      List<ConfigNode> list,
      String scalar) {
    this.kind = kind;
    this.source = source;
    this.line = line;
    this.map = map;
    this.list = list;
    this.scalar = scalar;
  }

  static ConfigNode map(String source, int line, LinkedHashMap<String, ConfigNode> entries) {
    return new ConfigNode(Kind.MAP, source, line, entries, null, null);
  }

  static ConfigNode list(String source, int line, List<ConfigNode> items) {
    return new ConfigNode(Kind.LIST, source, line, null, List.copyOf(items), null);
  }

  static ConfigNode scalar(String source, int line, String value) {
    return new ConfigNode(Kind.SCALAR, source, line, null, null, value);
  }

  static ConfigNode nullNode(String source, int line) {
    return new ConfigNode(Kind.NULL, source, line, null, null, null);
  }

  /** An empty map, standing for a section that is absent. */
  public static ConfigNode emptyMap(String source) {
    return map(source, 0, new LinkedHashMap<>());
  }

  public Kind kind() {
    return kind;
  }

  /** The file name (or {@code env VIGIL_X}) this node came from. */
  public String source() {
    return source;
  }

  /** 1-based line, 0 when unknown. */
  public int line() {
    return line;
  }

  /** {@code file:line} for messages. */
  public String where() {
    return line > 0 ? source + ":" + line : source;
  }

  /** The entries of a map node, in document order; empty for other kinds. */
  public Map<String, ConfigNode> entries() {
    return map == null ? Map.of() : Collections.unmodifiableMap(map);
  }

  /** The items of a list node; empty for other kinds. */
  public List<ConfigNode> items() {
    return list == null ? List.of() : list;
  }

  /** The text of a scalar node, or {@code null}. */
  public String text() {
    return scalar;
  }

  /** Replaces or adds an entry of a map node (environment overrides). */
  void put(String key, ConfigNode value) {
    if (map == null) {
      throw new IllegalStateException("not a map");
    }
    map.put(key, value);
  }

  /** Plain Java view: maps, lists and strings, for code that binds its own section. */
  public Object toPlain() {
    return switch (kind) {
      case MAP -> {
        Map<String, Object> m = new LinkedHashMap<>();
        map.forEach((k, v) -> m.put(k, v.toPlain()));
        yield m;
      }
      case LIST -> items().stream().map(ConfigNode::toPlain).toList();
      case SCALAR -> scalar;
      case NULL -> null;
    };
  }
}
