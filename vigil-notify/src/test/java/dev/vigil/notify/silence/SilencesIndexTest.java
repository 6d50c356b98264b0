package dev.vigil.notify.silence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Silences#mutes} through its index by equality matcher answers as checking every silence:
 * silences with equality matchers (also one with an empty value, which matches a missing label),
 * with only regex or negative matchers, pending, active and expired, against alerts with and
 * without the labels; then after expiring and adding some, and after gc.
 */
class SilencesIndexTest {
  static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0);

  static final String[] MATCHERS = {
    "alertname=Disk",
    "alertname=Disk,host=a",
    "host=a,alertname=Disk",
    "host=b",
    "alertname=~Disk|Cpu",
    "host!=a,alertname=~Mem|Cpu",
    "alertname=Cpu,env=~prod|stage",
    "env=\"\",alertname=Cpu",
    "alertname=~.+,host=c",
    "env=prod,host!~a|b",
  };

  @Test
  void answersAsScanningEverySilence() throws Exception {
    Random rnd = new Random(17);
    try (Silences s = Silences.open(dir.resolve("s.log"), clock, Silences.DEFAULT_RETENTION)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        Instant start = T0.plusSeconds(rnd.nextInt(7200));
        ids.add(
            s.set(
                new Silence(
                    null,
                    Matchers.parse(MATCHERS[i % MATCHERS.length]),
                    start,
                    start.plusSeconds(60 + rnd.nextInt(7200)),
                    null,
                    "ops",
                    "case " + i)));
      }
      List<Labels> alerts = alerts();
      assertSameAsScan(s, alerts);
      clock.advance(Duration.ofSeconds(3600));
      for (int i = 0; i < 50; i++) {
        s.expire(ids.get(rnd.nextInt(ids.size())));
      }
      s.set(
          new Silence(
              null,
              Matchers.parse("alertname=Disk"),
              clock.instant(),
              T0.plusSeconds(9000),
              null,
              "ops",
              "late"));
      assertSameAsScan(s, alerts);
      clock.advance(Duration.ofHours(199));
      s.gc();
      assertSameAsScan(s, alerts);
    }
  }

  /**
   * 1,000 silences each on its own alertname (as kept 120 h after expiry), 10,000 alerts: the index
   * against the scan the former mutes made (the same check per silence), printed, not asserted
   * (load-dependent).
   */
  @Test
  void manySilences_tenThousandAlerts() throws Exception {
    try (Silences s = Silences.open(dir.resolve("m.log"), clock, Silences.DEFAULT_RETENTION)) {
      for (int i = 0; i < 1_000; i++) {
        s.set(
            new Silence(
                null,
                Matchers.parse("alertname=A" + i + ",job=~node|db"),
                T0,
                T0.plusSeconds(3600),
                null,
                "ops",
                "load"));
      }
      List<Labels> alerts = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        alerts.add(Labels.of("alertname", "A" + (i % 2_000), "instance", "i" + i, "job", "node"));
      }
      Instant at = T0.plusSeconds(60);
      long t0 = System.nanoTime();
      int viaIndex = 0;
      for (Labels a : alerts) {
        viaIndex += s.mutes(a, at).size();
      }
      long t1 = System.nanoTime();
      int viaScan = 0;
      for (Labels a : alerts) {
        for (Silence x : s.list()) {
          if (x.state(at) == Silence.State.ACTIVE && x.matches(a)) {
            viaScan++;
          }
        }
      }
      long t2 = System.nanoTime();
      assertThat(viaIndex).isEqualTo(viaScan).isEqualTo(5_000);
      System.out.printf(
          "SilencesIndexTest: 10,000 alerts against 1,000 silences: index %.1f ms, scan %.1f ms%n",
          (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }
  }

  private static List<Labels> alerts() {
    List<Labels> out = new ArrayList<>();
    for (String name : new String[] {"Disk", "Cpu", "Mem"}) {
      for (String host : new String[] {"a", "b", "c", null}) {
        for (String env : new String[] {"prod", "stage", "dev", null}) {
          List<String> kv = new ArrayList<>(List.of("alertname", name));
          if (env != null) {
            kv.addAll(List.of("env", env));
          }
          if (host != null) {
            kv.addAll(List.of("host", host));
          }
          out.add(Labels.of(kv.toArray(String[]::new)));
        }
      }
    }
    return out;
  }

  private void assertSameAsScan(Silences s, List<Labels> alerts) {
    int muted = 0;
    for (int t = 0; t <= 9000; t += 450) {
      Instant at = T0.plusSeconds(t);
      for (Labels a : alerts) {
        List<String> scan = new ArrayList<>();
        for (Silence x : s.list()) {
          if (x.state(at) == Silence.State.ACTIVE && x.matches(a)) {
            scan.add(x.id());
          }
        }
        scan.sort(null);
        assertThat(s.mutes(a, at)).as("%s at %s", a, at).isEqualTo(scan);
        muted += scan.isEmpty() ? 0 : 1;
      }
    }
    if (!s.list().isEmpty()) {
      assertThat(muted).as("some alerts are muted, or the comparison shows nothing").isPositive();
    }
  }
}
