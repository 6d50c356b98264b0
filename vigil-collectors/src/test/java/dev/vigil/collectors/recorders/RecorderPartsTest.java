package dev.vigil.collectors.recorders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderPartsTest {

  @Test
  void errorLog_keepsLastNOldestFirst_andCutsLongMessages() {
    ErrorLog log = new ErrorLog(3);
    for (int i = 0; i < 5; i++) {
      log.add(new ErrorLog.Entry(i, "t" + i, "m", "s", "error"));
    }
    assertThat(log.recent()).extracting(ErrorLog.Entry::type).containsExactly("t2", "t3", "t4");
    assertThat(log.total()).isEqualTo(5);
    ErrorLog.Entry big = new ErrorLog.Entry(0, "t", "x".repeat(5000), "s", "error");
    assertThat(big.message()).hasSize(ErrorLog.MAX_MESSAGE_CHARS);
    assertThatThrownBy(() -> new ErrorLog(0)).hasMessageContaining("capacity");
  }

  @Test
  void rateWindow_countsOnlyTheLastMinute() {
    AtomicLong now = new AtomicLong(1_000_000);
    RateWindow w = new RateWindow(now::get);
    w.add();
    w.add();
    now.addAndGet(30_000);
    w.add();
    assertThat(w.lastMinute()).isEqualTo(3);
    now.addAndGet(31_000);
    assertThat(w.lastMinute()).isEqualTo(1);
    now.addAndGet(120_000);
    assertThat(w.lastMinute()).isZero();
  }

  @Test
  void filePaths_normalize_absoluteOneSeparatorNoControlChars() {
    String cwd = Path.of("").toAbsolutePath().toString();
    assertThat(FilePaths.normalize("data\\..\\logs/./app.log")).isEqualTo(cwd + "/logs/app.log");
    assertThat(FilePaths.normalize("/a//b/../c")).isEqualTo("/a/c");
    assertThat(FilePaths.normalize("/tmp/bad\u0000name\n")).isEqualTo("/tmp/bad?name?");
    assertThat(FilePaths.normalize("C:\\Users\\me\\f.txt")).isEqualTo("C:/Users/me/f.txt");
    assertThat(FilePaths.normalize("/tmp/" + "x".repeat(10_000))).hasSize(FilePaths.MAX_CHARS + 1);
    assertThat(FilePaths.normalize("/")).isEqualTo("/");
    assertThat(FilePaths.normalize("/a/b/")).isEqualTo("/a/b");
    assertThat(FilePaths.normalize("/a/./b")).isEqualTo("/a/b");
    assertThat(FilePaths.normalize("/a/..")).isEqualTo("/");
    assertThat(FilePaths.normalize("/a/.hidden/..x")).isEqualTo("/a/.hidden/..x");
    for (String p : List.of("/", "/a", "/a/b.c", "/.x", "/a/...")) {
      assertThat(FilePaths.isNormal(p)).as(p).isTrue();
      assertThat(FilePaths.normalize(p)).isSameAs(p);
    }
    for (String p : List.of("a", "/a/", "//a", "/a//b", "/./a", "/a/..", "/a\\b", "/a\tb")) {
      assertThat(FilePaths.isNormal(p)).as(p).isFalse();
    }
    assertThatThrownBy(() -> FilePaths.normalize("")).hasMessageContaining("null or empty");
    assertThatThrownBy(() -> FilePaths.normalize(null)).hasMessageContaining("null or empty");
  }

  @Test
  void jsonText_escapesAndFormatsUtcTimestamps() {
    StringBuilder b = new StringBuilder();
    JsonText.string(b, "a\"b\\c\n\u0001é");
    assertThat(b.toString()).isEqualTo("\"a\\\"b\\\\c\\n\\u0001é\"");
    b.setLength(0);
    JsonText.isoTime(b, 1_795_610_175_042L);
    assertThat(b.toString())
        .isEqualTo(java.time.Instant.ofEpochMilli(1_795_610_175_042L).toString());
    b.setLength(0);
    JsonText.isoTime(b, 0);
    assertThat(b.toString()).isEqualTo("1970-01-01T00:00:00.000Z");
  }

  @Test
  void fileEventLog_writesSeedShapedJsonLines(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("events/file-events.jsonl");
    try (FileEventLog log = FileEventLog.builder(f).flushInterval(Duration.ofSeconds(60)).build()) {
      log.append("file_write", "/data/a \"b\".json", null, 512, true, null, 0);
      log.append("dir_operation", "/data", "create", -1, false, "permission denied", 1000);
    }
    List<String> lines = Files.readAllLines(f);
    assertThat(lines)
        .containsExactly(
            "{\"event\":\"file_write\",\"path\":\"/data/a \\\"b\\\".json\",\"size\":512,"
                + "\"timestamp\":\"1970-01-01T00:00:00.000Z\",\"status\":\"success\"}",
            "{\"event\":\"dir_operation\",\"path\":\"/data\",\"operation\":\"create\","
                + "\"timestamp\":\"1970-01-01T00:00:01.000Z\",\"status\":\"failure\","
                + "\"error\":\"permission denied\"}");
  }

  @Test
  void fileEventLog_rotatesBySize_andKeepsMaxFiles(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ev.jsonl");
    try (FileEventLog log =
        FileEventLog.builder(f)
            .maxBytes(300)
            .maxFiles(2)
            .flushInterval(Duration.ofHours(1))
            .build()) {
      for (int i = 0; i < 12; i++) {
        log.append("file_read", "/f" + i, null, i, true, null, 0);
        log.flush();
      }
    }
    assertThat(Files.size(f)).isLessThanOrEqualTo(300);
    assertThat(dir.resolve("ev.jsonl.1")).exists();
    assertThat(dir.resolve("ev.jsonl.2")).exists();
    assertThat(dir.resolve("ev.jsonl.3")).doesNotExist();
    assertThat(Files.readString(f)).contains("\"path\":\"/f11\"");
  }

  @Test
  void fileEventLog_fullBuffer_dropsAndCounts(@TempDir Path dir) {
    try (FileEventLog log =
        FileEventLog.builder(dir.resolve("e.jsonl"))
            .maxBufferedChars(100)
            .flushInterval(Duration.ofHours(1))
            .build()) {
      for (int i = 0; i < 10; i++) {
        log.append("file_read", "/some/long/path/" + i, null, 1, true, null, 0);
      }
      assertThat(log.dropped()).isPositive();
    }
  }

  @Test
  void sessionTracker_startEndExpireAndLimit() {
    AtomicLong nanos = new AtomicLong();
    SessionTracker s = new SessionTracker(nanos::get, Duration.ofMinutes(30).toNanos(), 2);
    assertThat(s.start("a")).isTrue();
    assertThat(s.start("a")).isFalse();
    assertThat(s.start("b")).isTrue();
    assertThat(s.start("c")).isFalse(); // limit
    nanos.addAndGet(Duration.ofSeconds(90).toNanos());
    assertThat(s.end("a")).isEqualTo(90.0);
    assertThat(s.end("a")).isNaN();
    assertThat(s.active()).isEqualTo(1);
    nanos.addAndGet(Duration.ofMinutes(31).toNanos());
    List<Double> expired = new ArrayList<>();
    assertThat(s.expireIdle(expired::add)).isEqualTo(1);
    assertThat(expired).containsExactly(0.0);
    assertThat(s.active()).isZero();
  }

  @Test
  void sessionTracker_agentFamilies() {
    assertThat(SessionTracker.agentFamily("Mozilla/5.0 (X11) Chrome/120.0 Safari/537.36"))
        .isEqualTo("chrome");
    assertThat(SessionTracker.agentFamily("Mozilla/5.0 Firefox/120.0")).isEqualTo("firefox");
    assertThat(SessionTracker.agentFamily("Googlebot/2.1")).isEqualTo("bot");
    assertThat(SessionTracker.agentFamily("curl/8.5")).isEqualTo("curl");
    assertThat(SessionTracker.agentFamily(null)).isEqualTo("unknown");
    assertThat(SessionTracker.agentFamily("Mozilla/5.0...")).isEqualTo("other");
  }

  @Test
  void span_nestsOnThread_keepsIdsAndAttributes() {
    List<Span> ended = new ArrayList<>();
    Span outer = new Span("outer", Map.of("phase", "impl"), 0, System.nanoTime(), ended::add);
    Span inner = new Span("inner", null, 0, System.nanoTime(), ended::add);
    assertThat(Span.current()).isSameAs(inner);
    assertThat(inner.traceId()).isEqualTo(outer.traceId()).hasSize(32);
    assertThat(inner.parentSpanId()).isEqualTo(outer.spanId());
    assertThat(outer.parentSpanId()).isNull();
    inner.attribute("lines", 100).close();
    inner.close();
    assertThat(Span.current()).isSameAs(outer);
    outer.error().close();
    assertThat(Span.current()).isNull();
    assertThat(ended).containsExactly(inner, outer);
    assertThat(inner.attributes()).containsEntry("lines", 100);
    assertThat(outer.attributes()).containsEntry("phase", "impl");
    assertThat(outer.failed()).isTrue();
    assertThat(outer.durationSeconds()).isGreaterThanOrEqualTo(inner.durationSeconds());
    SpanLog log = new SpanLog(1);
    log.add(inner);
    log.add(outer);
    assertThat(log.recent()).containsExactly(outer);
  }

  @Test
  void childCache_sharedBudget_boundsCachedKeysButStillAnswers() {
    java.util.concurrent.atomic.AtomicInteger budget =
        new java.util.concurrent.atomic.AtomicInteger(2);
    AtomicLong made = new AtomicLong();
    ChildCache<String> outer = new ChildCache<>(k -> k + made.incrementAndGet(), budget);
    ChildCache<String> inner = new ChildCache<>(k -> k + made.incrementAndGet(), budget);
    assertThat(outer.get("a")).isEqualTo("a1");
    assertThat(outer.get("a")).isEqualTo("a1"); // cached
    assertThat(inner.get("b")).isEqualTo("b2");
    assertThat(inner.get("c")).isEqualTo("c3"); // budget spent: built, not kept
    assertThat(inner.get("c")).isEqualTo("c4");
    assertThat(budget.get()).isZero();
  }
}
