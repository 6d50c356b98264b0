package dev.vigil.server.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ConfigNode;
import dev.vigil.server.config.PushConfig;
import dev.vigil.server.config.VigilConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP push into a second Vigil's own OTLP receiver: every pushed series (gauge, counter, classic
 * histogram) is stored there again with the same labels and the same value at the same time; the
 * external labels arrive as resource attributes ({@code target_info}); only newer samples are
 * pushed again.
 */
class OtlpPushRoundTripTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;
  private Vigil source;
  private Vigil receiver;

  private static final String COMMON =
      """
      storage:
        path: %s
      collect:
        system: false
        jvm: false
        gpu: false
        self: false
      """;

  @BeforeEach
  void start() {
    source =
        Vigil.builder(
                ConfigLoader.parse(
                    "source.yml",
                    "global:\n  external_labels:\n    site: lab\n"
                        + COMMON.formatted(dir.resolve("src")),
                    Map.of()))
            .http(false)
            .start();
    VigilConfig rc =
        ConfigLoader.parse(
            "receiver.yml",
            "server:\n  listen: 127.0.0.1:0\n" + COMMON.formatted(dir.resolve("dst")),
            Map.of());
    receiver = Vigil.start(rc);
  }

  @AfterEach
  void stop() {
    source.close();
    receiver.close();
  }

  private PushManager push(String extra) {
    String yaml = "otlp:\n  - url: " + receiver.url() + "/v1/metrics\n    name: back\n" + extra;
    ConfigNode node = ConfigLoader.parse("p.yml", "push:\n" + indent(yaml), Map.of()).push();
    long[] now = {T0 + 10_000};
    return new PushManager(
        PushConfig.bind(node, null), source::storage, () -> Map.of("site", "lab"), () -> now[0]);
  }

  private static String indent(String s) {
    return ("  " + s.replace("\n", "\n  ")).stripTrailing() + "\n";
  }

  private void write(long t, double scale) {
    Appender a = source.storage().appender();
    a.append(
        0,
        Labels.of("__name__", "room_temp", "job", "house", "instance", "h1", "room", "a"),
        t,
        21.5 * scale);
    a.append(
        0,
        Labels.of("__name__", "room_temp", "job", "house", "instance", "h1", "room", "b"),
        t,
        19.25 * scale);
    a.append(
        0,
        Labels.of("__name__", "http_requests_total", "job", "web", "code", "200"),
        t,
        1234 * scale);
    a.append(0, Labels.of("__name__", "loose_gauge"), t, -3 * scale);
    String[] les = {"0.1", "0.5", "+Inf"};
    double[] cum = {3, 7, 10};
    for (int i = 0; i < les.length; i++) {
      a.append(
          0,
          Labels.of("__name__", "lat_seconds_bucket", "job", "web", "le", les[i]),
          t,
          cum[i] * scale);
    }
    a.append(0, Labels.of("__name__", "lat_seconds_sum", "job", "web"), t, 2.75 * scale);
    a.append(0, Labels.of("__name__", "lat_seconds_count", "job", "web"), t, 10 * scale);
    a.commit();
  }

  /** Every series of {@code q} with its samples, target_info aside. */
  private static Map<Labels, Map<Long, Double>> all(Queryable q) {
    Map<Labels, Map<Long, Double>> out = new TreeMap<>();
    try (Querier r = q.querier(0, Long.MAX_VALUE)) {
      SeriesSet s =
          r.select(
              SelectHints.range(0, Long.MAX_VALUE), List.of(LabelMatcher.regex("__name__", ".+")));
      while (s.next()) {
        Labels l = s.at().labels();
        if (l.metricName().equals("target_info")) {
          continue;
        }
        Map<Long, Double> points = new TreeMap<>();
        SampleIterator it = s.at().iterator();
        while (it.next()) {
          points.put(it.timestamp(), it.value());
        }
        out.put(l, points);
      }
    }
    return out;
  }

  @Test
  void pushedSeries_areStoredByTheReceiver_withTheSameLabelsValuesAndTimes() throws Exception {
    write(T0, 1);
    try (PushManager p = push("")) {
      p.pushAll();
    }
    Map<Labels, Map<Long, Double>> src = all(source.storage());
    assertThat(src).hasSize(9);
    // A series without job is pushed with the target's service_name (default vigil) as job.
    Map<Labels, Map<Long, Double>> expected = new TreeMap<>();
    src.forEach(
        (l, v) ->
            expected.put(l.get("job") == null ? l.toBuilder().set("job", "vigil").build() : l, v));
    assertThat(all(receiver.storage())).isEqualTo(expected);
  }

  @Test
  void externalLabels_becomeResourceAttributes_storedAsTargetInfo() throws Exception {
    write(T0, 1);
    try (PushManager p = push("")) {
      p.pushAll();
    }
    try (Querier r = receiver.storage().querier(0, Long.MAX_VALUE)) {
      SeriesSet s =
          r.select(
              SelectHints.range(0, Long.MAX_VALUE),
              List.of(LabelMatcher.equal("__name__", "target_info")));
      List<Labels> infos = new java.util.ArrayList<>();
      while (s.next()) {
        infos.add(s.at().labels());
      }
      assertThat(infos)
          .contains(
              Labels.of("__name__", "target_info", "job", "house", "instance", "h1", "site", "lab"),
              Labels.of("__name__", "target_info", "job", "vigil", "site", "lab"));
    }
  }

  @Test
  void aSecondPush_sendsOnlySamplesNewerThanTheFirst() throws Exception {
    write(T0, 1);
    long[] now = {T0 + 10_000};
    String yaml =
        "push:\n  otlp:\n    - url: " + receiver.url() + "/v1/metrics\n      match: [room_temp]\n";
    ConfigNode node = ConfigLoader.parse("p.yml", yaml, Map.of()).push();
    try (PushManager p =
        new PushManager(PushConfig.bind(node, null), source::storage, Map::of, () -> now[0])) {
      p.pushAll();
      p.pushAll(); // nothing newer: nothing sent
      write(T0 + 15_000, 2);
      now[0] = T0 + 20_000;
      p.pushAll();
      var snap = p.collector().collect();
      assertThat(snap.get(0).name()).isEqualTo("vigil_push_samples_sent");
      assertThat(
              ((dev.vigil.metrics.model.CounterDataPoint) snap.get(0).dataPoints().get(0)).value())
          .isEqualTo(4.0);
    }
    Map<Long, Double> a =
        all(receiver.storage())
            .get(Labels.of("__name__", "room_temp", "job", "house", "instance", "h1", "room", "a"));
    assertThat(a).containsExactly(Map.entry(T0, 21.5), Map.entry(T0 + 15_000, 43.0));
  }
}
