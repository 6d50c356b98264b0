package dev.vigil.collectors.recorders;

import java.util.function.Supplier;

/**
 * The trace and span id of the current OpenTelemetry span, when opentelemetry-api is on the
 * classpath and the span is valid and sampled; otherwise null. Without opentelemetry-api nothing of
 * it is loaded: {@link OtelCurrentSpan} is only touched after {@code io.opentelemetry.api.trace
 * .Span} was found, so no {@code NoClassDefFoundError} can reach a recorder.
 */
final class CurrentSpan {
  /** A trace id and span id, both lower-case hex. */
  record Ids(String traceId, String spanId) {}

  private static final Supplier<Ids> SOURCE = detect(CurrentSpan.class.getClassLoader());

  private CurrentSpan() {}

  /** The current sampled span's ids, or null. */
  static Ids ids() {
    return SOURCE.get();
  }

  /** The span source {@code loader} can offer: OpenTelemetry's, or one that always says null. */
  @SuppressWarnings("unchecked")
  static Supplier<Ids> detect(ClassLoader loader) {
    try {
      Class.forName("io.opentelemetry.api.trace.Span", false, loader);
      Class<?> c =
          Class.forName(CurrentSpan.class.getPackageName() + ".OtelCurrentSpan", true, loader);
      Supplier<Ids> source = (Supplier<Ids>) c.getDeclaredConstructor().newInstance();
      // One call now: an incomplete OpenTelemetry (the API without opentelemetry-context or
      // -common) fails here with a LinkageError, not later in a recorder.
      source.get();
      return source;
    } catch (ReflectiveOperationException | LinkageError e) {
      return () -> null;
    }
  }
}
