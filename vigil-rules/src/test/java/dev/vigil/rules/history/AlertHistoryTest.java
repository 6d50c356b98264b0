package dev.vigil.rules.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.rules.AlertEvent;
import dev.vigil.rules.AlertState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertHistoryTest {
  @TempDir Path dir;
  final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  final List<String> messages = new ArrayList<>();

  AlertHistory open() throws IOException {
    return open(AlertHistory.builder(dir));
  }

  AlertHistory open(AlertHistory.Builder b) throws IOException {
    return b.clock(now::get).messages(messages::add).fsyncInterval(Duration.ZERO).open();
  }

  static AlertEvent event(String name, String instance, AlertState from, AlertState to, long t) {
    return new AlertEvent(
        "g",
        "rules.yml",
        Labels.of("alertname", name, "instance", instance),
        Map.of("summary", instance + " is down"),
        0.25,
        from,
        to,
        t,
        t - 1000);
  }

  @Test
  void changes_surviveReopen_byValue_newestFirst() throws IOException {
    try (AlertHistory h = open()) {
      h.onStateChange(event("Down", "a", AlertState.INACTIVE, AlertState.PENDING, now.get()));
      h.onStateChange(event("Down", "a", AlertState.PENDING, AlertState.FIRING, now.get() + 1));
    }
    try (AlertHistory h = open()) {
      List<HistoryEntry> got = h.query(List.of(), 0, Long.MAX_VALUE, 10);
      assertThat(got)
          .extracting(HistoryEntry::to)
          .containsExactly(AlertState.FIRING, AlertState.PENDING);
      HistoryEntry e = got.get(0);
      assertThat(e.labels()).isEqualTo(Labels.of("alertname", "Down", "instance", "a"));
      assertThat(e.annotations()).containsEntry("summary", "a is down");
      assertThat(e.value()).isEqualTo(0.25);
      assertThat(e.from()).isEqualTo(AlertState.PENDING);
      assertThat(e.timestampMs()).isEqualTo(now.get() + 1);
      assertThat(e.activeAt()).isEqualTo(now.get() - 999);
      assertThat(e.group()).isEqualTo("g");
      assertThat(e.file()).isEqualTo("rules.yml");
      assertThat(e.notified()).isEmpty();
      assertThat(e.id()).isEqualTo(2);
      // ids keep increasing after a reopen
      h.onStateChange(event("Down", "a", AlertState.FIRING, AlertState.INACTIVE, now.get() + 2));
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 1).get(0).id()).isEqualTo(3);
    }
  }

  @Test
  void notified_isAttachedToTheAlertsLatestChange_andSurvivesReopen() throws IOException {
    Labels a = Labels.of("alertname", "Down", "instance", "a");
    try (AlertHistory h = open()) {
      h.onStateChange(event("Down", "a", AlertState.INACTIVE, AlertState.PENDING, now.get()));
      h.onStateChange(event("Down", "a", AlertState.PENDING, AlertState.FIRING, now.get() + 1));
      assertThat(h.notified(a, "team", "webhook/0", 1_700_000_005_000L)).isTrue();
      assertThat(h.notified(a, "team", "slack/0", 1_700_000_005_000L)).isTrue();
      // An alert the rules never recorded (posted to the API) has nothing to refer to.
      assertThat(h.notified(Labels.of("alertname", "Posted"), "team", "webhook/0", 1)).isFalse();
    }
    try (AlertHistory h = open()) {
      List<HistoryEntry> got = h.query(List.of(), 0, Long.MAX_VALUE, 10);
      assertThat(got.get(0).to()).isEqualTo(AlertState.FIRING);
      assertThat(got.get(0).notified())
          .containsExactly(
              "team/webhook/0@2023-11-14T22:13:25Z", "team/slack/0@2023-11-14T22:13:25Z");
      assertThat(got.get(1).notified()).isEmpty();
      assertThat(messages).noneMatch(m -> m.contains("skipped"));
      // The resolution is a new change: its notification goes to it, not to the firing one.
      h.onStateChange(event("Down", "a", AlertState.FIRING, AlertState.INACTIVE, now.get() + 2));
      h.notified(a, "team", "webhook/0", 1_700_000_010_000L);
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 1).get(0).notified())
          .containsExactly("team/webhook/0@2023-11-14T22:13:30Z");
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 2).get(1).notified()).hasSize(2);
    }
  }

  @Test
  void tornTail_isCutAtOpen_andAppendsContinueAfterIt() throws IOException {
    try (AlertHistory h = open()) {
      h.onStateChange(event("Down", "a", AlertState.INACTIVE, AlertState.PENDING, now.get()));
      h.onStateChange(event("Down", "b", AlertState.INACTIVE, AlertState.PENDING, now.get()));
    }
    Path seg = dir.resolve("00000001.log");
    long whole = Files.size(seg);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(whole - 5); // a crash in the middle of the second record
    }
    try (AlertHistory h = open()) {
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 10))
          .extracting(e -> e.labels().get("instance"))
          .containsExactly("a");
      assertThat(messages).anyMatch(m -> m.contains("torn tail"));
      h.onStateChange(event("Down", "c", AlertState.INACTIVE, AlertState.PENDING, now.get()));
    }
    try (AlertHistory h = open()) {
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 10))
          .extracting(e -> e.labels().get("instance"))
          .containsExactly("c", "a");
    }
  }

  @Test
  void recordWithWrongCrc_endsTheReadableLog() throws IOException {
    try (AlertHistory h = open()) {
      h.onStateChange(event("Down", "a", AlertState.INACTIVE, AlertState.PENDING, now.get()));
      h.onStateChange(event("Down", "b", AlertState.INACTIVE, AlertState.PENDING, now.get()));
    }
    Path seg = dir.resolve("00000001.log");
    byte[] bytes = Files.readAllBytes(seg);
    bytes[bytes.length - 3] ^= 0x20; // a flipped bit in the last record's payload
    Files.write(seg, bytes);
    try (AlertHistory h = open()) {
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 10)).hasSize(1);
    }
  }

  @Test
  void retention_dropsOldChanges_fromQueriesAndDisk() throws IOException {
    AlertHistory.Builder b =
        AlertHistory.builder(dir).retention(Duration.ofHours(1)).maxBytes(4096);
    try (AlertHistory h = open(b)) {
      for (int i = 0; i < 40; i++) {
        h.onStateChange(event("Down", "i" + i, AlertState.INACTIVE, AlertState.PENDING, now.get()));
      }
      assertThat(segments()).hasSizeGreaterThan(1);
      now.addAndGet(Duration.ofMinutes(61).toMillis());
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 100)).isEmpty();
      h.onStateChange(event("Down", "new", AlertState.INACTIVE, AlertState.PENDING, now.get()));
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 100)).hasSize(1);
    }
    assertThat(segments()).hasSize(1);
    try (AlertHistory h = open(b)) {
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 100))
          .extracting(e -> e.labels().get("instance"))
          .containsExactly("new");
    }
  }

  @Test
  void sizeBound_dropsTheOldestSegments() throws IOException {
    try (AlertHistory h = open(AlertHistory.builder(dir).maxBytes(8192))) {
      for (int i = 0; i < 500; i++) {
        h.onStateChange(
            event("Down", "i" + i, AlertState.INACTIVE, AlertState.PENDING, now.get() + i));
      }
      assertThat(h.bytes()).isLessThanOrEqualTo(8192 + 1024 + HistoryLog.MAX_RECORD / 256);
      List<HistoryEntry> kept = h.query(List.of(), 0, Long.MAX_VALUE, 1000);
      assertThat(kept).hasSizeLessThan(500);
      assertThat(kept.get(0).labels().get("instance")).isEqualTo("i499");
      assertThat(h.size()).isEqualTo(kept.size());
    }
  }

  @Test
  void query_filtersByMatchersTimeAndLimit() throws IOException {
    try (AlertHistory h = open()) {
      long t = now.get();
      h.onStateChange(event("Down", "a", AlertState.INACTIVE, AlertState.PENDING, t));
      h.onStateChange(event("Slow", "a", AlertState.INACTIVE, AlertState.PENDING, t + 10));
      h.onStateChange(event("Down", "b", AlertState.INACTIVE, AlertState.PENDING, t + 20));
      h.onStateChange(event("Down", "a", AlertState.PENDING, AlertState.FIRING, t + 30));
      var down = List.of(List.of(LabelMatcher.equal("alertname", "Down")));
      assertThat(h.query(down, 0, Long.MAX_VALUE, 10)).hasSize(3);
      assertThat(h.query(down, t + 5, t + 25, 10))
          .extracting(e -> e.labels().get("instance"))
          .containsExactly("b");
      assertThat(h.query(down, 0, Long.MAX_VALUE, 2))
          .extracting(HistoryEntry::timestampMs)
          .containsExactly(t + 30, t + 20);
      var either =
          List.of(
              List.of(LabelMatcher.equal("alertname", "Slow")),
              List.of(LabelMatcher.equal("instance", "b")));
      assertThat(h.query(either, 0, Long.MAX_VALUE, 10)).hasSize(2);
    }
  }

  @Test
  void moreChangesThanTheLimitInTheWindow_isFlapping_andLeavesWithTheWindow() throws IOException {
    AlertHistory.Builder b = AlertHistory.builder(dir).flapping(3, Duration.ofMinutes(10));
    Labels a = Labels.of("alertname", "Down", "instance", "a");
    try (AlertHistory h = open(b)) {
      AlertState[] cycle = {AlertState.INACTIVE, AlertState.PENDING, AlertState.FIRING};
      for (int i = 0; i < 3; i++) {
        h.onStateChange(event("Down", "a", cycle[i % 3], cycle[(i + 1) % 3], now.get() + i));
      }
      assertThat(h.isFlapping(a)).isFalse();
      h.onStateChange(event("Down", "a", AlertState.INACTIVE, AlertState.PENDING, now.get() + 3));
      assertThat(h.isFlapping(a)).isTrue();
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 1).get(0).flapping()).isTrue();
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 2).get(1).flapping()).isFalse();
      assertThat(h.isFlapping(Labels.of("alertname", "Down", "instance", "b"))).isFalse();
    }
    try (AlertHistory h = open(b)) {
      assertThat(h.isFlapping(a)).as("rebuilt from the log").isTrue();
      now.addAndGet(Duration.ofMinutes(10).toMillis());
      assertThat(h.isFlapping(a)).isFalse();
    }
  }

  @Test
  void restoredAlertAfterARestart_isNotRecordedAsNew_butALaterResolutionIs() throws IOException {
    long t = now.get();
    long activeAt = t - 1000;
    try (AlertHistory h = open()) {
      h.onStateChange(event("Down", "a", AlertState.INACTIVE, AlertState.PENDING, t));
      h.onStateChange(event("Down", "a", AlertState.PENDING, AlertState.FIRING, t + 500));
      h.onStateChange(event("Down", "b", AlertState.INACTIVE, AlertState.PENDING, t));
    }
    try (AlertHistory h = open()) {
      // The engine restores both with their activeAt (whole seconds), then fires them again.
      // As the engine does it: pending as new at the first evaluation, restored activeAt after.
      h.onStateChange(restored("a", AlertState.INACTIVE, AlertState.PENDING, t + 9000, t + 9000));
      h.onStateChange(restored("a", AlertState.PENDING, AlertState.FIRING, t + 9500, activeAt));
      h.onStateChange(restored("b", AlertState.INACTIVE, AlertState.PENDING, t + 9000, activeAt));
      h.onStateChange(restored("b", AlertState.PENDING, AlertState.FIRING, t + 9500, activeAt));
      h.onStateChange(restored("a", AlertState.FIRING, AlertState.INACTIVE, t + 9900, activeAt));
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 10))
          .extracting(e -> e.labels().get("instance") + " " + e.from() + ">" + e.to())
          .containsExactly(
              "a FIRING>INACTIVE",
              "b PENDING>FIRING",
              "a PENDING>FIRING",
              "b INACTIVE>PENDING",
              "a INACTIVE>PENDING");
    }
  }

  private static AlertEvent restored(
      String instance, AlertState from, AlertState to, long t, long activeAt) {
    return new AlertEvent(
        "g",
        "rules.yml",
        Labels.of("alertname", "Down", "instance", instance),
        Map.of(),
        1,
        from,
        to,
        t,
        activeAt / 1000 * 1000);
  }

  @Test
  void alertThatEndedWhileDown_andStartsAgain_isRecordedAsNew() throws IOException {
    long t = now.get();
    try (AlertHistory h = open()) {
      h.onStateChange(restored("a", AlertState.INACTIVE, AlertState.PENDING, t, t));
      h.onStateChange(restored("a", AlertState.PENDING, AlertState.FIRING, t + 500, t));
    }
    try (AlertHistory h = open()) {
      long again = t + 3_600_000;
      h.onStateChange(restored("a", AlertState.INACTIVE, AlertState.PENDING, again, again));
      h.onStateChange(restored("a", AlertState.PENDING, AlertState.FIRING, again + 500, again));
      assertThat(h.query(List.of(), 0, Long.MAX_VALUE, 10))
          .extracting(e -> e.from() + ">" + e.to() + "@" + (e.timestampMs() - t))
          .containsExactly(
              "PENDING>FIRING@3600500",
              "INACTIVE>PENDING@3600000",
              "PENDING>FIRING@500",
              "INACTIVE>PENDING@0");
    }
  }

  @Test
  void unknownRecordKinds_areSkipped() throws IOException {
    try (AlertHistory h = open()) {
      h.onStateChange(event("Down", "a", AlertState.INACTIVE, AlertState.PENDING, now.get()));
    }
    HistoryLog log = new HistoryLog(dir, 1 << 20, true, m -> {});
    log.open();
    log.append("{\"kind\":\"notified\",\"ref\":1,\"to\":[\"pager\"]}".getBytes());
    // A change of a later version: unknown fields, and objects where this one has strings.
    log.append(
        ("{\"kind\":\"change\",\"id\":2,\"t\":1,\"from\":\"inactive\",\"to\":\"pending\","
                + "\"value\":\"2.5\",\"extra\":{\"a\":[1,{\"b\":2}]},\"labels\":{\"alertname\":\"X\"},"
                + "\"notified\":[\"mail\",{\"who\":\"pager\"}],\"group\":7}")
            .getBytes());
    log.close();
    try (AlertHistory h = open(AlertHistory.builder(dir).retention(Duration.ofDays(100000)))) {
      List<HistoryEntry> got = h.query(List.of(), 0, Long.MAX_VALUE, 10);
      assertThat(got).hasSize(2);
      HistoryEntry later = got.get(1); // t = 1: the oldest
      assertThat(later.alertname()).isEqualTo("X");
      assertThat(later.value()).isEqualTo(2.5);
      assertThat(later.notified()).containsExactly("mail");
      assertThat(later.group()).isEqualTo("7"); // a scalar of another type reads as its text
      assertThat(messages).isEmpty();
    }
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
