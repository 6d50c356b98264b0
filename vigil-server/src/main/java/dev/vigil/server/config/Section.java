package dev.vigil.server.config;

import dev.vigil.model.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads one map of the configuration with typed getters and remembers which keys were read, so that
 * {@link #finish()} can reject the rest as unknown keys. Every error names file, line and the full
 * key path.
 *
 * <pre>{@code
 * Section s = new Section(node, "server");
 * String listen = s.string("listen", "127.0.0.1:9470");
 * s.finish(); // "vigil.yml:3: server.lisen: unknown key (known: listen, auth, tls, limits)"
 * }</pre>
 */
public final class Section {
  private final ConfigNode node;
  private final String path;
  private final Set<String> known = new HashSet<>();
  private final List<String> knownOrdered = new ArrayList<>();

  /**
   * Wraps a map node found at {@code path}.
   *
   * @throws ConfigException when the node is not a map
   */
  public Section(ConfigNode node, String path) {
    if (node.kind() == ConfigNode.Kind.NULL) {
      node = ConfigNode.emptyMap(node.source());
    }
    if (node.kind() != ConfigNode.Kind.MAP) {
      throw new ConfigException(node.where() + ": " + path + ": expected a map of keys");
    }
    this.node = node;
    this.path = path;
  }

  /** The key path of this section ({@code scrape_configs[0]}). */
  public String path() {
    return path;
  }

  /** The underlying node. */
  public ConfigNode node() {
    return node;
  }

  private String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A config error at {@code key} (or at the section when the key is absent). */
  public ConfigException error(String key, String message) {
    ConfigNode v = node.entries().get(key);
    String where = v != null ? v.where() : node.where();
    return new ConfigException(where + ": " + keyPath(key) + ": " + message);
  }

  private ConfigNode raw(String key) {
    if (known.add(key)) {
      knownOrdered.add(key);
    }
    ConfigNode v = node.entries().get(key);
    return v == null || v.kind() == ConfigNode.Kind.NULL ? null : v;
  }

  /** Whether the key is present with a non-null value. */
  public boolean has(String key) {
    ConfigNode v = node.entries().get(key);
    return v != null && v.kind() != ConfigNode.Kind.NULL;
  }

  private String scalar(String key) {
    ConfigNode v = raw(key);
    if (v == null) {
      return null;
    }
    if (v.kind() != ConfigNode.Kind.SCALAR) {
      throw error(key, "expected a single value, found a " + v.kind().name().toLowerCase());
    }
    return v.text();
  }

  /** A string value or the default. */
  public String string(String key, String def) {
    String s = scalar(key);
    return s == null ? def : s;
  }

  /** A value converted by {@code parse}; its IllegalArgumentException becomes a ConfigException. */
  public <T> T value(String key, T def, Function<String, T> parse) {
    String s = scalar(key);
    if (s == null) {
      return def;
    }
    try {
      return parse.apply(s);
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage());
    }
  }

  /** {@code true} or {@code false}. */
  public boolean bool(String key, boolean def) {
    return value(
        key,
        def,
        s ->
            switch (s) {
              case "true" -> true;
              case "false" -> false;
              default ->
                  throw new IllegalArgumentException("expected true or false, got \"" + s + "\"");
            });
  }

  /** An integer within {@code [min, max]}. */
  public long integer(String key, long def, long min, long max) {
    long v =
        value(
            key,
            def,
            s -> {
              try {
                return Long.parseLong(s.trim());
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer, got \"" + s + "\"");
              }
            });
    if (v < min || v > max) {
      throw error(key, "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  /** A Prometheus duration ({@code 1h30m}, {@code 15s}, {@code 100ms}) at least {@code min}. */
  public Duration duration(String key, Duration def, Duration min) {
    Duration d = value(key, def, Durations::parseDuration);
    if (d != null && min != null && d.compareTo(min) < 0) {
      throw error(key, "must be at least " + Durations.formatDuration(min));
    }
    return d;
  }

  /** A byte size ({@code 512MB}, {@code 1GiB}, {@code 1048576}); 0 means no limit. */
  public long bytes(String key, long def) {
    return value(key, def, ByteSizes::parseBytes);
  }

  /** A list of strings; a single string counts as a one-item list. */
  public List<String> strings(String key) {
    ConfigNode v = raw(key);
    if (v == null) {
      return List.of();
    }
    if (v.kind() == ConfigNode.Kind.SCALAR) {
      return List.of(v.text());
    }
    if (v.kind() != ConfigNode.Kind.LIST) {
      throw error(key, "expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (ConfigNode item : v.items()) {
      if (item.kind() != ConfigNode.Kind.SCALAR) {
        throw new ConfigException(item.where() + ": " + keyPath(key) + ": expected a string item");
      }
      out.add(item.text());
    }
    return List.copyOf(out);
  }

  /** A map of string to string (e.g. {@code labels}). */
  public Map<String, String> stringMap(String key) {
    ConfigNode v = raw(key);
    if (v == null) {
      return Map.of();
    }
    if (v.kind() != ConfigNode.Kind.MAP) {
      throw error(key, "expected a map of names to values");
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    v.entries()
        .forEach(
            (k, item) -> {
              if (item.kind() == ConfigNode.Kind.MAP || item.kind() == ConfigNode.Kind.LIST) {
                throw new ConfigException(
                    item.where() + ": " + keyPath(key) + "." + k + ": expected a single value");
              }
              out.put(k, item.text() == null ? "" : item.text());
            });
    return out;
  }

  /** A nested section; absent gives an empty one. */
  public Section section(String key) {
    ConfigNode v = raw(key);
    return new Section(v == null ? ConfigNode.emptyMap(node.source()) : v, keyPath(key));
  }

  /** The raw node of a key (for sections bound elsewhere), or an empty map. */
  public ConfigNode node(String key) {
    ConfigNode v = raw(key);
    return v == null ? ConfigNode.emptyMap(node.source()) : v;
  }

  /** A list of sections ({@code scrape_configs}). */
  public List<Section> sections(String key) {
    ConfigNode v = raw(key);
    if (v == null) {
      return List.of();
    }
    if (v.kind() != ConfigNode.Kind.LIST) {
      throw error(key, "expected a list");
    }
    List<Section> out = new ArrayList<>();
    for (int i = 0; i < v.items().size(); i++) {
      out.add(new Section(v.items().get(i), keyPath(key) + "[" + i + "]"));
    }
    return out;
  }

  /** Rejects keys that no getter asked for. */
  public void finish() {
    for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new ConfigException(
            e.getValue().where()
                + ": "
                + keyPath(e.getKey())
                + ": unknown key (known here: "
                + String.join(", ", knownOrdered)
                + ")");
      }
    }
  }
}
