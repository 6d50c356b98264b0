package dev.vigil.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Labels;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max_source_resolution} on {@code /api/v1/query_range} and {@code /api/v1/query} through a
 * real HTTP client against a running Vigil whose store holds 44 h of samples already cut into
 * blocks with 5 m / 1 h rollups.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollupQueryTest {
  static final long HOUR = 3_600_000L;
  static final long SCRAPE = 30_000L;
  Vigil vigil;
  final HttpClient client = HttpClient.newHttpClient();
  long base;

  @BeforeAll
  void start(@TempDir Path tmp) {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    vigil =
        Vigil.start(
            VigilConfig.defaults()
                .withServer(sc)
                .withStoragePath(tmp.resolve("data"))
                .withCollect(
                    new CollectConfig(Duration.ofSeconds(1), false, false, false, false, "app_")));
    // 44 h every 30 s, starting on an hour: a sawtooth gauge (0..9 per 5 m) and a counter (+1).
    base = (System.currentTimeMillis() - 48 * HOUR) / HOUR * HOUR;
    Appender app = vigil.storage().appender();
    long gRef = 0;
    long cRef = 0;
    long rRef = 0;
    for (int i = 0; i < 44 * 120; i++) {
      long t = base + i * SCRAPE;
      gRef = app.append(gRef, Labels.of("__name__", "saw"), t, i % 10);
      cRef = app.append(cRef, Labels.of("__name__", "ticks_total"), t, i);
      // +1 per scrape, back to 0 every 7 h 10 m: resets fall inside blocks, never on a boundary
      rRef = app.append(rRef, Labels.of("__name__", "resetting_total"), t, i % 860);
      if (i % 1000 == 999) {
        app.commit();
      }
    }
    app.commit();
    vigil.storage().maintain();
    assertThat(vigil.storage().blocks().stream().map(b -> b.meta().resolution()))
        .contains(0L, 300_000L, 3_600_000L);
  }

  @AfterAll
  void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  private HttpResponse<String> range(String q, long step, String res) throws Exception {
    String url =
        vigil.url()
            + "/api/v1/query_range?query="
            + URLEncoder.encode(q, StandardCharsets.UTF_8)
            + "&start="
            + (base + 12 * HOUR) / 1000
            + "&end="
            + (base + 36 * HOUR) / 1000
            + "&step="
            + step / 1000
            + (res == null ? "" : "&max_source_resolution=" + res);
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The values of the single series a range query returns. */
  private List<Double> values(String q, long step, String res) throws Exception {
    HttpResponse<String> r = range(q, step, res);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode result = Json.MAPPER.readTree(r.body()).get("data").get("result");
    assertThat(result).as(r.body()).hasSize(1);
    List<Double> out = new ArrayList<>();
    for (JsonNode p : result.get(0).get("values")) {
      out.add(Double.parseDouble(p.get(1).asText()));
    }
    assertThat(out).hasSize(25);
    return out;
  }

  @Test
  void plainSelector_autoReadsFiveMinuteAverages_rawAndDefaultStayExact() throws Exception {
    // Every step is on the hour, where the raw sample is 0; the 5 m window before it averages 4.5.
    assertThat(values("saw", HOUR, null)).containsOnly(0.0);
    assertThat(values("saw", HOUR, "raw")).containsOnly(0.0);
    assertThat(values("saw", HOUR, "auto")).containsOnly(4.5);
    assertThat(values("saw", HOUR, "5m")).containsOnly(4.5);
    // A step below the rollup interval keeps auto on raw data.
    HttpResponse<String> fine = range("saw", 60_000, "auto");
    assertThat(fine.statusCode()).isEqualTo(200);
    assertThat(fine.body()).doesNotContain("\"4.5\"");
  }

  @Test
  void instantQueries_takeMaxSourceResolution_too() throws Exception {
    long t = (base + 24 * HOUR) / 1000;
    java.util.function.Function<String, String> at =
        params -> {
          try {
            HttpResponse<String> r =
                client.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                vigil.url()
                                    + "/api/v1/query?query="
                                    + URLEncoder.encode("last_over_time(saw[6h])", UTF_8)
                                    + "&time="
                                    + t
                                    + params))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return Json.MAPPER.readTree(r.body()).at("/data/result/0/value/1").asText();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    // Raw (the default): the sample on the hour; the 1 h rollup: the last one of the window before.
    assertThat(at.apply("")).isEqualTo("0");
    assertThat(at.apply("&max_source_resolution=raw")).isEqualTo("0");
    assertThat(at.apply("&max_source_resolution=1h")).isEqualTo("9");
    HttpResponse<String> bad =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(vigil.url() + "/api/v1/query?query=saw&max_source_resolution=2h"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(bad.body()).path("error").asText())
        .startsWith("invalid parameter \"max_source_resolution\": unknown resolution \"2h\"");
  }

  @Test
  void lastOverTime_readsRollupLast_whichEndsBeforeTheStep() throws Exception {
    // Raw: the sample on the hour (0). Rollups: the last sample of the window before it (9).
    assertThat(values("last_over_time(saw[6h])", HOUR, "raw")).containsOnly(0.0);
    assertThat(values("last_over_time(saw[6h])", HOUR, "auto")).containsOnly(9.0);
    assertThat(values("last_over_time(saw[6h])", HOUR, "1h")).containsOnly(9.0);
  }

  @Test
  void rateAndIncrease_overCounterRollups_matchRaw() throws Exception {
    for (String res : List.of("auto", "5m", "1h")) {
      List<Double> raw = values("rate(ticks_total[6h])", HOUR, "raw");
      List<Double> coarse = values("rate(ticks_total[6h])", HOUR, res);
      for (int i = 0; i < raw.size(); i++) {
        assertThat(raw.get(i)).isCloseTo(1.0 / 30, within(1e-9));
        assertThat(coarse.get(i)).as(res).isCloseTo(1.0 / 30, within(1.0 / 30 * 0.02));
      }
    }
    for (double v : values("increase(ticks_total[1h])", HOUR, "auto")) {
      assertThat(v).isCloseTo(120, within(2.5));
    }
  }

  @Test
  void increase_overCounterRollupsWithResets_inventsNoIncreaseAtBlockBoundaries() throws Exception {
    // Raw: 719 per 6 h (720 steps, one of them a reset to 0 where there is one). Every 2 h block
    // boundary after a reset used to add the pre-reset value again (up to ~860) to the rollup's.
    List<Double> raw = values("increase(resetting_total[6h])", HOUR, "raw");
    for (String res : List.of("auto", "5m", "1h")) {
      List<Double> coarse = values("increase(resetting_total[6h])", HOUR, res);
      for (int i = 0; i < raw.size(); i++) {
        assertThat(raw.get(i)).isBetween(715.0, 721.0);
        assertThat(coarse.get(i)).as("%s at step %d", res, i).isCloseTo(raw.get(i), within(15.0));
      }
    }
  }

  @Test
  void sumAndMaxOverTime_fromRollups_equalRaw_countFallsBackToRaw() throws Exception {
    assertThat(values("sum_over_time(saw[1h])", HOUR, "auto"))
        .isEqualTo(values("sum_over_time(saw[1h])", HOUR, "raw"));
    assertThat(values("max_over_time(saw[1h])", HOUR, "auto")).containsOnly(9.0);
    // count_over_time cannot be answered by counting rollup samples: it reads raw data.
    assertThat(values("count_over_time(saw[1h])", HOUR, "auto")).containsOnly(120.0);
    // A window shorter than five rollup intervals reads raw data too.
    assertThat(values("last_over_time(saw[10m])", HOUR, "auto")).containsOnly(0.0);
  }

  @Test
  void badValue_is400NamingTheParameter() throws Exception {
    HttpResponse<String> r = range("saw", HOUR, "10m");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode j = Json.MAPPER.readTree(r.body());
    assertThat(j.get("errorType").asText()).isEqualTo("bad_data");
    assertThat(j.get("error").asText()).contains("max_source_resolution").contains("10m");
  }
}
