package dev.vigil.notify.nflog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationLogTest {
  static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
  @TempDir Path dir;

  NotificationLog open(Instant now) throws Exception {
    return NotificationLog.open(
        dir.resolve("nflog.log"),
        Clock.fixed(now, ZoneOffset.UTC),
        NotificationLog.DEFAULT_RETENTION);
  }

  @Test
  void record_reopen_findsDeliveryByValue_failureKeepsTheLastDelivery() throws Exception {
    try (NotificationLog l = open(T0)) {
      l.record("{}:{alertname=\"X\"}", "team/webhook/0", List.of(1L, 2L), List.of(), null);
    }
    try (NotificationLog l = open(T0.plusSeconds(60))) {
      l.record("{}:{alertname=\"X\"}", "team/webhook/0", List.of(), List.of(1L, 2L), "HTTP 500");
    }
    try (NotificationLog l = open(T0.plusSeconds(120))) {
      NotificationLog.Entry e = l.query("{}:{alertname=\"X\"}", "team/webhook/0").orElseThrow();
      assertThat(e.delivered()).isEqualTo(T0);
      assertThat(e.firingAlerts()).containsExactlyInAnyOrder(1L, 2L);
      assertThat(e.lastAttempt()).isEqualTo(T0.plusSeconds(60));
      assertThat(e.lastError()).isEqualTo("HTTP 500");
      assertThat(e.succeeded()).isFalse();
      l.record("{}:{alertname=\"X\"}", "team/webhook/0", List.of(), List.of(1L, 2L), null);
    }
    try (NotificationLog l = open(T0.plusSeconds(180))) {
      NotificationLog.Entry e = l.query("{}:{alertname=\"X\"}", "team/webhook/0").orElseThrow();
      assertThat(e.allResolved()).isTrue();
      assertThat(e.resolvedAlerts()).containsExactlyInAnyOrder(1L, 2L);
      assertThat(l.query("{}:{alertname=\"X\"}", "other/email/0")).isEmpty();
    }
  }

  @Test
  void entries_expireAfterRetention() throws Exception {
    try (NotificationLog l = open(T0)) {
      l.record("g1", "r", List.of(1L), List.of(), null);
    }
    try (NotificationLog l = open(T0.plus(Duration.ofHours(120)))) {
      assertThat(l.entries()).hasSize(1);
    }
    try (NotificationLog l = open(T0.plus(Duration.ofHours(120)).plusMillis(1))) {
      assertThat(l.entries()).isEmpty();
    }
  }

  @Test
  void manyRecords_compacted_sizeStaysBounded() throws Exception {
    try (NotificationLog l = open(T0)) {
      for (int i = 0; i < 5000; i++) {
        l.record("g" + (i % 10), "r", List.of((long) i), List.of(), null);
      }
    }
    long size = java.nio.file.Files.size(dir.resolve("nflog.log"));
    assertThat(size).isLessThan(300L * 120);
    try (NotificationLog l = open(T0)) {
      assertThat(l.entries()).hasSize(10);
      assertThat(l.query("g9", "r").orElseThrow().firingAlerts()).containsExactly(4999L);
    }
  }
}
