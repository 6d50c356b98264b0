package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.demo.DemoApplications;
import dev.vigil.server.testing.HeadlessChromium;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Grafana dashboards under {@code grafana/dashboards} (docs/grafana.md) against a Vigil in demo
 * mode with an hour of backfilled history (as {@code vigil serve --demo --demo-backfill 1h}) and a
 * remote write queue to a local receiver: every query of every file (panels and template variables)
 * parses and returns data, and every file renders in Vigil's own dashboard in the real headless
 * Chromium with every panel drawing data. Also DinoAir's dashboard path {@code /monitoring}.
 *
 * <p>The Vigil runs what the dashboard's later pages chart, so their Grafana counterparts have data
 * too: browser vitals on (the demo's simulated browsers post beacons), the demo's agents' work on
 * thread groups, and a {@code query.remote} backend in merge mode (a local stub answering
 * Prometheus' API with no series, so every answer is the local store's).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaDashboardsBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern LABEL_VALUES =
      Pattern.compile(
          "label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_]\\w*)\\s*\\)");

  private final Path boards =
      Path.of(System.getProperty("vigil.root", ".")).resolve("grafana/dashboards");
  private Path work;
  private HttpServer receiver;
  private HttpServer backend;
  private Vigil vigil;
  private DemoApplications demo;
  private ChromeDriver driver;
  private int loads;

  @BeforeAll
  void start() throws Exception {
    work = Files.createTempDirectory("vigil-grafana-test");
    // A remote write receiver that takes everything, so the remote write panels have a queue.
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/api/v1/write",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    // A query.remote backend that holds no series: merge mode answers from the local store, and
    // the remote query panels have requests to chart.
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext(
        "/api/v1/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          byte[] body =
              (ex.getRequestURI().getPath().equals("/api/v1/query")
                      ? "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"
                      : "{\"status\":\"success\",\"data\":[]}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          try (var out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    backend.start();
    String yaml =
        """
        collect:
          interval: 1s
          system: true
          jvm: false
          gpu: false
          self: true
        remote_write:
          - url: http://127.0.0.1:%d/api/v1/write
        query:
          remote:
            url: http://127.0.0.1:%d
            mode: merge
        browser_vitals:
          enabled: true
        dashboard:
          folder: %s
        """
            .formatted(
                receiver.getAddress().getPort(),
                backend.getAddress().getPort(),
                boards.toAbsolutePath());
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    VigilConfig config =
        ConfigLoader.parse("grafana-test.yml", yaml, Map.of())
            .withServer(sc)
            .withStoragePath(work.resolve("data"));
    vigil = Vigil.start(config);
    // What `vigil serve --demo --demo-backfill 1h` does (vigil-cli's DemoMode).
    demo = new DemoApplications(vigil.recorders(), vigil.registry(), 42, System::currentTimeMillis);
    demo.backfill(vigil.storage(), 1, Vigil.SELF_JOB, "demo-backfill");
    demo.agentResources(vigil.threadGroups());
    assertThat(demo.browsers(vigil.config(), vigil.url())).isTrue();
    demo.start();
    vigil
        .scrapes()
        .addLocal(
            "demo",
            "127.0.0.1:" + vigil.port(),
            vigil.config().collect().interval(),
            demo::extraExposition);
  }

  @AfterAll
  void stop() throws Exception {
    if (driver != null) driver.quit();
    if (demo != null) demo.close();
    if (vigil != null) vigil.close();
    if (receiver != null) receiver.stop(0);
    if (backend != null) backend.stop(0);
    if (work != null) {
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  void everyFile_isAGrafanaDashboardWithADataSourceVariable() throws Exception {
    List<Path> files = files();
    assertThat(files).hasSizeGreaterThanOrEqualTo(14);
    for (Path f : files) {
      JsonNode d = JSON.readTree(f.toFile());
      assertThat(d.get("schemaVersion").asInt()).as(f.toString()).isGreaterThanOrEqualTo(36);
      assertThat(d.get("uid").asText()).as(f.toString()).isNotBlank();
      assertThat(d.get("templating").get("list").findValuesAsText("name"))
          .as(f.toString())
          .contains("DS_PROMETHEUS");
      for (JsonNode p : d.get("panels")) {
        if (p.get("type").asText().equals("row")) continue;
        assertThat(p.get("datasource").get("uid").asText())
            .as("%s: %s", f, p.get("title"))
            .isEqualTo("${DS_PROMETHEUS}");
        assertThat(p.get("targets")).as("%s: %s", f, p.get("title")).isNotEmpty();
      }
    }
  }

  @Test
  void dashboardPagesAddedLater_haveGrafanaCounterparts() throws Exception {
    // Each page of Vigil's dashboard (app.js PAGES, docs/dashboard.md) by a family its Grafana
    // counterpart must chart; the queries' data and rendering are checked by the tests below.
    Map<String, List<String>> pages = new LinkedHashMap<>();
    pages.put("vigil-quality.json", List.of("app_quality_thinking_steps", "quality_findings"));
    pages.put("vigil-browser.json", List.of("vigil_browser_lcp_seconds", "vigil_browser_mark"));
    pages.put("vigil-health.json", List.of("app_incidents_open", "incident_recovery_duration"));
    pages.put("vigil-errors.json", List.of("app_error_samples", "error_samples_evicted"));
    pages.put("vigil-users.json", List.of("app_session_duration_seconds_bucket", "agent_family"));
    pages.put(
        "vigil-agents.json",
        List.of("vigil_thread_group_cpu_seconds_total", "vigil_thread_group_allocated_bytes"));
    pages.put(
        "vigil-self.json", List.of("vigil_remote_query_requests_total", "remote_storage_shards"));
    for (var e : pages.entrySet()) {
      JsonNode d = JSON.readTree(boards.resolve(e.getKey()).toFile());
      List<String> exprs = d.get("panels").findValuesAsText("expr");
      for (String family : e.getValue()) {
        assertThat(exprs).as("%s charts %s", e.getKey(), family).anyMatch(x -> x.contains(family));
      }
    }
  }

  @Test
  void provisioningFiles_nameVigilAsAPrometheusDataSource_andTheDashboardsFolder()
      throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Path provisioning = boards.getParent().resolve("provisioning");
    JsonNode ds = yaml.readTree(provisioning.resolve("datasources/vigil.yml").toFile());
    assertThat(ds.get("apiVersion").asInt()).isEqualTo(1);
    JsonNode source = ds.get("datasources").get(0);
    assertThat(source.get("type").asText()).isEqualTo("prometheus");
    assertThat(source.get("url").asText()).isEqualTo("http://localhost:9470");
    assertThat(source.get("isDefault").asBoolean()).isTrue();
    JsonNode db = yaml.readTree(provisioning.resolve("dashboards/vigil.yml").toFile());
    JsonNode provider = db.get("providers").get(0);
    assertThat(provider.get("type").asText()).isEqualTo("file");
    // docs/grafana.md copies the JSON files to this path.
    assertThat(provider.get("options").get("path").asText())
        .isEqualTo("/var/lib/grafana/dashboards/vigil");
    assertThat(
            Files.readString(
                Path.of(System.getProperty("vigil.root", ".")).resolve("docs/grafana.md")))
        .contains("/var/lib/grafana/dashboards/vigil/");
  }

  @Test
  void everyQuery_parsesAndReturnsData_inDemoMode() throws Exception {
    awaitEveryQueryReturnsData();
  }

  /** Polls (bounded) until every query of every file returns data, then asserts it does. */
  private void awaitEveryQueryReturnsData() throws Exception {
    List<String> failing = new ArrayList<>();
    // Bounded polling: the remote write queue and the live counters need a few scrapes first.
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    do {
      failing.clear();
      for (Path f : files()) {
        JsonNode d = JSON.readTree(f.toFile());
        Map<String, String> vars = new LinkedHashMap<>();
        for (JsonNode v : d.get("templating").get("list")) {
          if (!v.get("type").asText().equals("query")) continue;
          String q = v.get("definition").asText();
          Matcher m = LABEL_VALUES.matcher(q);
          assertThat(m.matches()).as("%s: variable %s: %s", f, v.get("name"), q).isTrue();
          JsonNode values =
              get(
                  "/api/v1/label/"
                      + m.group(2)
                      + "/values?match[]="
                      + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8));
          if (values.get("data").isEmpty()) {
            failing.add(f.getFileName() + ": variable " + v.get("name").asText() + ": no values");
          }
          List<String> all = new ArrayList<>();
          values.get("data").forEach(x -> all.add(x.asText()));
          vars.put(v.get("name").asText(), "(" + String.join("|", all) + ")");
        }
        for (JsonNode p : d.get("panels")) {
          for (JsonNode t : p.path("targets")) {
            String expr = t.get("expr").asText().replace("$__rate_interval", "1m");
            for (var e : vars.entrySet()) expr = expr.replace("$" + e.getKey(), e.getValue());
            HttpResponse<String> r =
                HTTP.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                vigil.url()
                                    + "/api/v1/query?query="
                                    + URLEncoder.encode(expr, StandardCharsets.UTF_8)))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              failing.add(f.getFileName() + ": " + p.get("title") + ": " + r.body());
            } else if (JSON.readTree(r.body()).get("data").get("result").isEmpty()) {
              failing.add(f.getFileName() + ": " + p.get("title") + ": no data: " + expr);
            }
          }
        }
      }
      if (failing.isEmpty()) break;
      Thread.sleep(500); // polls a running server's collection, no latch to wait on
    } while (System.nanoTime() < deadline);
    assertThat(failing).isEmpty();
  }

  @Test
  void everyFile_rendersInVigilsDashboard_withEveryPanelDrawingData() throws Exception {
    HeadlessChromium.assumeInstalled();
    driver =
        HeadlessChromium.start(
            work.resolve("chrome"),
            1280,
            6000); // every panel in view: off-screen panels wait (idle)
    Path shots = Files.createDirectories(Path.of("target", "screenshots"));
    // Render once every query has data: live-only series (the demo's gauges, the remote write
    // queue's) appear after the first scrapes, which an idle machine reaches after the render.
    awaitEveryQueryReturnsData();
    for (Path f : files()) {
      String name = f.getFileName().toString();
      JsonNode d = JSON.readTree(f.toFile());
      List<String> titles = new ArrayList<>();
      for (JsonNode p : d.get("panels")) {
        if (!p.get("type").asText().equals("row")) titles.add(p.get("title").asText());
      }
      driver.get(vigil.url() + "/?load=" + (++loads) + "#page=dashboards&range=1h&d=" + name);
      List<WebElement> panels =
          new WebDriverWait(driver, Duration.ofSeconds(60))
              .until(
                  dr -> {
                    List<WebElement> ps = dr.findElements(By.cssSelector("section.panel"));
                    boolean settled =
                        !ps.isEmpty()
                            && ps.stream()
                                .noneMatch(
                                    p ->
                                        List.of("loading", "idle")
                                            .contains(p.getDomAttribute("data-state")));
                    return settled ? ps : null;
                  });
      Files.write(
          shots.resolve("grafana-" + name + ".png"),
          ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      Map<String, String> states =
          panels.stream()
              .collect(
                  Collectors.toMap(
                      p -> p.getDomAttribute("aria-label"),
                      p -> p.getDomAttribute("data-state") + "/" + p.getDomAttribute("data-series"),
                      (a, b) -> a + ", " + b,
                      LinkedHashMap::new));
      assertThat(panels).as("%s: panels %s", name, states.keySet()).hasSameSizeAs(titles);
      assertThat(states.values())
          .as("%s: panel states %s", name, states)
          .allMatch(s -> s.startsWith("ok/") && !s.equals("ok/0"));
      assertThat(js("return document.title")).isNotNull();
    }
  }

  @Test
  void dinoAirsDashboardPath_monitoring_redirectsToTheDashboard() throws Exception {
    HttpResponse<String> r =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(vigil.url() + "/monitoring")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValue("/");
    HttpResponse<String> followed =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(vigil.url() + "/monitoring")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(followed.statusCode()).isEqualTo(200);
    assertThat(followed.body()).contains("<script type=\"module\"");
  }

  private List<Path> files() throws Exception {
    try (Stream<Path> s = Files.list(boards)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private JsonNode get(String pathAndQuery) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(vigil.url() + pathAndQuery)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s: %s", pathAndQuery, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private JsonNode query(String q) throws Exception {
    return get("/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8))
        .get("data")
        .get("result");
  }
}
