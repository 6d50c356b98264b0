package dev.vigil.server.vitals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code POST /api/v1/vitals} and {@code GET /vitals.js} over real HTTP against a running Vigil
 * that stores its own registry every second: what is accepted is queryable by value, everything
 * else is refused with a status and a message naming the problem, and nothing of it is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VitalsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String SHOP = "https://shop.example";

  private Path work;
  private Vigil vigil;

  @BeforeAll
  void start() throws Exception {
    work = Files.createTempDirectory("vigil-vitals-test");
    vigil =
        start(
            "vitals",
            """
            browser_vitals:
              enabled: true
              allowed_origins: [%s]
              max_pages: 4
              max_marks: 1
              rate_limit: 1
              rate_burst: 1000
              max_body_size: 1KB
            """
                .formatted(SHOP));
  }

  private Vigil start(String name, String vitals) throws Exception {
    String yaml =
        """
        collect:
          interval: 1s
          system: false
          jvm: false
          gpu: false
          self: true
        """
            + vitals;
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    VigilConfig config =
        ConfigLoader.parse(name + ".yml", yaml, Map.of())
            .withServer(sc)
            .withStoragePath(work.resolve(name));
    return Vigil.start(config);
  }

  @AfterAll
  void stop() throws Exception {
    if (vigil != null) vigil.close();
    if (work != null) {
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  void goodBeacon_isStoredByValue_underItsPageTemplate() throws Exception {
    HttpResponse<String> r =
        post(
            vigil,
            """
            {"page": "/checkout/12345?step=2",
             "vitals": {"lcp": 1.234, "ttfb": 0.25, "cls": 0.05, "inp": 0.125},
             "resources": {"script": [0.5, 0.25]},
             "marks": {"cart_ready": 0.75}}
            """,
            SHOP);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);

    assertThat(waitForValue("vigil_browser_lcp_seconds_sum{page=\"/checkout/:id\"}"))
        .isEqualTo(1.234);
    assertThat(waitForValue("vigil_browser_lcp_seconds_count{page=\"/checkout/:id\"}"))
        .isEqualTo(1);
    assertThat(waitForValue("vigil_browser_ttfb_seconds_sum{page=\"/checkout/:id\"}"))
        .isEqualTo(0.25);
    assertThat(waitForValue("vigil_browser_cls_sum{page=\"/checkout/:id\"}")).isEqualTo(0.05);
    assertThat(waitForValue("vigil_browser_inp_seconds_sum{page=\"/checkout/:id\"}"))
        .isEqualTo(0.125);
    assertThat(
            waitForValue(
                "vigil_browser_resource_duration_seconds_sum{page=\"/checkout/:id\",kind=\"script\"}"))
        .isEqualTo(0.75);
    assertThat(
            waitForValue(
                "vigil_browser_mark_seconds_sum{page=\"/checkout/:id\",mark=\"cart_ready\"}"))
        .isEqualTo(0.75);
    // The LCP landed in the bucket that ends at 1.5 s, not below.
    Map<Double, Double> buckets = new java.util.HashMap<>();
    for (JsonNode b : query("vigil_browser_lcp_seconds_bucket{page=\"/checkout/:id\"}")) {
      String le = b.get("metric").get("le").asText();
      buckets.put(
          le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
          b.get("value").get(1).asDouble());
    }
    assertThat(buckets).containsEntry(1.0, 0.0).containsEntry(1.5, 1.0);
  }

  @Test
  void oversizedBeacon_is413_namingTheLimit() throws Exception {
    String big =
        "{\"page\": \"/\", \"vitals\": {\"lcp\": 1}, \"pad\": \"" + "x".repeat(2000) + "\"}";
    HttpResponse<String> r = post(vigil, big, null);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(error(r)).contains("1024 bytes", "browser_vitals.max_body_size");
    // Chunked, without a Content-Length: refused once the limit is read past.
    HttpResponse<String> chunked =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(vigil.url() + "/api/v1/vitals"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () ->
                            new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(error(chunked)).contains("browser_vitals.max_body_size");
  }

  @Test
  void malformedBeacons_are400_namingTheProblem() throws Exception {
    assertRefused("{\"page\": \"/\", \"vitals\": {\"lcp\": 1", "not valid JSON");
    assertRefused("[1, 2]", "must be a JSON object");
    assertRefused("{\"vitals\": {\"lcp\": 1}}", "page: missing");
    assertRefused("{\"page\": \"https://x/\", \"vitals\": {\"lcp\": 1}}", "page: must be a path");
    assertRefused(
        "{\"page\": \"/\", \"vitals\": {\"lcp\": \"fast\"}}", "vitals.lcp: expected a number");
    assertRefused("{\"page\": \"/\", \"vitals\": {\"lcp\": -1}}", "vitals.lcp: -1 is out of range");
    assertRefused("{\"page\": \"/\", \"vitals\": {\"cls\": 1e9}}", "vitals.cls");
    assertRefused("{\"page\": \"/\", \"vitals\": {\"lcp\": 1, \"lcp\": 2}}", "Duplicate field");
    assertRefused("{\"page\": \"/\", \"resources\": {\"video\": [1]}}", "unknown kind \"video\"");
    assertRefused("{\"page\": \"/\", \"marks\": {\"Not A Name\": 1}}", "marks: name");
    assertRefused("{\"page\": \"/\"}", "carries no vitals");
    assertRefused("", "empty body");
  }

  @Test
  void unknownMetric_is400_listingTheKnownOnes() throws Exception {
    assertRefused(
        "{\"page\": \"/\", \"vitals\": {\"lcp\": 1, \"memory_used\": 42}}",
        "unknown metric \"memory_used\"",
        "known: lcp, fcp, ttfb, inp, fid, cls");
  }

  @Test
  void arbitraryLabels_areRefused_andNothingOfTheBeaconIsStored() throws Exception {
    assertRefused(
        "{\"page\": \"/labels-test\", \"vitals\": {\"fcp\": 7}, \"labels\": {\"user\": \"alice\"}}",
        "unknown field \"labels\"",
        "never by the client");
    assertRefused(
        "{\"page\": \"/labels-test\", \"vitals\": {\"fcp\": 7}, \"user_id\": \"42\"}",
        "unknown field \"user_id\"");
    // A good beacon afterwards is stored; the refused ones' value 7 never is.
    assertThat(post(vigil, "{\"page\": \"/\", \"vitals\": {\"fcp\": 0.5}}", null).statusCode())
        .isEqualTo(204);
    waitForValue("vigil_browser_fcp_seconds_count{page=\"/\"}");
    assertThat(query("vigil_browser_fcp_seconds_sum >= 7")).isEmpty();
    assertThat(query("{__name__=~\"vigil_browser_.*\", user=~\".+\"}")).isEmpty();
    assertThat(query("{__name__=~\"vigil_browser_.*\", user_id=~\".+\"}")).isEmpty();
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: it uses up the page and mark names the others need
  void tooManyPages_collapseIntoOther_andMarksBeyondTheLimitToo() throws Exception {
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r =
          post(
              vigil,
              "{\"page\": \"/many/p"
                  + i
                  + "\", \"vitals\": {\"fid\": 0.01},"
                  + " \"marks\": {\"m"
                  + i
                  + "\": 0.1}}",
              null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }
    waitForValue("sum(vigil_browser_fid_seconds_count) == 6");
    Set<String> pages = new HashSet<>();
    for (JsonNode s : query("vigil_browser_fid_seconds_count > 0")) {
      pages.add(s.get("metric").get("page").asText());
    }
    // max_pages: 4 over all pages any test sent: at most 4 names, and "other" for the rest.
    assertThat(pages).contains("other").hasSizeLessThanOrEqualTo(5);
    assertThat(query("count(count by (page) ({__name__=~\"vigil_browser_.*_count\"}))"))
        .first()
        .satisfies(s -> assertThat(s.get("value").get(1).asDouble()).isLessThanOrEqualTo(5));
    Set<String> marks = new HashSet<>();
    for (JsonNode s : query("vigil_browser_mark_seconds_count > 0")) {
      marks.add(s.get("metric").get("mark").asText());
    }
    assertThat(marks).contains("other").hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void anotherSitesOrigin_is403_andTheBeaconIsNotStored() throws Exception {
    HttpResponse<String> r =
        post(vigil, "{\"page\": \"/evil\", \"vitals\": {\"load\": 9}}", "https://evil.example");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r)).contains("https://evil.example", "browser_vitals.allowed_origins");
    // Vigil's own origin (its dashboard) is always allowed.
    HttpResponse<String> own =
        post(vigil, "{\"page\": \"/\", \"vitals\": {\"load\": 0.5}}", vigil.url());
    assertThat(own.statusCode()).as(own.body()).isEqualTo(204);
    waitForValue("vigil_browser_load_seconds_count{page=\"/\"}");
    assertThat(query("vigil_browser_load_seconds_sum >= 9")).isEmpty();
  }

  @Test
  void rateLimit_perClientAddress_is429_withRetryAfter() throws Exception {
    Vigil limited =
        start(
            "limited",
            """
            browser_vitals:
              enabled: true
              rate_limit: 1
              rate_burst: 2
            """);
    try {
      String beacon = "{\"page\": \"/\", \"vitals\": {\"ttfb\": 0.1}}";
      assertThat(post(limited, beacon, null).statusCode()).isEqualTo(204);
      assertThat(post(limited, beacon, null).statusCode()).isEqualTo(204);
      HttpResponse<String> third = post(limited, beacon, null);
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.headers().firstValue("Retry-After")).isPresent();
      assertThat(Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow()))
          .isBetween(1L, 60L);
      assertThat(error(third)).contains("too many beacons", "browser_vitals.rate_limit");
    } finally {
      limited.close();
    }
  }

  @Test
  void byDefault_theEndpointIsOff_andTheSnippetIsANoOp() throws Exception {
    Vigil off = start("off", "");
    try {
      HttpResponse<String> r = post(off, "{\"page\": \"/\", \"vitals\": {\"lcp\": 1}}", null);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(error(r)).contains("browser_vitals.enabled: true");
      HttpResponse<String> js = get(off, "/vitals.js");
      assertThat(js.statusCode()).isEqualTo(200);
      assertThat(js.body()).contains("are off on this server").doesNotContain("sendBeacon");
    } finally {
      off.close();
    }
    HttpResponse<String> js = get(vigil, "/vitals.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/javascript");
    assertThat(js.body()).contains("PerformanceObserver", "sendBeacon", "/api/v1/vitals");
  }

  @Test
  void badConfiguration_isRefusedWithTheKey() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "v.yml", "browser_vitals:\n  allowed_origins: [shop.example/x]\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("v.yml:2")
        .hasMessageContaining("browser_vitals.allowed_origins")
        .hasMessageContaining("is not an origin");
    assertThatThrownBy(
            () -> ConfigLoader.parse("v.yml", "browser_vitals:\n  pages: [orders]\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("browser_vitals.pages")
        .hasMessageContaining("not a route pattern");
    assertThatThrownBy(
            () -> ConfigLoader.parse("v.yml", "browser_vitals:\n  rate_limit: 0\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("browser_vitals.rate_limit");
    assertThatThrownBy(
            () -> ConfigLoader.parse("v.yml", "browser_vitals:\n  labels: {a: b}\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("browser_vitals.labels: unknown key");
  }

  @Test
  void environment_turnsItOn_withOrigins() {
    VigilConfig c =
        ConfigLoader.parse(
            "v.yml",
            "",
            Map.of(
                "VIGIL_BROWSER_VITALS_ENABLED", "true",
                "VIGIL_BROWSER_VITALS_ALLOWED_ORIGINS",
                    "https://a.example, http://b.example:8080"));
    dev.vigil.server.config.BrowserVitalsConfig b =
        dev.vigil.server.config.BrowserVitalsConfig.of(c);
    assertThat(b.enabled()).isTrue();
    assertThat(b.allowedOrigins()).containsExactly("https://a.example", "http://b.example:8080");
  }

  // ---- helpers ----

  private void assertRefused(String body, String... messageParts) throws Exception {
    HttpResponse<String> r = post(vigil, body, null);
    assertThat(r.statusCode()).as("%s -> %s", body, r.body()).isEqualTo(400);
    assertThat(error(r)).contains("invalid beacon").contains(messageParts);
    assertThat(r.body()).doesNotContain("Exception", "\tat ");
  }

  private static HttpResponse<String> post(Vigil v, String body, String origin) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(v.url() + "/api/v1/vitals"))
            .header("Content-Type", "text/plain;charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (origin != null) b.header("Origin", origin);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(Vigil v, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(v.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String error(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).path("error").asText();
  }

  private JsonNode query(String q) throws Exception {
    HttpResponse<String> r =
        get(vigil, "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("data").get("result");
  }

  /** The value of the query's single series, once the self-scrape (every 1 s) has stored it. */
  private double waitForValue(String q) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode r = query(q);
      if (r.size() == 1) return r.get(0).get("value").get(1).asDouble();
      Thread.sleep(200); // polls a running server's self-scrape: there is no latch to wait on
    }
    throw new AssertionError("no single series for " + q + " after 60 s: " + query(q));
  }
}
