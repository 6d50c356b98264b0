package dev.vigil.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a rule file's YAML with the line it starts on, so every problem names its line. Map
 * keys keep their own lines (a misspelt key is reported where it is written).
 */
record YamlNode(
    Kind kind,
    int line,
    Map<String, YamlNode> map,
    Map<String, Integer> keyLines,
    List<YamlNode> list,
    String text,
    boolean quoted) {

  enum Kind {
    MAP,
    LIST,
    SCALAR,
    NULL
  }

  private static final YAMLFactory FACTORY = new YAMLFactory();

  /** Thrown for text that is not YAML or has a duplicate key. */
  static final class YamlError extends Exception {
    final int line;

    YamlError(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  /** Parses the first document of {@code text}; an empty document is a NULL node. */
  static YamlNode parse(String text) throws YamlError {
    JsonParser parser = null;
    try (JsonParser p = FACTORY.createParser(text)) {
      parser = p;
      if (p.nextToken() == null) {
        return new YamlNode(Kind.NULL, 1, Map.of(), Map.of(), List.of(), null, false);
      }
      return read(p);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() != null ? e.getLocation().getLineNr() : -1;
      if (line <= 0 && parser != null) {
        line = parser.currentLocation().getLineNr();
      }
      throw new YamlError(Math.max(line, 0), "not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new YamlError(0, "cannot read: " + e.getMessage());
    }
  }

  private static YamlNode read(JsonParser p) throws IOException, YamlError {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, YamlNode> m = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          p.nextToken();
          YamlNode v = read(p);
          if (m.containsKey(key)) {
            throw new YamlError(
                keyLine, "mapping key \"" + key + "\" already defined at line " + lines.get(key));
          }
          m.put(key, v);
          lines.put(key, keyLine);
        }
        return new YamlNode(
            Kind.MAP,
            line,
            Collections.unmodifiableMap(m),
            Collections.unmodifiableMap(lines),
            List.of(),
            null,
            false);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(p));
        }
        return new YamlNode(Kind.LIST, line, Map.of(), Map.of(), List.copyOf(items), null, false);
      }
      case VALUE_NULL -> {
        return new YamlNode(Kind.NULL, line, Map.of(), Map.of(), List.of(), null, false);
      }
      default -> {
        return new YamlNode(
            Kind.SCALAR,
            line,
            Map.of(),
            Map.of(),
            List.of(),
            p.getText(),
            t == JsonToken.VALUE_STRING);
      }
    }
  }

  boolean isNull() {
    return kind == Kind.NULL;
  }

  YamlNode get(String key) {
    return map.get(key);
  }

  int keyLine(String key) {
    Integer l = keyLines.get(key);
    return l == null ? line : l;
  }

  String describe() {
    return switch (kind) {
      case MAP -> "a map";
      case LIST -> "a list";
      case SCALAR -> "\"" + text + "\"";
      case NULL -> "null";
    };
  }
}
