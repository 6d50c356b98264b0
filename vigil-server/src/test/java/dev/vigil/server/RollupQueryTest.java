package dev.vigil.server;

import static dev.vigil.server.RollupFixture.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.http.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max_source_resolution} on {@code /api/v1/query_range} and {@code /api/v1/query} through a
 * real HTTP client against a running Vigil whose store holds 44 h of samples already cut into
 * blocks with 5 m / 1 h rollups ({@link RollupFixture}). The data starts at a fixed instant and the
 * store's clock is fixed: the answers do not depend on when the test runs. {@link
 * RollupAnchorSweepTest} checks the counter answers for every hour of a day as the start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollupQueryTest {
  /** The start a fresh clone tested at 2026-12-07 06:45 UTC had (and failed with). */
  static final long ANCHOR = Instant.parse("2026-12-05T06:00:00Z").toEpochMilli();

  RollupFixture store;

  @BeforeAll
  void start(@TempDir Path tmp) {
    store = new RollupFixture(tmp.resolve("data"), ANCHOR);
  }

  @AfterAll
  void stop() {
    if (store != null) {
      store.close();
    }
  }

  private List<Double> values(String q, String res) throws Exception {
    return store.values(q, res);
  }

  @Test
  void plainSelector_autoReadsFiveMinuteAverages_rawAndDefaultStayExact() throws Exception {
    // Every step is on the hour, where the raw sample is 0; the 5 m window before it averages 4.5.
    assertThat(values("saw", null)).containsOnly(0.0);
    assertThat(values("saw", "raw")).containsOnly(0.0);
    assertThat(values("saw", "auto")).containsOnly(4.5);
    assertThat(values("saw", "5m")).containsOnly(4.5);
    // A step below the rollup interval keeps auto on raw data.
    HttpResponse<String> fine = store.range("saw", 60_000, "auto");
    assertThat(fine.statusCode()).isEqualTo(200);
    assertThat(fine.body()).doesNotContain("\"4.5\"");
  }

  @Test
  void instantQueries_takeMaxSourceResolution_too() throws Exception {
    long t = store.base + 24 * HOUR;
    String q = "last_over_time(saw[6h])";
    // Raw (the default): the sample on the hour; the 1 h rollup: the last one of the window before.
    assertThat(store.instant(q, t, "")).isEqualTo("0");
    assertThat(store.instant(q, t, "&max_source_resolution=raw")).isEqualTo("0");
    assertThat(store.instant(q, t, "&max_source_resolution=1h")).isEqualTo("9");
    HttpResponse<String> bad =
        store
            .client()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            store.vigil.url() + "/api/v1/query?query=saw&max_source_resolution=2h"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(bad.body()).path("error").asText())
        .startsWith("invalid parameter \"max_source_resolution\": unknown resolution \"2h\"");
  }

  @Test
  void lastOverTime_readsRollupLast_whichEndsBeforeTheStep() throws Exception {
    // Raw: the sample on the hour (0). Rollups: the last sample of the window before it (9).
    assertThat(values("last_over_time(saw[6h])", "raw")).containsOnly(0.0);
    assertThat(values("last_over_time(saw[6h])", "auto")).containsOnly(9.0);
    assertThat(values("last_over_time(saw[6h])", "1h")).containsOnly(9.0);
  }

  @Test
  void rateAndIncrease_overCounterRollups_matchRaw() throws Exception {
    for (String res : List.of("auto", "5m", "1h")) {
      List<Double> raw = values("rate(ticks_total[6h])", "raw");
      List<Double> coarse = values("rate(ticks_total[6h])", res);
      for (int i = 0; i < raw.size(); i++) {
        assertThat(raw.get(i)).isCloseTo(1.0 / 30, within(1e-9));
        assertThat(coarse.get(i)).as(res).isCloseTo(1.0 / 30, within(1.0 / 30 * 0.02));
      }
    }
    for (double v : values("increase(ticks_total[1h])", "auto")) {
      assertThat(v).isCloseTo(120, within(2.5));
    }
  }

  @Test
  void increase_overCounterRollupsWithResets_inventsNoIncreaseAtBlockBoundaries() throws Exception {
    // Raw: 719 per 6 h (720 steps, one of them a reset to 0 where there is one). Every 2 h block
    // boundary after a reset used to add the pre-reset value again (up to ~860) to the rollup's.
    List<Double> raw = values("increase(resetting_total[6h])", "raw");
    for (String res : List.of("auto", "5m", "1h")) {
      List<Double> coarse = values("increase(resetting_total[6h])", res);
      for (int i = 0; i < raw.size(); i++) {
        assertThat(raw.get(i)).isBetween(715.0, 721.0);
        assertThat(coarse.get(i)).as("%s at step %d", res, i).isCloseTo(raw.get(i), within(15.0));
      }
    }
  }

  @Test
  void sumAndMaxOverTime_fromRollups_equalRaw_countFallsBackToRaw() throws Exception {
    assertThat(values("sum_over_time(saw[1h])", "auto"))
        .isEqualTo(values("sum_over_time(saw[1h])", "raw"));
    assertThat(values("max_over_time(saw[1h])", "auto")).containsOnly(9.0);
    // count_over_time cannot be answered by counting rollup samples: it reads raw data.
    assertThat(values("count_over_time(saw[1h])", "auto")).containsOnly(120.0);
    // A window shorter than five rollup intervals reads raw data too.
    assertThat(values("last_over_time(saw[10m])", "auto")).containsOnly(0.0);
  }

  @Test
  void badValue_is400NamingTheParameter() throws Exception {
    HttpResponse<String> r = store.range("saw", HOUR, "10m");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode j = Json.MAPPER.readTree(r.body());
    assertThat(j.get("errorType").asText()).isEqualTo("bad_data");
    assertThat(j.get("error").asText()).contains("max_source_resolution").contains("10m");
  }
}
