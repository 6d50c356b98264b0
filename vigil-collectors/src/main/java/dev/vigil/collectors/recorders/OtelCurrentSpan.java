package dev.vigil.collectors.recorders;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.function.Supplier;

/** Reads {@code Span.current()}; loaded only when opentelemetry-api is present (CurrentSpan). */
final class OtelCurrentSpan implements Supplier<CurrentSpan.Ids> {
  OtelCurrentSpan() {}

  @Override
  public CurrentSpan.Ids get() {
    SpanContext c = Span.current().getSpanContext();
    if (!c.isValid() || !c.isSampled()) {
      return null;
    }
    return new CurrentSpan.Ids(c.getTraceId(), c.getSpanId());
  }
}
