package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import dev.vigil.server.testing.HeadlessChromium;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The API page's latency charts in a real headless Chromium over a histogram written with a gap
 * and, for its last 20 minutes, 5% of observations above its highest finite bucket (60 s): the p99
 * line marks those points as "≥ 60 s (upper bucket bound)", and the heatmap has its rows in bucket
 * order (+Inf on top) and evenly spaced columns across the gap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuantileChartsBrowserTest {
  private static final String[] LE = {"0.1", "1", "60", "+Inf"};

  private Path work;
  private Vigil vigil;
  private ChromeDriver driver;

  @BeforeAll
  void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    work = Files.createTempDirectory("vigil-quantile-test");
    ServerConfig d = ServerConfig.defaults();
    VigilConfig config =
        VigilConfig.defaults()
            .withServer(
                new ServerConfig(
                    "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits()))
            .withStoragePath(work.resolve("data"))
            .withCollect(
                new CollectConfig(Duration.ofSeconds(15), false, false, false, false, "app_"));
    vigil = Vigil.start(config);
    writeHistogram(System.currentTimeMillis() / 15_000 * 15_000);

    driver = HeadlessChromium.start(work.resolve("chrome"), 1280, 1000);
  }

  /**
   * One hour ending at {@code end}, a scrape every 15 s of 100 requests: 90 under 0.1 s, 10 under 1
   * s, except in the last 20 minutes, when 5 of those 10 took more than 60 s; nothing from 40 to 30
   * minutes ago (a gap).
   */
  private void writeHistogram(long end) {
    Appender app = vigil.storage().appender();
    long[] counts = new long[LE.length];
    for (long t = end - 3_600_000; t <= end; t += 15_000) {
      boolean slow = t > end - 1_200_000;
      counts[0] += 90;
      counts[1] += slow ? 95 : 100;
      counts[2] += slow ? 95 : 100;
      counts[3] += 100;
      if (t > end - 2_400_000 && t <= end - 1_800_000) {
        continue;
      }
      for (int i = 0; i < LE.length; i++) {
        Labels l =
            Labels.of(
                "__name__", "app_api_request_duration_seconds_bucket",
                "job", "app",
                "instance", "a",
                "service", "chat",
                "le", LE[i]);
        app.append(0, l, t, counts[i]);
      }
    }
    app.commit();
  }

  @AfterAll
  void stop() throws Exception {
    if (driver != null) driver.quit();
    if (vigil != null) vigil.close();
    if (work != null) {
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private void openApiPage() {
    driver.get(vigil.url() + "/#page=api&range=1h");
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(
            d ->
                List.of("Latency percentiles", "Latency distribution").stream()
                    .allMatch(
                        title ->
                            d
                                .findElements(
                                    By.cssSelector("section.panel[aria-label='" + title + "']"))
                                .stream()
                                .anyMatch(p -> "ok".equals(p.getDomAttribute("data-state")))));
  }

  /** The ECharts option of the panel titled {@code title}, as JSON. */
  private JsonNode option(String title) throws Exception {
    Object r =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "import('/_static/echarts/6.0.0/dist/echarts.esm.min.js').then((e) => {"
                    + "  const body = document.querySelector("
                    + "    `section.panel[aria-label='${arguments[0]}'] .panel-body`);"
                    + "  const o = e.getInstanceByDom(body).getOption();"
                    + "  done(JSON.stringify({xAxis: o.xAxis, yAxis: o.yAxis, series: o.series}));"
                    + "}, (err) => done('import failed: ' + err));",
                title);
    return Json.MAPPER.readTree(String.valueOf(r));
  }

  @Test
  void heatmap_ordersBucketsByBoundWithInfOnTop_andSpacesColumnsEvenlyAcrossAGap()
      throws Exception {
    openApiPage();
    JsonNode o = option("Latency distribution");
    List<String> rows = new ArrayList<>();
    o.get("yAxis").get(0).get("data").forEach(n -> rows.add(n.asText()));
    // A category y axis draws its first entry at the bottom: +Inf is the top row.
    assertThat(rows).containsExactly(LE);
    List<Long> columns = new ArrayList<>();
    o.get("xAxis").get(0).get("data").forEach(n -> columns.add(n.asLong()));
    assertThat(columns).hasSizeGreaterThan(100);
    long step = columns.get(1) - columns.get(0);
    assertThat(step).isPositive();
    for (int i = 1; i < columns.size(); i++) {
      assertThat(columns.get(i) - columns.get(i - 1)).as("column %d", i).isEqualTo(step);
    }
    assertThat(columns.getLast() - columns.getFirst()).isBetween(3_600_000 - step, 3_600_000L);
  }

  @Test
  void p99AtTheHighestFiniteBucket_isMarkedAsOnlyABound_p50IsNot() throws Exception {
    openApiPage();
    var panel =
        driver.findElement(By.cssSelector("section.panel[aria-label='Latency percentiles']"));
    assertThat(Integer.parseInt(panel.getDomAttribute("data-bounded"))).isGreaterThan(10);
    assertThat(panel.findElement(By.cssSelector(".panel-footer")).getText())
        .contains("upper bucket bound (≥ 1 min");
    JsonNode series = option("Latency percentiles").get("series");
    List<String> markers = new ArrayList<>();
    int boundPoints = 0;
    int p50Bound = 0;
    for (JsonNode s : series) {
      String name = s.get("name").asText();
      if (s.get("type").asText().equals("scatter")) {
        markers.add(name);
        continue;
      }
      for (JsonNode point : s.get("data")) {
        if (point.isObject() && point.has("bound")) {
          assertThat(point.get("bound").asDouble()).isEqualTo(60);
          assertThat(point.get("value").get(1).asDouble()).isEqualTo(60);
          if (name.equals("p99")) boundPoints++;
          if (name.equals("p50")) p50Bound++;
        }
      }
    }
    assertThat(markers).contains("p99").doesNotContain("p50");
    assertThat(boundPoints).isGreaterThan(10);
    assertThat(p50Bound).isZero();
    // The tooltip of a marked point says what the value means.
    Object tip =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "import('/_static/echarts/6.0.0/dist/echarts.esm.min.js').then((e) => {"
                    + "  const body = document.querySelector("
                    + "    \"section.panel[aria-label='Latency percentiles'] .panel-body\");"
                    + "  const chart = e.getInstanceByDom(body);"
                    + "  const o = chart.getOption();"
                    + "  const i = o.series.findIndex((s) => s.name === 'p99' && s.type === 'line');"
                    + "  const j = o.series[i].data.findIndex((p) => p && p.bound !== undefined);"
                    + "  chart.dispatchAction({type: 'showTip', seriesIndex: i, dataIndex: j});"
                    + "  setTimeout(() => done(body.innerText), 0);"
                    + "});");
    assertThat(String.valueOf(tip)).contains("≥ 1 min (upper bucket bound)");
  }

  @Test
  void quantileBuckets_findsTheBucketArgument_pastParenthesesInStrings_andOnlyForAWholeCall()
      throws Exception {
    driver.get(vigil.url() + "/");
    Object r =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "import('/js/quantile-bounds.js').then((m) => done(JSON.stringify(["
                    + "  m.quantileBuckets('histogram_quantile(0.99, sum by (le) (rate({__name__=~\"(.+_)?(api|http)_x\"}[5m])))'),"
                    + "  m.quantileBuckets(' histogram_quantile ( 0.5 , b{q=\"a,)\"} ) '),"
                    + "  m.quantileBuckets('histogram_quantile(0.9, b) * 1000'),"
                    + "  m.quantileBuckets('sum(rate(x[5m]))'),"
                    + "  m.leBound('+Inf') === Infinity, m.leBound('0.25')"
                    + "])), (e) => done('import failed: ' + e));");
    JsonNode a = Json.MAPPER.readTree(String.valueOf(r));
    assertThat(a.get(0).asText())
        .isEqualTo("sum by (le) (rate({__name__=~\"(.+_)?(api|http)_x\"}[5m]))");
    assertThat(a.get(1).asText()).isEqualTo("b{q=\"a,)\"}");
    assertThat(a.get(2).isNull()).isTrue();
    assertThat(a.get(3).isNull()).isTrue();
    assertThat(a.get(4).asBoolean()).as("+Inf is Infinity (parseFloat says NaN)").isTrue();
    assertThat(a.get(5).asDouble()).isEqualTo(0.25);
  }
}
