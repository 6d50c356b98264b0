package dev.vigil.collectors.recorders;

import static dev.vigil.collectors.Snapshots.histogram;
import static dev.vigil.collectors.Snapshots.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.metrics.exposition.ExpositionFormat;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricSnapshots;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampling of the recorders' events and exemplars: the events logs and exemplars keep the share the
 * rate says (decided by an injected random source, so exactly), while counters and histograms count
 * every call.
 */
class SamplingTest {

  /** Cycles through {@code values}; counts the draws. */
  private static final class Sequence implements DoubleSupplier {
    final double[] values;
    final AtomicInteger draws = new AtomicInteger();

    Sequence(double... values) {
      this.values = values;
    }

    @Override
    public double getAsDouble() {
      return values[draws.getAndIncrement() % values.length];
    }
  }

  private static String openMetrics(Recorders rec) {
    return ExpositionFormat.OPENMETRICS.writer().toString(new MetricSnapshots(rec.collect()));
  }

  @Test
  void fileEvents_atHalf_keepEveryOtherEvent_whileTheCountersCountAll(@TempDir Path dir)
      throws Exception {
    Path events = dir.resolve("events.jsonl");
    Sequence random = new Sequence(0.25, 0.75); // kept, dropped, kept, ...
    Recorders rec =
        Recorders.builder()
            .fileEventsLog(events)
            .clock(() -> 0)
            .sampling("files", 0.5)
            .samplingRandom(random)
            .build();
    for (int i = 0; i < 10; i++) {
      rec.recordFileOperation("write", "/data/f-" + i, 100, 0.01, true, null);
    }
    List<MetricSnapshot> s = rec.collect();
    rec.close();
    assertThat(value(s, "app_file_operations", "operation", "write", "status", "success"))
        .isEqualTo(10);
    assertThat(histogram(s, "app_file_size_bytes", "operation", "write").count()).isEqualTo(10);
    assertThat(Files.readAllLines(events))
        .hasSize(5)
        .allMatch(l -> l.matches(".*\"path\":\"/data/f-[02468]\".*"));
    assertThat(random.draws).hasValue(10);
    assertThat(rec.samplingRate("files")).isEqualTo(0.5);
    assertThat(rec.samplingRate("errors")).isEqualTo(1.0);
  }

  @Test
  void sampling_changedWhileRecording_appliesToTheNextEvents_andCountersStayExact() {
    Sequence random = new Sequence(0.25, 0.75);
    Recorders rec = Recorders.builder().clock(() -> 0).samplingRandom(random).build();
    for (int i = 0; i < 4; i++) {
      rec.recordError("timeout", "call " + i, "api", "error");
    }
    assertThat(rec.recentErrors()).hasSize(4);
    assertThat(random.draws).hasValue(0); // rate 1 draws nothing

    rec.sampling(1.0, java.util.Map.of("errors", 0.5));
    for (int i = 4; i < 8; i++) {
      rec.recordError("timeout", "call " + i, "api", "error");
    }
    assertThat(rec.samplingRate("errors")).isEqualTo(0.5);
    assertThat(rec.samplingRate("files")).isEqualTo(1.0);
    assertThat(rec.recentErrors()).hasSize(6); // 4, then every other one of the next 4
    assertThat(
            value(
                rec.collect(),
                "app_errors",
                "type",
                "timeout",
                "service",
                "api",
                "severity",
                "error"))
        .isEqualTo(8);

    // Back to every event; a bad rate or recorder changes nothing.
    rec.sampling(1.0, java.util.Map.of());
    assertThat(rec.samplingRate("errors")).isEqualTo(1.0);
    assertThatThrownBy(() -> rec.sampling(0.5, java.util.Map.of("models", 0.1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown recorder 'models'");
    assertThatThrownBy(() -> rec.sampling(0.5, java.util.Map.of("files", 2.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sampling(files)");
    assertThat(rec.samplingRate("api")).isEqualTo(1.0);
  }

  @Test
  void errorsAtZero_keepNoLogEntry_butCountAndRateStayExact() {
    Recorders rec = Recorders.builder().sampling("errors", 0).build();
    for (int i = 0; i < 3; i++) {
      rec.recordError("timeout", "no answer", "comfyui", "error");
    }
    assertThat(
            value(
                rec.collect(),
                "app_errors",
                "type",
                "timeout",
                "service",
                "comfyui",
                "severity",
                "error"))
        .isEqualTo(3);
    assertThat(rec.errorsLastMinute()).isEqualTo(3);
    assertThat(rec.recentErrors()).isEmpty();
  }

  @Test
  void spans_unsampledOnesAreTimedButNotLoggedNorExemplars_andAChildFollowsItsParent() {
    Sequence random = new Sequence(0.95, 0.05); // first root dropped, second kept
    Recorders rec = Recorders.builder().sampling("spans", 0.1).samplingRandom(random).build();
    try (Span dropped = rec.measureDuration("plan", null)) {
      try (Span child = rec.measureDuration("plan_step", null)) {
        assertThat(child.sampled()).isFalse();
      }
      assertThat(dropped.sampled()).isFalse();
    }
    try (Span kept = rec.measureDuration("plan", null)) {
      try (Span child = rec.measureDuration("plan_step", null)) {
        assertThat(child.sampled()).isTrue();
      }
      assertThat(kept.sampled()).isTrue();
    }
    // Children draw nothing: one number per root span.
    assertThat(random.draws).hasValue(2);
    List<MetricSnapshot> s = rec.collect();
    HistogramDataPoint plan =
        histogram(s, "app_operation_duration_seconds", "operation", "plan", "status", "ok");
    assertThat(plan.count()).isEqualTo(2);
    assertThat(rec.recentSpans()).extracting(Span::name).containsExactly("plan_step", "plan");
    assertThat(rec.recentSpans()).allMatch(Span::sampled);
    // The kept trace's exemplar is the only one (the exemplar rate limit lets the first through).
    String text = openMetrics(rec);
    String keptTrace = rec.recentSpans().get(1).traceId();
    assertThat(text).contains("trace_id=\"" + keptTrace + "\"");
    assertThat(text.split("trace_id=", -1)).hasSize(2);
  }

  @Test
  void apiExemplars_atZero_areOff_evenInASampledOpenTelemetrySpan() {
    Recorders rec = Recorders.builder().sampling("api", 0).build();
    SpanContext ctx =
        SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    try (Scope ignored = io.opentelemetry.api.trace.Span.wrap(ctx).makeCurrent()) {
      rec.recordApiRequest("backend", "/users/{id}", "GET", 503, 0.2);
    }
    String text = openMetrics(rec);
    assertThat(text)
        .containsPattern("app_api_requests_total\\{[^\\n]*status=\"503\"[^\\n]*\\} 1\\n")
        .doesNotContain("trace_id");
  }

  @Test
  void everythingAtOne_drawsNoRandomNumber() {
    Recorders rec =
        Recorders.builder()
            .samplingRandom(
                () -> {
                  throw new AssertionError("rate 1 must not draw");
                })
            .build();
    rec.recordError("timeout", "x", "api", "error");
    rec.recordFinding("linter", "high", "x");
    rec.measureDuration("op", null).close();
    assertThat(rec.recentErrors()).hasSize(1);
    assertThat(rec.recentSpans()).hasSize(1);
    assertThat(rec.recentQualityEvents()).hasSize(1);
  }

  @Test
  void defaultRate_appliesToEveryRecorder_andAPerRecorderRateOverridesIt() {
    Recorders rec = Recorders.builder().sampling(0.1).sampling("errors", 1).build();
    assertThat(rec.samplingRate("files")).isEqualTo(0.1);
    assertThat(rec.samplingRate("spans")).isEqualTo(0.1);
    assertThat(rec.samplingRate("quality")).isEqualTo(0.1);
    assertThat(rec.samplingRate("errors")).isEqualTo(1.0);
  }

  @Test
  void badRatesAndRecorders_areRefusedNamingTheProblem() {
    assertThatThrownBy(() -> Recorders.builder().sampling(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 0 (no events) and 1")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> Recorders.builder().sampling(Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> Recorders.builder().sampling("files", -0.1))
        .hasMessageContaining("sampling(files)");
    assertThatThrownBy(() -> Recorders.builder().sampling("sessions", 0.1))
        .hasMessageContaining("unknown recorder 'sessions'")
        .hasMessageContaining("api, errors, files, spans, quality");
    assertThatThrownBy(() -> Recorders.builder().build().samplingRate("nope"))
        .hasMessageContaining("unknown recorder 'nope'");
  }
}
