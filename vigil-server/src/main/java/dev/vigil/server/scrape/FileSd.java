package dev.vigil.server.scrape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.server.config.ScrapeConfig.FileSdConfig;
import dev.vigil.server.config.ScrapeConfig.TargetGroup;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File service discovery: target groups from JSON ({@code .json}) or YAML ({@code .yml}, {@code
 * .yaml}) files matched by globs, as Prometheus' {@code file_sd_configs}:
 *
 * <pre>{@code
 * [{"targets": ["host:9100"], "labels": {"env": "prod"}}]
 * }</pre>
 *
 * <p>Each target gets {@code __meta_filepath}. A file that cannot be read or parsed keeps the
 * groups it gave last time, and the error is logged. {@link #poll()} re-reads files whose
 * modification time or size changed, or all of them when the refresh interval has passed. Not
 * thread-safe: one scrape manager thread polls.
 */
final class FileSd {
  private static final Logger LOG = LoggerFactory.getLogger(FileSd.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final FileSdConfig config;
  private final Map<Path, Stamp> stamps = new TreeMap<>();
  private final Map<Path, List<TargetGroup>> groups = new TreeMap<>();
  private long lastFullRead;

  private record Stamp(long mtime, long size) {}

  FileSd(FileSdConfig config) {
    this.config = config;
  }

  /**
   * Re-reads what changed.
   *
   * @return true when the groups changed
   */
  boolean poll(long nowMs) {
    boolean full = nowMs - lastFullRead >= config.refreshInterval().toMillis();
    if (full) {
      lastFullRead = nowMs;
    }
    List<Path> files = expand();
    boolean changed = groups.keySet().retainAll(files);
    stamps.keySet().retainAll(files);
    for (Path f : files) {
      Stamp s = stamp(f);
      if (!full && s != null && s.equals(stamps.get(f))) {
        continue;
      }
      if (s == null) {
        continue;
      }
      stamps.put(f, s);
      try {
        List<TargetGroup> g = read(f);
        if (!g.equals(groups.get(f))) {
          groups.put(f, g);
          changed = true;
        }
      } catch (IOException | IllegalArgumentException e) {
        LOG.warn("file_sd: cannot use {}: {} (keeping its previous targets)", f, e.getMessage());
      }
    }
    return changed;
  }

  /** All groups currently known, file by file. */
  List<TargetGroup> groups() {
    List<TargetGroup> out = new ArrayList<>();
    groups.values().forEach(out::addAll);
    return out;
  }

  private static Stamp stamp(Path f) {
    try {
      return new Stamp(Files.getLastModifiedTime(f).toMillis(), Files.size(f));
    } catch (IOException e) {
      return null;
    }
  }

  private List<Path> expand() {
    List<Path> out = new ArrayList<>();
    for (String glob : config.files()) {
      Path p = Path.of(glob);
      Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
      String pattern = p.getFileName().toString();
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, pattern)) {
        for (Path f : ds) {
          if (Files.isRegularFile(f)) {
            out.add(f);
          }
        }
      } catch (IOException e) {
        LOG.warn("file_sd: cannot list {}: {}", dir, e.getMessage());
      }
    }
    out.sort(null);
    return out;
  }

  /** Parses one file into groups. */
  static List<TargetGroup> read(Path f) throws IOException {
    String name = f.getFileName().toString();
    JsonNode root;
    if (name.endsWith(".json")) {
      root = JSON.readTree(f.toFile());
    } else if (name.endsWith(".yml") || name.endsWith(".yaml")) {
      root = YAML.readTree(f.toFile());
    } else {
      throw new IllegalArgumentException("unknown file type (use .json, .yml or .yaml)");
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return List.of();
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException("expected a list of target groups");
    }
    List<TargetGroup> out = new ArrayList<>();
    int i = 0;
    for (JsonNode g : root) {
      JsonNode targets = g.get("targets");
      if (targets == null || !targets.isArray()) {
        throw new IllegalArgumentException("group " + i + ": \"targets\" must be a list");
      }
      List<String> ts = new ArrayList<>();
      for (JsonNode t : targets) {
        ts.add(t.asText());
      }
      Map<String, String> labels = new LinkedHashMap<>();
      JsonNode l = g.get("labels");
      if (l != null && l.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> it = l.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          labels.put(e.getKey(), e.getValue().asText());
        }
      }
      labels.put("__meta_filepath", f.toString());
      out.add(new TargetGroup(List.copyOf(ts), Map.copyOf(labels), f + ":" + i));
      i++;
    }
    return out;
  }
}
