package dev.vigil.collectors.recorders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.exposition.ExpositionFormat;
import dev.vigil.metrics.model.MetricSnapshots;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;

/** API requests inside an OpenTelemetry span carry its ids as exemplars in OpenMetrics. */
class ApiExemplarsTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  private static String openMetrics(Recorders rec) {
    return ExpositionFormat.OPENMETRICS.writer().toString(new MetricSnapshots(rec.collect()));
  }

  private static Span span(TraceFlags flags) {
    return Span.wrap(SpanContext.create(TRACE, SPAN, flags, TraceState.getDefault()));
  }

  @Test
  void sampledCurrentSpan_becomesExemplarOfCounterAndHistogram() {
    Recorders rec = Recorders.builder().build();
    try (Scope ignored = span(TraceFlags.getSampled()).makeCurrent()) {
      rec.recordApiRequest("backend", "/users/{id}", "GET", 503, 0.2);
    }
    String text = openMetrics(rec);
    String ex = "# {span_id=\"" + SPAN + "\",trace_id=\"" + TRACE + "\"}";
    assertThat(text)
        .containsPattern(
            "app_api_requests_total\\{[^\\n]*status=\"503\"[^\\n]*\\} 1 \\Q" + ex + " 1 \\E")
        .containsPattern(
            "app_api_errors_total\\{[^\\n]*status=\"503\"[^\\n]*\\} 1 \\Q" + ex + " 1 \\E")
        .containsPattern(
            "app_api_request_duration_seconds_bucket\\{[^\\n]*le=\"0\\.25\"\\} 1 \\Q"
                + ex
                + " 0.2 \\E");
  }

  @Test
  void unsampledOrNoSpan_leavesNoExemplar() {
    Recorders rec = Recorders.builder().build();
    try (Scope ignored = span(TraceFlags.getDefault()).makeCurrent()) {
      rec.recordApiRequest("backend", "/users/{id}", "GET", 200, 0.2);
    }
    rec.recordApiRequest("backend", "/users/{id}", "GET", 200, 0.2);
    assertThat(openMetrics(rec)).contains("app_api_requests_total").doesNotContain("trace_id");
  }

  @Test
  void withoutOpenTelemetryOnTheClasspath_noSpanAndNoLinkageError() {
    ClassLoader bootOnly = new ClassLoader(null) {};
    assertThat(CurrentSpan.detect(bootOnly).get()).isNull();
    assertThat(CurrentSpan.detect(ApiExemplarsTest.class.getClassLoader()))
        .isInstanceOf(OtelCurrentSpan.class);
  }
}
