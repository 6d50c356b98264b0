package dev.vigil.rules.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.Sample;
import dev.vigil.rules.AlertingRuleSpec;
import dev.vigil.rules.RuleFile;
import dev.vigil.tsdb.Tsdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector over a real store: output series, limits, restart, generated alert, bad marks. */
class AnomalyDetectorTest {
  static final long MIN = 60_000;
  static final long T0 = SyntheticTraffic.MONDAY;

  @TempDir Path dir;
  Tsdb db;
  Engine engine;

  @BeforeEach
  void open() throws Exception {
    db =
        Tsdb.builder(dir.resolve("db"))
            .withoutWal()
            .rollups(false)
            .backgroundInterval(Duration.ZERO)
            .log(m -> {})
            .open();
    engine = Engine.builder(db).build();
  }

  @AfterEach
  void close() throws Exception {
    db.close();
  }

  static AnomalyMark mark(String name, String expr, boolean alert) {
    return AnomalyMark.of(
        name,
        expr,
        AnomalyOptions.DEFAULT,
        alert,
        Duration.ofMinutes(2),
        AnomalyMark.Source.CONFIG);
  }

  void add(String job, long t, double v) {
    Appender a = db.appender();
    a.append(0, Labels.of("__name__", "requests", "job", job), t, v);
    a.commit();
  }

  /** Feeds one value per minute for [from, to) and evaluates after each. */
  void run(AnomalyDetector d, long from, long to, double v) {
    for (long t = from; t < to; t += MIN) {
      add("api", t, v + (t / MIN) % 3);
      add("web", t, 2 * v + (t / MIN) % 3);
      d.evaluateAt(t);
    }
  }

  List<Sample> query(String q, long t) {
    QueryResult r = engine.instantQuery(q, t);
    return r.vector();
  }

  @Test
  void markedSeries_getScoreBaselineAndBandSeries_withTheMarkAndMetricAsLabels() {
    AnomalyDetector d = AnomalyDetector.builder(engine, db).build();
    d.update(List.of(mark("reqs", "requests", false)));
    long end = T0 + 30 * MIN;
    run(d, T0, end, 100);

    List<Sample> upper = query("vigil:anomaly:upper{job=\"api\"}", end - MIN);
    assertThat(upper).hasSize(1);
    assertThat(upper.get(0).labels())
        .isEqualTo(
            Labels.of(
                "__name__", "vigil:anomaly:upper",
                "anomaly", "reqs",
                "anomaly_metric", "requests",
                "job", "api"));
    double lower = query("vigil:anomaly:lower{job=\"api\"}", end - MIN).get(0).value();
    double baseline = query("vigil:anomaly:baseline{job=\"api\"}", end - MIN).get(0).value();
    assertThat(lower).isLessThan(baseline).isLessThan(upper.get(0).value());
    assertThat(baseline).isBetween(99.0, 103.0);
    assertThat(query("vigil:anomaly:score", end - MIN)).hasSize(2);

    AnomalyDetector.MarkStatus st = d.status().get(0);
    assertThat(st.series()).hasSize(2);
    assertThat(st.series().get(0).model()).isEqualTo("rolling");
    assertThat(st.lastError()).isNull();
  }

  @Test
  void spike_givesAScoreBeyondTheThreshold() {
    AnomalyDetector d = AnomalyDetector.builder(engine, db).build();
    d.update(List.of(mark("reqs", "requests", false)));
    long end = T0 + 40 * MIN;
    run(d, T0, end, 100);
    add("api", end, 400);
    add("web", end, 201);
    d.evaluateAt(end);

    assertThat(query("vigil:anomaly:score{job=\"api\"}", end).get(0).value()).isGreaterThan(3.5);
    assertThat(Math.abs(query("vigil:anomaly:score{job=\"web\"}", end).get(0).value()))
        .isLessThan(3.5);
  }

  @Test
  void seriesLimit_modelsNoMore_andCountsEachRefusal() {
    AnomalyDetector d = AnomalyDetector.builder(engine, db).maxSeries(1).build();
    d.update(List.of(mark("reqs", "requests", false)));
    run(d, T0, T0 + 5 * MIN, 100);

    assertThat(d.status().get(0).series()).hasSize(1);
    assertThat(d.limitHits()).isEqualTo(5);
    assertThat(d.metrics())
        .anySatisfy(
            f -> {
              assertThat(f.name()).isEqualTo("vigil_anomaly_series_limit_hits_total");
              assertThat(f.points().get(0).value()).isEqualTo(5);
            });
  }

  @Test
  void savedState_survivesARestart_andGivesTheSameBand() throws Exception {
    Path state = dir.resolve("anomaly");
    AnomalyDetector a = AnomalyDetector.builder(engine, db).stateDir(state).build();
    a.update(List.of(mark("reqs", "requests", false)));
    long end = T0 + 40 * MIN;
    run(a, T0, end, 100);
    a.save();
    assertThat(Files.exists(state.resolve("state.bin"))).isTrue();

    AnomalyDetector b = AnomalyDetector.builder(engine, db).stateDir(state).build();
    b.update(List.of(mark("reqs", "requests", false)));
    assertThat(b.load()).isEqualTo(2);
    add("api", end, 100);
    add("web", end, 200);
    a.evaluateAt(end);
    AnomalyDetector.SeriesStatus fromA = a.status().get(0).series().get(0);
    b.evaluateAt(end);
    AnomalyDetector.SeriesStatus fromB = b.status().get(0).series().get(0);
    assertThat(fromB.model()).isEqualTo("rolling");
    assertThat(fromB).isEqualTo(fromA);

    // A changed expression starts afresh: nothing restored for it.
    AnomalyDetector c = AnomalyDetector.builder(engine, db).stateDir(state).build();
    c.update(List.of(mark("reqs", "requests{job=\"api\"}", false)));
    assertThat(c.load()).isZero();
  }

  @Test
  void damagedStateFile_isIgnored_notHalfRestored() throws Exception {
    Path state = dir.resolve("anomaly");
    AnomalyDetector a = AnomalyDetector.builder(engine, db).stateDir(state).build();
    a.update(List.of(mark("reqs", "requests", false)));
    run(a, T0, T0 + 10 * MIN, 100);
    a.save();
    byte[] bytes = Files.readAllBytes(state.resolve("state.bin"));
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(state.resolve("state.bin"), bytes);

    AnomalyDetector b = AnomalyDetector.builder(engine, db).stateDir(state).build();
    b.update(List.of(mark("reqs", "requests", false)));
    assertThat(b.load()).isZero();
  }

  @Test
  void markThatAsksForAnAlert_getsAnAlertingRuleOnItsScore() {
    List<RuleFile> files =
        AnomalyDetector.generatedRules(
            List.of(mark("quiet", "requests", false), mark("reqs", "requests", true)));

    assertThat(files).hasSize(1);
    AlertingRuleSpec r = (AlertingRuleSpec) files.get(0).groups().get(0).rules().get(0);
    assertThat(r.alert()).isEqualTo("AnomalyDetected");
    assertThat(r.expr()).isEqualTo("abs(vigil:anomaly:score{anomaly=\"reqs\"}) > 3.5");
    assertThat(r.forDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(files.get(0).groups().get(0).rules()).hasSize(1);
    assertThat(AnomalyDetector.generatedRules(List.of(mark("q", "requests", false)))).isEmpty();
  }

  @Test
  void badMarks_areRefusedNamingTheProblem() {
    assertThatThrownBy(() -> mark("reqs", "rate(requests[5m]", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mark \"reqs\": expr does not parse");
    assertThatThrownBy(() -> mark("bad name", "requests", false))
        .hasMessageContaining("name \"bad name\" is not valid");
    assertThatThrownBy(() -> mark("reqs", " ", false)).hasMessageContaining("expr is missing");
  }

  @Test
  void failingQuery_isReportedOnTheMark() {
    AnomalyDetector d = AnomalyDetector.builder(engine, db).build();
    d.update(List.of(mark("s", "\"a string\"", false)));
    d.evaluateAt(T0);

    assertThat(d.status().get(0).lastError()).contains("STRING");
  }
}
