package dev.vigil.report;

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
 * A YAML node with the file and line it starts on, so that every definition error names file, line
 * and key. A map (order kept, duplicate keys refused), a list, a scalar or null. Immutable.
 */
record Yaml(String source, int line, Map<String, Yaml> map, List<Yaml> list, String scalar) {
  /** The parser, created on first use: a server without report definitions loads none. */
  private static final class Factory {
    static final YAMLFactory INSTANCE = new YAMLFactory();
  }

  static Yaml parse(String source, String text) {
    if (text.isBlank()) {
      return new Yaml(source, 1, Map.of(), null, null);
    }
    try (JsonParser p = Factory.INSTANCE.createParser(text)) {
      if (p.nextToken() == null) {
        return new Yaml(source, 1, Map.of(), null, null);
      }
      return read(source, p);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() != null ? e.getLocation().getLineNr() : 0;
      throw new ReportException(
          source + (line > 0 ? ":" + line : "") + ": not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ReportException(source + ": cannot read: " + e.getMessage());
    }
  }

  private static Yaml read(String source, JsonParser p) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Yaml> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          p.nextToken();
          if (m.put(key, read(source, p)) != null) {
            throw new ReportException(source + ":" + keyLine + ": " + key + ": duplicate key");
          }
        }
        return new Yaml(source, line, m, null, null);
      }
      case START_ARRAY -> {
        List<Yaml> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(read(source, p));
        }
        return new Yaml(source, line, null, l, null);
      }
      case VALUE_NULL -> {
        return new Yaml(source, line, null, null, null);
      }
      default -> {
        return new Yaml(source, line, null, null, p.getText());
      }
    }
  }

  boolean isMap() {
    return map != null;
  }

  boolean isList() {
    return list != null;
  }

  /** An error at this node: {@code file:line: key: problem}. */
  ReportException error(String key, String problem) {
    return new ReportException(source + ":" + line + ": " + key + ": " + problem);
  }

  /** The map's keys must all be among {@code known}. */
  void only(String path, String... known) {
    for (Map.Entry<String, Yaml> e : map.entrySet()) {
      if (!List.of(known).contains(e.getKey())) {
        throw e.getValue()
            .error(path + e.getKey(), "unknown key (known: " + String.join(", ", known) + ")");
      }
    }
  }

  /** The map's scalar {@code key}, or {@code dflt} when absent. */
  String text(String path, String key, String dflt) {
    Yaml v = map.get(key);
    if (v == null || (v.scalar == null && !v.isMap() && !v.isList())) {
      return dflt;
    }
    if (v.scalar == null) {
      throw v.error(path + key, "expected a text value");
    }
    return v.scalar;
  }

  /** The map's list {@code key} (empty when absent). */
  List<Yaml> items(String path, String key) {
    Yaml v = map.get(key);
    if (v == null || (v.scalar == null && v.map == null && v.list == null)) {
      return List.of();
    }
    if (!v.isList()) {
      throw v.error(path + key, "expected a list");
    }
    return v.list;
  }
}
