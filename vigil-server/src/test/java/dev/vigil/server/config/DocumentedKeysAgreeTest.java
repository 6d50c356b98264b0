package dev.vigil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.server.Vigil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every key documented in {@code vigil.example.yml} gets the same verdict from {@code serve
 * --check-config} (the loader, {@link ConfigLoader#load}) and from {@code serve} ({@link
 * Vigil#start} on what the loader returned): each leaf key is set to a handful of values, and
 * whatever the loader accepts must start a server. Unknown keys in every section are refused by the
 * loader. The keys come from the example file, so keys added there are walked too.
 */
class DocumentedKeysAgreeTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Values tried on every leaf key besides its documented one. */
  private static final List<Object> CANDIDATES =
      List.of("0", "1", "-1", "true", "false", "x", "1s", "1KB", "", List.of(), List.of("x"));

  @TempDir Path dir;
  private int runs;
  private int starts;

  @Test
  void everyDocumentedKey_isRefusedByCheckConfigOrStartsTheServer() throws Exception {
    Path example = Path.of(System.getProperty("vigil.root"), "vigil.example.yml");
    Map<String, Object> base = base(example);
    List<List<Object>> leaves = new ArrayList<>();
    List<List<Object>> maps = new ArrayList<>();
    walk(base, new ArrayList<>(), leaves, maps);
    assertThat(leaves).hasSizeGreaterThan(40);

    List<String> disagreements = new ArrayList<>();
    check(base, "the example itself", disagreements);
    for (List<Object> path : leaves) {
      Object documented = get(base, path);
      for (Object value : candidates(path)) {
        if (Objects.equals(value, documented)) {
          continue;
        }
        Map<String, Object> variant = copy(base);
        set(variant, path, value);
        check(variant, name(path) + " = " + YAML.writeValueAsString(value).trim(), disagreements);
      }
    }
    for (List<Object> path : maps) {
      if (!path.isEmpty()
          && (path.get(path.size() - 1).equals("labels")
              || path.get(path.size() - 1).equals("external_labels"))) {
        continue; // target and external labels: any label name is valid
      }
      Map<String, Object> variant = copy(base);
      @SuppressWarnings("unchecked")
      Map<String, Object> m = path.isEmpty() ? variant : (Map<String, Object>) get(variant, path);
      m.put("walker_unknown_key", "1");
      Path file = write(variant);
      try {
        ConfigLoader.load(file, Map.of());
        disagreements.add(name(path) + ".walker_unknown_key: accepted by --check-config");
      } catch (ConfigException expected) {
        // refused, as every unknown key must be
      }
    }
    System.out.println(
        "DocumentedKeysAgreeTest: " + leaves.size() + " keys, " + starts + " starts");
    assertThat(disagreements).as("keys where --check-config and serve disagree").isEmpty();
  }

  @Test
  void keysThisVersionCannotHonour_areRefusedByCheckConfig_namingThem() {
    Map<String, String> cases =
        Map.of(
            "rule_files: [missing-rules.yml]\n",
                "rule_files: invalid rule files:\nmissing-rules.yml: no such file",
            "alerting:\n  alertmanagers:\n    - api_version: v1\n",
                "alerting.alertmanagers[0].api_version: v1 is not supported",
            "remote_write:\n  - url: ftp://x\n", "remote_write[0].url: must be an http",
            "slos:\n  - version: prometheus/v1\n    service: s\n    slos: [{name: x, objective: 100}]\n",
                "slo \"x\": objective: must be a percentage in (0, 100)",
            "dashboard:\n  enabled: true\n", "dashboard.enabled: unknown key",
            "dashboard:\n  refresh:\n    overview: soon\n", "dashboard.refresh.overview",
            "server:\n  limits:\n    max_body_size: 0\n", "max_body_size: must be at least 1",
            "server:\n  limits:\n    max_header_size: 10\n", "max_header_size: must be at least",
            "server:\n  tls:\n    cert_file: missing.pem\n    key_file: missing.pem\n",
                "server.tls.cert_file: server.tls: cannot load",
            "server:\n  tls:\n    keystore_file: missing.p12\n",
                "server.tls.keystore_file: server.tls: cannot load");
    cases.forEach(
        (yaml, message) ->
            assertThatThrownBy(() -> ConfigLoader.parse("vigil.yml", yaml, Map.of()))
                .as(yaml)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("vigil.yml:")
                .hasMessageContaining(message));
  }

  /** Values for a key: paths and the listen address get usable ones, others the candidates. */
  private List<Object> candidates(List<Object> path) {
    return switch (name(path)) {
      case "server.listen" -> List.of("localhost:0", "127.0.0.1:99999");
      case "storage.path" -> List.of(dir.resolve("other-data").toString(), "");
      case "dashboard.folder" -> List.of(dir.resolve("dashboards").toString(), "");
      default -> CANDIDATES;
    };
  }

  /** Loads {@code config} as --check-config does; when accepted, starts it as serve does. */
  private void check(Map<String, Object> config, String what, List<String> out) throws Exception {
    Map<String, Object> fresh = copy(config);
    @SuppressWarnings("unchecked")
    Map<String, Object> storage = (Map<String, Object>) fresh.get("storage");
    if (storage.get("path") instanceof String p && p.startsWith(dir.resolve("data").toString())) {
      storage.put("path", dir.resolve("data-" + runs).toString());
    }
    Path file = write(fresh);
    VigilConfig c;
    try {
      c = ConfigLoader.load(file, Map.of());
    } catch (ConfigException refused) {
      return; // both refuse: serve runs the same loader first
    } catch (RuntimeException e) {
      out.add(what + ": --check-config fails with " + e + " instead of naming the key");
      return;
    }
    starts++;
    try (Vigil v = Vigil.builder(c).configFile(file, Map.of()).start()) {
      assertThat(v.ready()).isTrue();
    } catch (RuntimeException e) {
      out.add(what + ": accepted by --check-config, refused by serve: " + e);
    }
  }

  private Path write(Map<String, Object> config) throws Exception {
    Path file = dir.resolve("vigil-" + runs++ + ".yml");
    Files.writeString(file, YAML.writeValueAsString(config));
    return file;
  }

  /** The example with a free port, a temporary store and no collection work. */
  private Map<String, Object> base(Path example) throws Exception {
    ConfigNode root = YamlTree.parse(example.toString(), Files.readString(example));
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) root.toPlain();
    set(m, List.of("server", "listen"), "127.0.0.1:0");
    set(m, List.of("storage", "path"), dir.resolve("data").toString());
    return m;
  }

  @SuppressWarnings("unchecked")
  private static void walk(
      Object node, List<Object> path, List<List<Object>> leaves, List<List<Object>> maps) {
    if (node instanceof Map<?, ?> m) {
      maps.add(List.copyOf(path));
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
        List<Object> p = new ArrayList<>(path);
        p.add(e.getKey());
        walk(e.getValue(), p, leaves, maps);
      }
    } else if (node instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map) {
      for (int i = 0; i < l.size(); i++) {
        List<Object> p = new ArrayList<>(path);
        p.add(i);
        walk(l.get(i), p, leaves, maps);
      }
    } else if (node != null) {
      leaves.add(List.copyOf(path));
    }
  }

  private static String name(List<Object> path) {
    StringBuilder sb = new StringBuilder();
    for (Object p : path) {
      if (p instanceof Integer i) {
        sb.append('[').append(i).append(']');
      } else {
        sb.append(sb.isEmpty() ? "" : ".").append(p);
      }
    }
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static Object get(Object root, List<Object> path) {
    Object cur = root;
    for (Object p : path) {
      cur =
          p instanceof Integer i ? ((List<Object>) cur).get(i) : ((Map<String, Object>) cur).get(p);
    }
    return cur;
  }

  @SuppressWarnings("unchecked")
  private static void set(Object root, List<Object> path, Object value) {
    Object parent = get(root, path.subList(0, path.size() - 1));
    Object last = path.get(path.size() - 1);
    if (last instanceof Integer i) {
      ((List<Object>) parent).set(i, value);
    } else {
      ((Map<String, Object>) parent).put((String) last, value);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T copy(T node) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) m).forEach((k, v) -> out.put(k, copy(v)));
      return (T) out;
    }
    if (node instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(copy(v)));
      return (T) out;
    }
    return node;
  }
}
