package dev.vigil.notify.builtin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node with the line it starts on: a map (insertion order kept), a list, a scalar or null.
 * Duplicate keys are refused. Immutable once read. Public so that vigil.yml's loader hands its
 * already-parsed {@code notify} section over with the file's lines.
 */
public record YNode(
    String source, int line, Map<String, YNode> map, List<YNode> list, String scalar) {
  /** The parser, created on first use: nodes handed over from vigil.yml need none. */
  private static final class Factory {
    static final YAMLFactory INSTANCE = new YAMLFactory();
  }

  boolean isMap() {
    return map != null;
  }

  boolean isList() {
    return list != null;
  }

  boolean isNull() {
    return map == null && list == null && scalar == null;
  }

  String where() {
    return source + ":" + line;
  }

  static YNode parse(String source, String text) {
    try (JsonParser p = Factory.INSTANCE.createParser(text)) {
      if (p.nextToken() == null) {
        return new YNode(source, 1, Map.of(), null, null);
      }
      return read(source, p);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() != null ? e.getLocation().getLineNr() : 0;
      throw new NotifyConfigException(
          source + (line > 0 ? ":" + line : "") + ": not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new NotifyConfigException(source + ": cannot read: " + e.getMessage());
    }
  }

  private static YNode read(String source, JsonParser p) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        LinkedHashMap<String, YNode> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          p.nextToken();
          YNode v = read(source, p);
          if (m.put(key, v) != null) {
            throw new NotifyConfigException(
                source + ":" + keyLine + ": " + key + ": duplicate key");
          }
        }
        return new YNode(source, line, m, null, null);
      }
      case START_ARRAY -> {
        List<YNode> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(read(source, p));
        }
        return new YNode(source, line, null, l, null);
      }
      case VALUE_NULL -> {
        return new YNode(source, line, null, null, null);
      }
      default -> {
        return new YNode(source, line, null, null, p.getText());
      }
    }
  }

  /** As Jackson's tree (scalars as text), for parsers that take one. */
  com.fasterxml.jackson.databind.JsonNode toJson() {
    var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    if (isMap()) {
      var o = f.objectNode();
      map.forEach((k, v) -> o.set(k, v.toJson()));
      return o;
    }
    if (isList()) {
      var a = f.arrayNode();
      list.forEach(v -> a.add(v.toJson()));
      return a;
    }
    return scalar == null ? f.nullNode() : f.textNode(scalar);
  }
}
