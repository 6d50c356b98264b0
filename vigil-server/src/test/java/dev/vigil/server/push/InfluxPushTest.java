package dev.vigil.server.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ConfigNode;
import dev.vigil.server.config.PushConfig;
import dev.vigil.server.testing.ExternalProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InfluxDB line protocol push against the real InfluxDB 1.6 ({@code influxd}, with auth on): the
 * samples are read back by {@code influx -execute} with the same tags, values and times; a wrong
 * password is a failed push, counted; NaN is left out and counted as dropped.
 */
class InfluxPushTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;
  private ExternalProcess influxd;
  private Vigil source;

  @BeforeEach
  void start() throws Exception {
    ExternalProcess.require("influxd");
    ExternalProcess.require("influx");
    int rpc = ExternalProcess.freePort();
    int http = ExternalProcess.freePort();
    Path home = dir.resolve("influx");
    Path conf = dir.resolve("influxdb.conf");
    Files.writeString(
        conf,
        "reporting-disabled = true\n"
            + "bind-address = \"127.0.0.1:"
            + rpc
            + "\"\n[meta]\n  dir = \""
            + home.resolve("meta")
            + "\"\n[data]\n  dir = \""
            + home.resolve("data")
            + "\"\n  wal-dir = \""
            + home.resolve("wal")
            + "\"\n  query-log-enabled = false\n"
            + "[http]\n  bind-address = \"127.0.0.1:{port}\"\n  auth-enabled = true\n"
            + "  log-enabled = false\n[monitor]\n  store-enabled = false\n");
    Files.writeString(conf, Files.readString(conf).replace("{port}", Integer.toString(http)));
    // /debug/vars answers 200 without credentials (/ping answers 204 in 1.6).
    influxd =
        ExternalProcess.start(
            List.of("/usr/bin/influxd", "-config", conf.toString()), "/debug/vars", dir, http);
    // With auth on and no user yet, InfluxDB lets the first admin be created.
    influx("CREATE USER admin WITH PASSWORD 'pw' WITH ALL PRIVILEGES");
    influx("CREATE DATABASE vigil");
    source =
        Vigil.builder(
                ConfigLoader.parse(
                    "source.yml",
                    "storage:\n  path: "
                        + dir.resolve("src")
                        + "\ncollect:\n  system: false\n  jvm: false\n  gpu: false\n"
                        + "  self: false\n",
                    Map.of()))
            .http(false)
            .start();
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    if (influxd != null) {
      influxd.close();
    }
  }

  private String influx(String query) throws Exception {
    Path out = Files.createTempFile(dir, "influx", ".out");
    Process p =
        new ProcessBuilder(
                "/usr/bin/influx",
                "-host",
                "127.0.0.1",
                "-port",
                Integer.toString(influxd.port()),
                "-username",
                "admin",
                "-password",
                "pw",
                "-database",
                "vigil",
                "-format",
                "csv",
                "-precision",
                "ms",
                "-execute",
                query)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("influx finished").isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  private PushManager push(String password) {
    String yaml =
        "push:\n  influxdb:\n    - url: http://127.0.0.1:"
            + influxd.port()
            + "\n      database: vigil\n      precision: s\n"
            + "      basic_auth:\n        username: admin\n        password: "
            + password
            + "\n";
    ConfigNode node = ConfigLoader.parse("p.yml", yaml, Map.of()).push();
    return new PushManager(
        PushConfig.bind(node, null),
        source::storage,
        () -> Map.of("site", "lab"),
        () -> T0 + 10_000);
  }

  private void write() {
    Appender a = source.storage().appender();
    a.append(0, Labels.of("__name__", "room_temp", "job", "house", "room", "a b"), T0, 21.5);
    a.append(0, Labels.of("__name__", "room_temp", "job", "house", "room", "c"), T0, -3);
    a.append(0, Labels.of("__name__", "http_requests_total", "code", "200"), T0, 1234);
    a.append(0, Labels.of("__name__", "broken_ratio"), T0, Double.NaN);
    a.commit();
  }

  private static double value(List<MetricSnapshot> snap, String name) {
    MetricSnapshot m = snap.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    Object p = m.dataPoints().get(0);
    return p instanceof CounterDataPoint c ? c.value() : ((GaugeDataPoint) p).value();
  }

  @Test
  void samples_areReadBackFromInfluxDb_byTagsValueAndTime() throws Exception {
    write();
    try (PushManager p = push("pw")) {
      p.pushAll();
      List<MetricSnapshot> snap = p.collector().collect();
      assertThat(value(snap, "vigil_push_samples_sent")).isEqualTo(3);
      assertThat(value(snap, "vigil_push_samples_dropped")).isEqualTo(1); // the NaN
      assertThat(value(snap, "vigil_push_requests_failed")).isZero();
      assertThat(value(snap, "vigil_push_last_success_timestamp_seconds"))
          .isEqualTo((T0 + 10_000) / 1000.0);
    }
    assertThat(influx("SELECT job, room, site, value FROM room_temp").lines())
        .containsExactlyInAnyOrder(
            "name,time,job,room,site,value",
            "room_temp," + T0 + ",house,a b,lab,21.5",
            "room_temp," + T0 + ",house,c,lab,-3");
    assertThat(influx("SELECT code, site, value FROM http_requests_total").lines())
        .containsExactly(
            "name,time,code,site,value", "http_requests_total," + T0 + ",200,lab,1234");
  }

  @Test
  void aWrongPassword_isAFailedPush_countedAndLogged() throws Exception {
    write();
    try (PushManager p = push("wrong")) {
      p.pushAll();
      List<MetricSnapshot> snap = p.collector().collect();
      assertThat(value(snap, "vigil_push_samples_sent")).isZero();
      assertThat(value(snap, "vigil_push_requests_failed")).isEqualTo(1);
      assertThat(value(snap, "vigil_push_last_success_timestamp_seconds")).isZero();
    }
    assertThat(influx("SHOW MEASUREMENTS").lines()).hasSizeLessThanOrEqualTo(1);
  }
}
