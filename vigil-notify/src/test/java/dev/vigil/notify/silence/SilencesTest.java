package dev.vigil.notify.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SilencesTest {
  static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0);

  Silences open() throws Exception {
    return Silences.open(dir.resolve("silences.log"), clock, Silences.DEFAULT_RETENTION);
  }

  static Silence silence(String matchers, Instant start, Instant end) {
    return new Silence(null, Matchers.parse(matchers), start, end, null, "ops", "maintenance");
  }

  @Test
  void mutes_onlyMatchingAlerts_onlyWhileActive() throws Exception {
    try (Silences s = open()) {
      String id =
          s.set(
              silence("alertname=Disk,env=~prod|stage", T0.plusSeconds(60), T0.plusSeconds(3600)));
      Labels disk = Labels.of("alertname", "Disk", "env", "prod", "host", "a");
      assertThat(s.mutes(disk, T0)).isEmpty(); // pending
      assertThat(s.mutes(disk, T0.plusSeconds(60))).containsExactly(id);
      assertThat(s.mutes(disk, T0.plusSeconds(3600))).containsExactly(id); // end inclusive, as AM
      assertThat(s.mutes(disk, T0.plusSeconds(3601))).isEmpty();
      assertThat(s.mutes(Labels.of("alertname", "Disk", "env", "dev"), T0.plusSeconds(60)))
          .isEmpty();
      assertThat(s.get(id).orElseThrow().state(T0)).isEqualTo(Silence.State.PENDING);
    }
  }

  @Test
  void set_startInThePast_startsNow() throws Exception {
    try (Silences s = open()) {
      String id = s.set(silence("a=b", T0.minusSeconds(600), T0.plusSeconds(600)));
      Silence got = s.get(id).orElseThrow();
      assertThat(got.startsAt()).isEqualTo(T0);
      assertThat(got.updatedAt()).isEqualTo(T0);
      assertThat(got.state(T0)).isEqualTo(Silence.State.ACTIVE);
    }
  }

  @Test
  void update_sameMatchersNewEnd_keepsId_changedMatchers_expireAndReplace() throws Exception {
    try (Silences s = open()) {
      String id = s.set(silence("a=b", T0, T0.plusSeconds(600)));
      clock.advance(Duration.ofSeconds(10));
      Silence cur = s.get(id).orElseThrow();
      String same =
          s.set(
              new Silence(id, cur.matchers(), cur.startsAt(), T0.plusSeconds(900), null, "x", "y"));
      assertThat(same).isEqualTo(id);
      assertThat(s.get(id).orElseThrow().endsAt()).isEqualTo(T0.plusSeconds(900));
      String other =
          s.set(
              new Silence(
                  id, Matchers.parse("a=c"), cur.startsAt(), T0.plusSeconds(900), null, "x", "y"));
      assertThat(other).isNotEqualTo(id);
      assertThat(s.get(id).orElseThrow().state(clock.instant().plusMillis(1)))
          .isEqualTo(Silence.State.EXPIRED);
      assertThat(s.get(other).orElseThrow().matchers()).isEqualTo(Matchers.parse("a=c"));
    }
  }

  @Test
  void set_unknownId_notFound_invalid_refused() throws Exception {
    try (Silences s = open()) {
      assertThatThrownBy(
              () -> s.set(new Silence("nope", Matchers.parse("a=b"), T0, T0, null, "", "")))
          .isInstanceOfSatisfying(SilenceException.class, e -> assertThat(e.notFound()).isTrue());
      assertThatThrownBy(
              () -> s.set(new Silence(null, List.of(), T0, T0.plusSeconds(1), null, "", "")))
          .hasMessage("at least one matcher required");
      assertThatThrownBy(() -> s.set(silence("a=b", T0.plusSeconds(10), T0.plusSeconds(5))))
          .hasMessage("end time must not be before start time");
      assertThatThrownBy(() -> s.set(silence("a=~.*,b=\"\"", T0, T0.plusSeconds(5))))
          .hasMessage("at least one matcher must not match the empty string");
    }
  }

  @Test
  void expire_pendingAndActive_asAlertmanager_twiceNoOp() throws Exception {
    try (Silences s = open()) {
      String pending = s.set(silence("a=b", T0.plusSeconds(60), T0.plusSeconds(120)));
      String active = s.set(silence("a=c", T0, T0.plusSeconds(120)));
      clock.advance(Duration.ofSeconds(5));
      s.expire(pending);
      s.expire(active);
      Instant now = clock.instant();
      assertThat(s.get(pending).orElseThrow().startsAt()).isEqualTo(now);
      assertThat(s.get(pending).orElseThrow().endsAt()).isEqualTo(now);
      assertThat(s.get(active).orElseThrow().startsAt()).isEqualTo(T0);
      assertThat(s.get(active).orElseThrow().endsAt()).isEqualTo(now);
      clock.advance(Duration.ofMillis(1));
      s.expire(active); // a no-op on an expired silence, as Alertmanager 0.25 (200)
      assertThat(s.get(active).orElseThrow().endsAt()).isEqualTo(now);
    }
  }

  @Test
  void reopen_findsSilencesByValue_andGcDropsThoseExpiredPastRetention() throws Exception {
    String keep;
    String old;
    try (Silences s = open()) {
      keep = s.set(silence("a=b", T0, T0.plus(Duration.ofDays(30))));
      old = s.set(silence("a=c", T0, T0.plusSeconds(60)));
    }
    clock.advance(Duration.ofHours(100));
    try (Silences s = open()) {
      assertThat(s.get(keep).orElseThrow().matchers()).isEqualTo(Matchers.parse("a=b"));
      assertThat(s.get(old)).isPresent();
    }
    clock.advance(Duration.ofHours(21));
    try (Silences s = open()) {
      assertThat(s.get(old)).isEmpty();
      assertThat(s.get(keep)).isPresent();
    }
  }

  @Test
  void reopen_tornOrCorruptTail_isCut_earlierSilencesKept() throws Exception {
    String first;
    try (Silences s = open()) {
      first = s.set(silence("a=b", T0, T0.plusSeconds(600)));
      s.set(silence("a=c", T0, T0.plusSeconds(600)));
    }
    Path f = dir.resolve("silences.log");
    List<String> lines = Files.readAllLines(f);
    // flip one character of the second record's payload, then a half-written third record
    String bad = lines.get(1).replace("\"a\"", "\"z\"");
    Files.write(f, List.of(lines.get(0), bad));
    Files.writeString(f, "0123abcd {\"id\":", StandardOpenOption.APPEND);
    long before = Files.size(f);
    try (Silences s = open()) {
      assertThat(s.list()).extracting(Silence::id).containsExactly(first);
      assertThat(s.cutBytes()).isEqualTo(before - (lines.get(0).length() + 1));
    }
    assertThat(Files.readAllLines(f)).hasSize(1);
    // what was cut is kept for inspection
    assertThat(Files.readString(dir.resolve("silences.log.cut")))
        .startsWith(bad)
        .endsWith("0123abcd {\"id\":");
  }

  @Test
  void query_filterAndOrder_asApiV2() throws Exception {
    try (Silences s = open()) {
      String late = s.set(silence("alertname=X,job=a", T0, T0.plusSeconds(900)));
      String soon = s.set(silence("alertname=X", T0, T0.plusSeconds(300)));
      String pending = s.set(silence("alertname=Y", T0.plusSeconds(100), T0.plusSeconds(300)));
      assertThat(s.query(List.of())).extracting(Silence::id).containsExactly(soon, late, pending);
      assertThat(s.query(Matchers.parse("alertname=X")))
          .extracting(Silence::id)
          .containsExactly(soon, late);
      assertThat(s.query(Matchers.parse("job=a"))).extracting(Silence::id).containsExactly(late);
      // as Alertmanager: the same name, operator and value, not a match of the value
      assertThat(s.query(Matchers.parse("alertname=~X|Y"))).isEmpty();
      assertThat(s.query(Matchers.parse("alertname!=X"))).isEmpty();
    }
  }
}
