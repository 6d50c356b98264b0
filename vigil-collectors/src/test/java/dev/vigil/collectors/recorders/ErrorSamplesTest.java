package dev.vigil.collectors.recorders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.metrics.exposition.ExpositionFormat;
import dev.vigil.metrics.model.MetricSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code recordError} with an exception: cause chains, fingerprints, bounds, /metrics. */
class ErrorSamplesTest {
  private final AtomicLong millis = new AtomicLong(1_795_600_000_000L);

  private Recorders recorders(int max, int perType) {
    return Recorders.builder().clock(millis::get).errorSamples(max, perType).build();
  }

  private static String metrics(Recorders rec) {
    return ExpositionFormat.PROMETHEUS.writer().toString(new MetricSnapshots(rec.collect()));
  }

  private static double sample(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertThat(m.find()).as("%s in%n%s", series, text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** One throw site: the same fingerprint every call, whatever the message. */
  private static RuntimeException fromSiteA(String id) {
    return new UncheckedIOException(
        "query failed for order " + id, new IOException("read failed", timeout(id)));
  }

  private static SocketTimeoutException timeout(String id) {
    return new SocketTimeoutException("no answer from db-" + id);
  }

  private static RuntimeException fromSiteB() {
    return new IllegalStateException("pool closed");
  }

  @Test
  void recordError_withException_keepsCauseChainStackAndCounts_oneSamplePerFingerprint() {
    Recorders rec = recorders(200, 10);
    rec.recordError("db_timeout", null, "orders", "error", fromSiteA("1"));
    millis.addAndGet(5_000);
    rec.recordError("db_timeout", null, "orders", "error", fromSiteA("2"));

    List<ErrorSamples.Sample> samples = rec.errorSamples("db_timeout", 10);
    assertThat(samples).hasSize(1);
    ErrorSamples.Sample s = samples.get(0);
    assertThat(s.count()).isEqualTo(2);
    assertThat(s.firstSeenMillis()).isEqualTo(1_795_600_000_000L);
    assertThat(s.lastSeenMillis()).isEqualTo(1_795_600_005_000L);
    assertThat(s.fingerprint()).matches("[0-9a-f]{16}");
    assertThat(s.chain())
        .extracting(ErrorSamples.Cause::className)
        .containsExactly(
            "java.io.UncheckedIOException",
            "java.io.IOException",
            "java.net.SocketTimeoutException");
    // The last occurrence's messages; the frames start at the throw site.
    assertThat(s.chain().get(0).message()).isEqualTo("query failed for order 2");
    assertThat(s.chain().get(2).message()).isEqualTo("no answer from db-2");
    assertThat(s.chain().get(2).frames().get(0))
        .startsWith("dev.vigil.collectors.recorders.ErrorSamplesTest.timeout(");
    // The recent-error log gets the exception's own text when no message is given.
    assertThat(rec.recentErrors().get(1).message())
        .isEqualTo("java.io.UncheckedIOException: query failed for order 2");
    // Counted as any recorded error.
    assertThat(
            sample(
                metrics(rec),
                "app_errors_total{service=\"orders\",severity=\"error\",type=\"db_timeout\"}"))
        .isEqualTo(2);
  }

  @Test
  void causes_leaveOutTheFramesTheyShareWithTheWrappingException_asTheJvmPrintsThem() {
    StackTraceElement main = new StackTraceElement("com.app.Main", "main", "Main.java", 10);
    StackTraceElement run = new StackTraceElement("com.app.Jobs", "run", "Jobs.java", 20);
    Exception root = new java.io.IOException("disk full");
    root.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement("com.app.Disk", "write", "Disk.java", 30), run, main
        });
    Exception outer = new IllegalStateException("job failed", root);
    outer.setStackTrace(new StackTraceElement[] {run, main});
    Recorders rec = recorders(200, 10);
    rec.recordError("job", null, "batch", "error", outer);
    List<ErrorSamples.Cause> chain = rec.errorSamples("job", 1).get(0).chain();
    assertThat(chain.get(0).frames()).hasSize(2);
    assertThat(chain.get(1).frames()).containsExactly("com.app.Disk.write(Disk.java:30)");
    assertThat(chain.get(1).framesOmitted()).isEqualTo(2);
  }

  @Test
  void differentThrowSites_areDifferentFingerprints_andFingerprintsAreNoLabels() {
    Recorders rec = recorders(200, 10);
    for (int i = 0; i < 20; i++) {
      rec.recordError("db_timeout", null, "orders", "error", fromSiteA("x" + i));
    }
    millis.addAndGet(1000);
    rec.recordError("db_timeout", null, "orders", "error", fromSiteB());
    assertThat(rec.errorSamples("db_timeout", 10)).hasSize(2);
    assertThat(rec.errorSamples(null, 1)).hasSize(1); // limit; most recent first
    assertThat(rec.errorSamples(null, 1).get(0).chain().get(0).className())
        .isEqualTo("java.lang.IllegalStateException");
    String text = metrics(rec);
    assertThat(text).doesNotContain(rec.errorSamples(null, 1).get(0).fingerprint());
    assertThat(text.lines().filter(l -> l.startsWith("app_errors_total{"))).hasSize(1);
    assertThat(sample(text, "app_error_samples")).isEqualTo(2);
  }

  @Test
  void fingerprint_ignoresLineNumbersAndLambdaNumbers() {
    Exception a = new IllegalStateException("a");
    a.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement(
              "com.shop.Orders$$Lambda/0x0000007001234", "run", "Orders.java", 40),
          new StackTraceElement("com.shop.Orders", "load", "Orders.java", 41),
        });
    Exception b = new IllegalStateException("b");
    b.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement(
              "com.shop.Orders$$Lambda/0x0000007009999", "run", "Orders.java", 90),
          new StackTraceElement("com.shop.Orders", "load", "Orders.java", 97),
        });
    Exception c = new IllegalStateException("c");
    c.setStackTrace(
        new StackTraceElement[] {new StackTraceElement("com.shop.Orders", "save", "O.java", 41)});
    assertThat(ErrorSamples.fingerprint("t", List.of(a)))
        .isEqualTo(ErrorSamples.fingerprint("t", List.of(b)))
        .isNotEqualTo(ErrorSamples.fingerprint("t", List.of(c)))
        .isNotEqualTo(ErrorSamples.fingerprint("u", List.of(a)));
  }

  @Test
  void bounds_evictLeastRecentlySeen_perTypeAndInAll_countedInMetrics() {
    Recorders rec = recorders(3, 2);
    // Three distinct fingerprints of one type: the per-type bound (2) evicts the oldest.
    for (int i = 0; i < 3; i++) {
      millis.addAndGet(1000);
      rec.recordError("t1", null, "svc", "error", distinct(i));
    }
    assertThat(rec.errorSamples("t1", 10))
        .extracting(s -> s.chain().get(0).message())
        .containsExactly("site 2", "site 1");
    // Two more types: the bound in all (3) evicts the least recently seen.
    millis.addAndGet(1000);
    rec.recordError("t2", null, "svc", "error", distinct(10));
    millis.addAndGet(1000);
    rec.recordError("t3", null, "svc", "error", distinct(11));
    assertThat(rec.errorSamples(null, 10))
        .extracting(ErrorSamples.Sample::type)
        .containsExactly("t3", "t2", "t1");
    assertThat(rec.errorSamples("t1", 10).get(0).chain().get(0).message()).isEqualTo("site 2");
    String text = metrics(rec);
    assertThat(sample(text, "app_error_samples_evicted_total")).isEqualTo(2);
    assertThat(sample(text, "app_error_samples")).isEqualTo(3);
  }

  /** An exception whose top frame differs by {@code i}: a distinct fingerprint per i. */
  private static Exception distinct(int i) {
    Exception e = new IllegalStateException("site " + i);
    e.setStackTrace(
        new StackTraceElement[] {new StackTraceElement("com.app.C" + i, "m", "C.java", 1)});
    return e;
  }

  @Test
  void errorSampleMessagesOff_keepsClassesAndFramesOnly() {
    Recorders rec = Recorders.builder().errorSampleMessages(false).build();
    rec.recordError("db_timeout", null, "orders", "error", fromSiteA("secret-42"));
    ErrorSamples.Sample s = rec.errorSamples(null, 10).get(0);
    assertThat(s.chain()).allSatisfy(c -> assertThat(c.message()).isNull());
    assertThat(s.chain().get(0).frames()).isNotEmpty();
    assertThat(rec.recentErrors().get(0).message()).isEqualTo("java.io.UncheckedIOException");
  }

  @Test
  void cyclicCauses_andDeepChains_stayBounded_keepingTheRootCause() {
    Recorders rec = recorders(200, 10);
    IllegalStateException a = new IllegalStateException("a");
    IllegalArgumentException b = new IllegalArgumentException("b", a);
    a.initCause(b);
    rec.recordError("cycle", null, "svc", "error", a);
    assertThat(rec.errorSamples("cycle", 1).get(0).chain()).hasSize(2);

    Throwable deep = new ArithmeticException("root");
    for (int i = 0; i < 50; i++) {
      deep = new RuntimeException("wrap " + i, deep);
    }
    rec.recordError("deep", null, "svc", "error", deep);
    List<ErrorSamples.Cause> chain = rec.errorSamples("deep", 1).get(0).chain();
    assertThat(chain).hasSize(ErrorSamples.Limits.DEFAULTS.maxCauses());
    assertThat(chain.get(chain.size() - 1).className()).isEqualTo("java.lang.ArithmeticException");
  }

  @Test
  void concurrentRecords_ofOneFingerprint_areAllCounted() throws Exception {
    Recorders rec = recorders(200, 10);
    int threads = 8;
    int each = 2_000;
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<Thread> workers = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < each; i++) {
                      rec.recordError("db_timeout", null, "w" + id, "error", fromSiteA("" + i));
                    }
                  }));
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    List<ErrorSamples.Sample> samples = rec.errorSamples("db_timeout", 10);
    assertThat(samples).hasSize(1);
    assertThat(samples.get(0).count()).isEqualTo((long) threads * each);
  }

  @Test
  void badInput_isRefusedWithTheArgumentNamed() {
    Recorders rec = recorders(200, 10);
    assertThatThrownBy(() -> rec.errorSamples(null, 0)).hasMessageContaining("limit");
    assertThatThrownBy(() -> Recorders.builder().errorSamples(0, 1).build())
        .hasMessageContaining("maxFingerprints");
    assertThatThrownBy(() -> rec.recordError("", null, "svc", "error", new RuntimeException()))
        .hasMessageContaining("recordError: type");
  }
}
