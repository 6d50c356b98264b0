package dev.vigil.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a config tree back to YAML with secrets (tokens, passwords, credentials) replaced by
 * {@code <secret>}, as Prometheus does for {@code /api/v1/status/config}.
 */
final class Redacted {
  private Redacted() {}

  /** The YAML writer, created on first use (an empty configuration renders without it). */
  private static final class Writer {
    static final ObjectMapper YAML =
        new ObjectMapper(
            YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build());
  }

  static String yaml(ConfigNode root) {
    Object plain = redact(null, root.toPlain());
    if (plain instanceof Map<?, ?> m && m.isEmpty()) {
      return "";
    }
    try {
      return Writer.YAML.writeValueAsString(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the configuration", e);
    }
  }

  /** A section as written, as plain maps and lists, secrets as {@code <secret>}. */
  static Object plain(ConfigNode node) {
    return redact(null, node.toPlain());
  }

  private static boolean secret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("token")
        || k.contains("password")
        || k.equals("credentials")
        || k.endsWith("api_url") // a Slack incoming-webhook URL is its credential
        || k.equals("key");
  }

  private static Object redact(String key, Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put((String) k, redact((String) k, x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(key != null && secret(key) ? "<secret>" : redact(null, x));
      }
      return out;
    }
    if (v != null && key != null && secret(key) && !key.endsWith("_file")) {
      return "<secret>";
    }
    return v;
  }
}
