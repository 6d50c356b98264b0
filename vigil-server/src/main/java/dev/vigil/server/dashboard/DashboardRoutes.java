package dev.vigil.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigNode;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The web dashboard: its static files at {@code /}, Apache ECharts from the classpath at {@code
 * /_static/echarts/…} (Maven artifact {@code org.mvnpm:echarts}), the dashboard's feature flags at
 * {@code /api/dashboard/config}, and the custom dashboards of a folder at {@code /api/dashboards}
 * (Vigil YAML and Grafana JSON files, each served as JSON).
 *
 * <pre>{@code
 * Routes dashboard = DashboardRoutes.builder().folder(Path.of("dashboards")).webSocket(true).build();
 * VigilHttpServer.start(config.server(), List.of(queryApi, dashboard));
 * }</pre>
 *
 * <p>The static files are public (the page must load to ask for a token); the dashboard list and
 * files need the read role, as the query API does.
 */
public final class DashboardRoutes implements Routes {
  /** Dashboard files larger than this are refused: they are read whole into memory. */
  static final long MAX_FILE_BYTES = 4L << 20;

  /** At most this many files are listed from the folder. */
  static final int MAX_FILES = 1000;

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}\\.(json|ya?ml)");
  private static final Pattern VENDOR = Pattern.compile("[a-z0-9._-]+(/[A-Za-z0-9._-]+)*\\.js");
  private static final Pattern PAGE_FILE =
      Pattern.compile("[a-z0-9_-]+(/[a-z0-9_-]+)*\\.(html|css|svg|js)");
  private static final Pattern PAGE = Pattern.compile("[a-z]{1,32}");
  private static final Pattern DURATION = Pattern.compile("off|[1-9][0-9]{0,4}(s|m|h)");

  private final Path folder;
  private final boolean webSocket;
  private final boolean widgets;
  private final boolean slos;
  private final Map<String, String> refresh;

  private DashboardRoutes(Builder b) {
    this.refresh = Map.copyOf(b.refresh);
    this.folder = b.folder;
    this.webSocket = b.webSocket;
    this.widgets = b.widgets;
    this.slos = b.slos;
  }

  /**
   * The routes for the {@code dashboard} section of {@code vigil.yml}:
   *
   * <pre>{@code
   * dashboard:
   *   folder: dashboards   # Vigil YAML and Grafana JSON files shown under "Dashboards"
   *   refresh:             # per page; defaults: overview 1m, performance pages 15s, live 5s
   *     overview: 30s
   * }</pre>
   *
   * @param section the section as written (an empty map when absent)
   * @param seedApi whether the seeds' API ({@code /api/metrics/dashboard}, {@code /ws}) is mounted
   * @throws ConfigException naming file and line for an unknown key or a folder that is not one
   */
  public static DashboardRoutes fromConfig(ConfigNode section, boolean seedApi) {
    // A Vigil always serves GET /api/v1/slos (SlosApi), so its SLO page reads the specs too.
    Builder b = builder().webSocket(seedApi).widgets(seedApi).slos(true);
    for (var e : section.entries().entrySet()) {
      ConfigNode v = e.getValue();
      switch (e.getKey()) {
        case "folder" -> {
          if (v.text() == null || v.text().isBlank()) {
            throw new ConfigException(v.where() + ": dashboard.folder: expected a folder path");
          }
          Path folder = Path.of(v.text());
          if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new ConfigException(
                v.where() + ": dashboard.folder: \"" + folder + "\" is not a folder");
          }
          b.folder(folder);
        }
        case "refresh" -> {
          for (var r : v.entries().entrySet()) {
            String page = r.getKey();
            String text = r.getValue().text();
            if (!PAGE.matcher(page).matches()) {
              throw new ConfigException(
                  r.getValue().where() + ": dashboard.refresh." + page + ": not a page name");
            }
            if (text == null || !DURATION.matcher(text).matches()) {
              throw new ConfigException(
                  r.getValue().where()
                      + ": dashboard.refresh."
                      + page
                      + ": expected a duration like 5s, 1m or off, got \""
                      + text
                      + "\"");
            }
            b.refresh.put(page, text);
          }
        }
        default ->
            throw new ConfigException(
                v.where() + ": dashboard." + e.getKey() + ": unknown key (known: folder, refresh)");
      }
    }
    return b.build();
  }

  /** A builder: no dashboard folder, no WebSocket, no seed widgets unless set. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void register(Router router) {
    // The page's own files, read from the class loader: Javalin's classpath static files would
    // mount the whole jar as a zip file system and keep its index (13,000 entries, ~2 MiB of heap).
    router.get("/", Role.PUBLIC, ctx -> page(ctx, "index.html"));
    router.get("/index.html", Role.PUBLIC, ctx -> page(ctx, "index.html"));
    router.get("/vigil.css", Role.PUBLIC, ctx -> page(ctx, "vigil.css"));
    router.get("/favicon.svg", Role.PUBLIC, ctx -> page(ctx, "favicon.svg"));
    router.get("/js/<path>", Role.PUBLIC, ctx -> page(ctx, "js/" + ctx.pathParam("path")));
    // DinoAir's built-in dashboard is at /monitoring; its users' bookmarks land on Vigil's.
    router.get("/monitoring", Role.PUBLIC, ctx -> ctx.redirect("/", HttpStatus.FOUND));
    router.get("/_static/<path>", Role.PUBLIC, DashboardRoutes::vendor);
    router.get("/api/dashboard/config", Role.PUBLIC, this::config);
    router.get("/api/dashboards", Role.READ, this::list);
    router.get("/api/dashboards/{name}", Role.READ, this::file);
  }

  /**
   * Serves a file of the dashboard ({@code /dashboard/...} on the classpath) with a weak ETag of
   * its content, answering 304 to a matching {@code If-None-Match}; {@code Cache-Control:
   * max-age=0} makes browsers revalidate, so a new build's files are seen at once. Large text files
   * are gzipped by the server's compression like every response.
   */
  private static void page(Context ctx, String path) throws IOException {
    if (!PAGE_FILE.matcher(path).matches()) {
      throw new ApiError(ApiError.Type.NOT_FOUND, "no such file: /" + path);
    }
    byte[] body;
    try (InputStream in = DashboardRoutes.class.getResourceAsStream("/dashboard/" + path)) {
      if (in == null) {
        throw new ApiError(ApiError.Type.NOT_FOUND, "no such file: /" + path);
      }
      body = in.readAllBytes();
    }
    CRC32C crc = new CRC32C();
    crc.update(body);
    String etag = "W/\"" + Long.toHexString(crc.getValue()) + "-" + body.length + "\"";
    ctx.header("Cache-Control", "max-age=0");
    ctx.header("ETag", etag);
    if (matches(ctx.header("If-None-Match"), etag)) {
      ctx.status(HttpStatus.NOT_MODIFIED);
      return;
    }
    String type =
        switch (path.substring(path.lastIndexOf('.') + 1)) {
          case "html" -> "text/html; charset=utf-8";
          case "css" -> "text/css; charset=utf-8";
          case "svg" -> "image/svg+xml";
          default -> "text/javascript; charset=utf-8";
        };
    ctx.contentType(type).result(body);
  }

  /** Whether an {@code If-None-Match} list names this ETag (weak comparison) or is {@code *}. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    String bare = etag.startsWith("W/") ? etag.substring(2) : etag;
    for (String t : ifNoneMatch.split(",")) {
      String v = t.strip();
      if (v.equals("*") || (v.startsWith("W/") ? v.substring(2) : v).equals(bare)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Serves a script of a web jar ({@code META-INF/resources/_static/...}). Javalin's classpath
   * static files cannot serve them: the jar has no directory entries.
   */
  private static void vendor(Context ctx) throws IOException {
    String path = ctx.pathParam("path");
    if (!VENDOR.matcher(path).matches() || path.contains("..")) {
      throw new ApiError(ApiError.Type.NOT_FOUND, "no such file: /_static/" + path);
    }
    try (InputStream in =
        DashboardRoutes.class.getResourceAsStream("/META-INF/resources/_static/" + path)) {
      if (in == null) {
        throw new ApiError(ApiError.Type.NOT_FOUND, "no such file: /_static/" + path);
      }
      ctx.header("Cache-Control", "public, max-age=86400");
      ctx.contentType("text/javascript; charset=utf-8").result(in.readAllBytes());
    }
  }

  private void config(Context ctx) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("ws", webSocket);
    n.put("widgets", widgets);
    n.put("dashboards", folder != null);
    n.put("slos", slos);
    ObjectNode r = n.putObject("refresh");
    refresh.forEach(r::put);
    ctx.contentType("application/json").result(n.toString());
  }

  private void list(Context ctx) throws IOException {
    List<JsonNode> files = new ArrayList<>();
    if (folder != null && Files.isDirectory(folder)) {
      try (Stream<Path> s = Files.list(folder)) {
        for (Path p : s.sorted().limit(MAX_FILES).toList()) {
          String name = p.getFileName().toString();
          if (!NAME.matcher(name).matches() || !Files.isRegularFile(p)) {
            continue;
          }
          ObjectNode f = Json.MAPPER.createObjectNode();
          f.put("name", name);
          try {
            JsonNode doc = read(p);
            JsonNode d = doc.has("dashboard") ? doc.get("dashboard") : doc;
            if (d.hasNonNull("title")) {
              f.put("title", d.get("title").asText());
            }
          } catch (ApiError e) {
            f.put("error", e.getMessage());
          }
          files.add(f);
        }
      }
    }
    ArrayNode data = Json.MAPPER.createArrayNode().addAll(files);
    Json.successObject(ctx, data);
  }

  private void file(Context ctx) {
    String name = ctx.pathParam("name");
    if (!NAME.matcher(name).matches()) {
      throw ApiError.badData(
          "invalid dashboard file name \""
              + name
              + "\": expected a .json, .yml or .yaml file name");
    }
    Path p = folder == null ? null : folder.resolve(name);
    if (p == null || !Files.isRegularFile(p)) {
      throw new ApiError(ApiError.Type.NOT_FOUND, "no dashboard file \"" + name + "\"");
    }
    ctx.contentType("application/json").result(read(p).toString());
  }

  private static JsonNode read(Path p) {
    String name = p.getFileName().toString();
    try {
      long size = Files.size(p);
      if (size > MAX_FILE_BYTES) {
        throw ApiError.badData(
            name + ": " + size + " bytes is larger than the limit of " + MAX_FILE_BYTES + " bytes");
      }
      ObjectMapper m = name.endsWith(".json") ? Json.MAPPER : Yaml.MAPPER;
      JsonNode doc = m.readTree(p.toFile());
      if (doc == null || !doc.isObject()) {
        throw ApiError.badData(name + ": a dashboard file must hold an object");
      }
      return doc;
    } catch (IOException e) {
      throw ApiError.badData(name + ": " + e.getMessage());
    }
  }

  /** Builds {@link DashboardRoutes}. */
  public static final class Builder {
    private Path folder;
    private boolean webSocket;
    private boolean widgets;
    private boolean slos;
    private final Map<String, String> refresh = new LinkedHashMap<>();

    private Builder() {}

    /** The refresh interval of one page ("overview", "resources", …): "15s", "1m" or "off". */
    public Builder refresh(String page, String interval) {
      refresh.put(page, interval);
      return this;
    }

    /** The folder of custom dashboard files ({@code dashboard.folder}); null for none. */
    public Builder folder(Path folder) {
      this.folder = folder;
      return this;
    }

    /** Whether the server offers the {@code /ws} WebSocket for live updates. */
    public Builder webSocket(boolean on) {
      this.webSocket = on;
      return this;
    }

    /** Whether the server offers the seeds' {@code /api/metrics/dashboard} widgets. */
    public Builder widgets(boolean on) {
      this.widgets = on;
      return this;
    }

    /**
     * Whether the server serves {@code GET /api/v1/slos} (the SLO page asks it only then; without
     * it the page reads the SLO rules' series alone).
     */
    public Builder slos(boolean on) {
      this.slos = on;
      return this;
    }

    /** The routes. */
    public DashboardRoutes build() {
      return new DashboardRoutes(this);
    }
  }

  /** The YAML reader, created on first use: a server without a dashboard folder loads none. */
  private static final class Yaml {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
  }
}
