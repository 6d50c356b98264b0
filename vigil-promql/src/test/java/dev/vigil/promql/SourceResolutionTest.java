package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.Resolution;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.promql.test.MemoryStorage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class SourceResolutionTest {
  static final long MIN = 60_000;
  static final long HOUR = 60 * MIN;
  static final long LOOKBACK = 5 * MIN;

  @Test
  void parse_acceptsThanosSpellings_andNamesTheAcceptedValues() {
    assertThat(SourceResolution.parse(null)).isEqualTo(SourceResolution.RAW);
    assertThat(SourceResolution.parse("")).isEqualTo(SourceResolution.RAW);
    assertThat(SourceResolution.parse("0s")).isEqualTo(SourceResolution.RAW);
    assertThat(SourceResolution.parse("5m")).isEqualTo(SourceResolution.FIVE_MINUTES);
    assertThat(SourceResolution.parse("1h")).isEqualTo(SourceResolution.ONE_HOUR);
    assertThat(SourceResolution.parse("AUTO")).isEqualTo(SourceResolution.AUTO);
    assertThatThrownBy(() -> SourceResolution.parse("2h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"2h\"")
        .hasMessageContaining("raw, 5m, 1h or auto");
  }

  @Test
  void auto_isBoundedByStepAndAFifthOfTheWindow() {
    SourceResolution a = SourceResolution.AUTO;
    assertThat(a.forSelector("rate", 6 * HOUR, HOUR, LOOKBACK)).isEqualTo(Resolution.ONE_HOUR);
    assertThat(a.forSelector("rate", 6 * HOUR, 10 * MIN, LOOKBACK))
        .isEqualTo(Resolution.FIVE_MINUTES);
    assertThat(a.forSelector("rate", 6 * HOUR, MIN, LOOKBACK)).isEqualTo(Resolution.RAW);
    assertThat(a.forSelector("rate", HOUR, HOUR, LOOKBACK)).isEqualTo(Resolution.FIVE_MINUTES);
    assertThat(a.forSelector("rate", 20 * MIN, HOUR, LOOKBACK)).isEqualTo(Resolution.RAW);
    assertThat(a.forSelector("max_over_time", 5 * HOUR, 2 * HOUR, LOOKBACK))
        .isEqualTo(Resolution.ONE_HOUR);
    // Instant queries (no step) stay raw.
    assertThat(a.forSelector("rate", 6 * HOUR, 0, LOOKBACK)).isEqualTo(Resolution.RAW);
  }

  @Test
  void plainSelectors_readAtMostTheLookback_otherFunctionsReadRaw() {
    SourceResolution h = SourceResolution.ONE_HOUR;
    assertThat(h.forSelector(null, 0, HOUR, LOOKBACK)).isEqualTo(Resolution.FIVE_MINUTES);
    assertThat(h.forSelector(null, 0, HOUR, MIN)).isEqualTo(Resolution.RAW);
    assertThat(h.forSelector("count_over_time", 6 * HOUR, HOUR, LOOKBACK))
        .isEqualTo(Resolution.RAW);
    assertThat(h.forSelector("delta", 6 * HOUR, HOUR, LOOKBACK)).isEqualTo(Resolution.RAW);
    assertThat(h.forSelector(null, 6 * HOUR, HOUR, LOOKBACK)).isEqualTo(Resolution.RAW);
    assertThat(SourceResolution.FIVE_MINUTES.forSelector("rate", 6 * HOUR, HOUR, LOOKBACK))
        .isEqualTo(Resolution.FIVE_MINUTES);
    assertThat(SourceResolution.RAW.forSelector("rate", 6 * HOUR, HOUR, LOOKBACK))
        .isEqualTo(Resolution.RAW);
  }

  /** Records the resolution each selector (by function, or "-") asked the storage for. */
  private static Map<String, Resolution> run(
      SourceResolution engineDefault, MemoryStorage db, String q, SourceResolution r) {
    Map<String, Resolution> seen = new ConcurrentHashMap<>();
    Queryable rec =
        (mint, maxt) -> {
          Querier inner = db.querier(mint, maxt);
          return new Querier() {
            @Override
            public SeriesSet select(SelectHints h, List<LabelMatcher> ms) {
              seen.put(h.func() == null ? "-" : h.func(), h.resolution());
              return inner.select(h, ms);
            }

            @Override
            public List<String> labelNames(List<LabelMatcher> ms) {
              return inner.labelNames(ms);
            }

            @Override
            public List<String> labelValues(String name, List<LabelMatcher> ms) {
              return inner.labelValues(name, ms);
            }

            @Override
            public void close() {
              inner.close();
            }
          };
        };
    Engine e = Engine.builder(rec).maxSourceResolution(engineDefault).build();
    QueryResult res =
        r == null ? e.rangeQuery(q, 0, 24 * HOUR, HOUR) : e.rangeQuery(q, 0, 24 * HOUR, HOUR, r);
    assertThat(res).isNotNull();
    return seen;
  }

  @Test
  void engine_passesThePerSelectorResolutionToStorage_defaultStaysRaw() {
    MemoryStorage db = new MemoryStorage();
    Appender app = db.appender();
    for (long t = 0; t <= 24 * HOUR; t += MIN) {
      app.append(0, Labels.of("__name__", "c_total"), t, t / MIN);
    }
    app.commit();
    String q = "rate(c_total[6h]) + count_over_time(c_total[6h]) + c_total";
    SourceResolution raw = SourceResolution.RAW;
    SourceResolution auto = SourceResolution.AUTO;
    assertThat(run(raw, db, q, auto))
        .containsEntry("rate", Resolution.ONE_HOUR)
        .containsEntry("count_over_time", Resolution.RAW)
        .containsEntry("-", Resolution.FIVE_MINUTES);
    assertThat(run(raw, db, q, raw).values()).containsOnly(Resolution.RAW);
    assertThat(run(raw, db, q, null).values()).containsOnly(Resolution.RAW);
    // The builder's default applies to range queries that name none.
    assertThat(run(auto, db, q, null)).containsEntry("rate", Resolution.ONE_HOUR);
    // Subqueries inherit the setting, with their own step.
    assertThat(run(raw, db, "max_over_time(rate(c_total[1h])[6h:10m])", auto))
        .containsEntry("rate", Resolution.FIVE_MINUTES);
  }
}
