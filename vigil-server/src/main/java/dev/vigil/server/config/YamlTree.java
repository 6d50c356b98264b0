package dev.vigil.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads a YAML document into a {@link ConfigNode} tree with line numbers. Duplicate keys are an
 * error (YAML forbids them; silently keeping the last one hides typos).
 */
final class YamlTree {
  private YamlTree() {}

  /** The YAML parser, created on first use: a server without a configuration file loads none. */
  private static final class Factory {
    static final YAMLFactory INSTANCE = new YAMLFactory();
  }

  /** Parses {@code text}; an empty document gives an empty map. */
  static ConfigNode parse(String source, String text) {
    if (text.isBlank()) {
      return ConfigNode.emptyMap(source);
    }
    JsonParser parser = null;
    try (JsonParser p = Factory.INSTANCE.createParser(text)) {
      parser = p;
      JsonToken t = p.nextToken();
      if (t == null) {
        return ConfigNode.emptyMap(source);
      }
      ConfigNode root = read(source, p);
      if (root.kind() == ConfigNode.Kind.NULL) {
        return ConfigNode.emptyMap(source);
      }
      if (root.kind() != ConfigNode.Kind.MAP) {
        throw new ConfigException(root.where() + ": the top level must be a map of sections");
      }
      return root;
    } catch (JsonProcessingException e) {
      // A limit such as the nesting depth is reported without a location: the parser's is used.
      int line = e.getLocation() != null ? e.getLocation().getLineNr() : -1;
      if (line <= 0 && parser != null) {
        line = parser.currentLocation().getLineNr();
      }
      throw new ConfigException(
          source + (line > 0 ? ":" + line : "") + ": not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static ConfigNode read(String source, JsonParser p) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        LinkedHashMap<String, ConfigNode> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          p.nextToken();
          ConfigNode v = read(source, p);
          if (m.containsKey(key)) {
            throw new ConfigException(source + ":" + keyLine + ": " + key + ": duplicate key");
          }
          m.put(key, v);
        }
        return ConfigNode.map(source, line, m);
      }
      case START_ARRAY -> {
        List<ConfigNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(source, p));
        }
        return ConfigNode.list(source, line, items);
      }
      case VALUE_NULL -> {
        return ConfigNode.nullNode(source, line);
      }
      default -> {
        return ConfigNode.scalar(source, line, p.getText());
      }
    }
  }
}
