package dev.vigil.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.model.Labels;
import dev.vigil.server.testing.ChildVigil;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A firing alert survives a clean restart and a {@code kill -9} of the server (a child JVM on a
 * real data directory): after each start its 'for' state is restored from {@code ALERTS_FOR_STATE},
 * and it fires again with its original {@code activeAt}, not as a new alert.
 */
class RulesRestartTest {
  @TempDir Path dir;

  @Test
  void firingAlert_keepsItsActiveAt_overACleanRestartAndAKill9() throws Exception {
    Files.writeString(
        dir.resolve("rules.yml"),
        """
        groups:
        - name: restart
          interval: 1s
          rules:
          - alert: Stuck
            expr: restart_value > 0
            for: 4s
        """);
    Path cfg = dir.resolve("vigil.yml");
    Files.writeString(cfg, "rule_files: [rules.yml]\nrules:\n  for_grace_period: 1s\n");

    String activeAt;
    try (ChildVigil v = start()) {
      long t0 = System.currentTimeMillis() / 1000 * 1000 - 2000;
      long[] ts = new long[300];
      double[] vs = new double[300];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = t0 + i * 1000L;
        vs[i] = 1;
      }
      HttpResponse<String> r =
          v.remoteWrite(
              List.of(
                  new RemoteWriteEncoder.Series(
                      Labels.of("__name__", "restart_value", "instance", "x"), ts, vs)));
      assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
      // ALERTS_FOR_STATE keeps whole seconds (as Prometheus'): a restored activeAt has no fraction.
      activeAt =
          java.time.Instant.parse(firing(v))
              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
              .toString();
      v.stop(); // SIGTERM: the server closes cleanly
    }

    try (ChildVigil v = start()) {
      assertThat(firing(v)).as("after a clean restart").isEqualTo(activeAt);
      v.kill(); // SIGKILL
    }

    try (ChildVigil v = start()) {
      assertThat(firing(v)).as("after kill -9").isEqualTo(activeAt);
    }
  }

  private ChildVigil start() throws Exception {
    return ChildVigil.start(
        dir.resolve("child.err"), dir.resolve("vigil.yml"), dir.resolve("data"));
  }

  /** The activeAt of the one alert, once it fires. */
  private static String firing(ChildVigil v) throws Exception {
    String activeAt = v.awaitFiring("Stuck", Duration.ofSeconds(60));
    assertThat(v.alerts()).as("the only alert").hasSize(1);
    return activeAt;
  }
}
