package dev.vigil.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reports a server or the CLI knows: the built-in definitions (system_performance,
 * weekly_summary, cost, quality_trends) and the {@code *.yml} / {@code *.yaml} files directly in
 * {@code reports.folder} (a file may replace a built-in by using its name).
 *
 * <p>Lookups are by name only ({@link ReportDefinition#NAME}), never by path: a name is matched
 * against the folder's listing, and a file whose real path leaves the folder (a symbolic link) is
 * refused. The folder is re-read when a file in it was added, removed or changed since the last
 * look (a listing of names, sizes and times per lookup), so an edited definition applies on the
 * next request; a broken file answers its own name with its error and leaves the others working.
 *
 * <p>Thread-safe.
 */
public final class ReportLibrary {
  /** The built-in reports, in the order they are listed. */
  public static final List<String> BUILTIN =
      List.of("system_performance", "weekly_summary", "cost", "quality_trends");

  private final Path folder;

  /**
   * The built-in definitions parsed so far: on first use, so a server that runs none parses none.
   */
  private final Map<String, ReportDefinition> builtin = new ConcurrentHashMap<>();

  private Map<String, Object> stamp = Map.of();
  private Map<String, Object> loaded = Map.of();

  private ReportLibrary(Path folder) {
    this.folder = folder;
  }

  /** The built-in reports and those of {@code folder} (null: built-in only). */
  public static ReportLibrary of(Path folder) {
    ReportLibrary l = new ReportLibrary(folder);
    if (folder != null) {
      l.refresh();
    }
    return l;
  }

  /** Every definition in the folder is valid: the first error (file, line, key) otherwise. */
  public void check() {
    for (Object v : current().values()) {
      if (v instanceof ReportException e) {
        throw e;
      }
    }
  }

  /** The names of every report: built-in first, then the folder's, sorted. */
  public List<String> names() {
    List<String> out = new ArrayList<>(BUILTIN);
    for (String n : current().keySet()) {
      if (!out.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * The definition named {@code name}.
   *
   * @throws ReportException for a name that is not a report name, an unknown report, or a file with
   *     errors
   */
  public ReportDefinition get(String name) {
    if (name == null || !ReportDefinition.NAME.matcher(name).matches()) {
      throw new ReportException(
          "invalid report name \""
              + name
              + "\": letters, digits, _ and - only (a name, not a path); one of "
              + String.join(", ", names()));
    }
    Object v = current().get(name);
    if (v instanceof ReportException e) {
      throw new ReportException(e.getMessage(), e);
    }
    if (v instanceof ReportDefinition d) {
      return d;
    }
    ReportDefinition d =
        BUILTIN.contains(name) ? builtin.computeIfAbsent(name, n -> builtin(n)) : null;
    if (d == null) {
      throw new ReportException(
          "unknown report type \"" + name + "\": one of " + String.join(", ", names()));
    }
    return d;
  }

  private synchronized Map<String, Object> current() {
    if (folder != null) {
      refresh();
    }
    return loaded;
  }

  private synchronized void refresh() {
    Map<String, Object> now = new TreeMap<>();
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(folder)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "*.{yml,yaml}")) {
        for (Path p : ds) {
          files.add(p);
          now.put(
              p.getFileName().toString(),
              Files.getLastModifiedTime(p).toMillis() + ":" + Files.size(p));
        }
      } catch (IOException e) {
        now.put("", e.toString());
      }
    }
    if (now.equals(stamp)) {
      return;
    }
    Map<String, Object> defs = new TreeMap<>();
    for (Path p : files) {
      String file = p.getFileName().toString();
      String base = file.substring(0, file.lastIndexOf('.'));
      Object def;
      try {
        Path real = p.toRealPath();
        if (!real.startsWith(folder.toRealPath())) {
          throw new ReportException(p + ": refused: the file is outside reports.folder (a link?)");
        }
        String text = Files.readString(real, StandardCharsets.UTF_8);
        def = ReportDefinition.parse(p.toString(), text, base);
      } catch (ReportException e) {
        def = e;
      } catch (IOException | RuntimeException e) {
        def = new ReportException(p + ": cannot read: " + e.getMessage(), e);
      }
      String name = def instanceof ReportDefinition d ? d.name() : base;
      Object prev = defs.put(name, def);
      if (prev != null) {
        defs.put(
            name, new ReportException(p + ": report \"" + name + "\" is defined by two files"));
      }
    }
    loaded = defs;
    stamp = now;
  }

  private static ReportDefinition builtin(String name) {
    String res = "builtin/" + name + ".yml";
    try (InputStream in = ReportLibrary.class.getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalStateException("built-in report " + res + " missing from the JAR");
      }
      return ReportDefinition.parse(
          "builtin:" + name + ".yml", new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
