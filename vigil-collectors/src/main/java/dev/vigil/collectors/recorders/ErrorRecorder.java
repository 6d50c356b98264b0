package dev.vigil.collectors.recorders;

import dev.vigil.metrics.CallbackCounter;
import dev.vigil.metrics.CallbackGauge;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Metric;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/** Error events: counters by type, service and severity; the recent-error ring; rate per minute. */
final class ErrorRecorder {
  /** Accepted severities, mildest first. */
  static final List<String> SEVERITIES = List.of("debug", "info", "warning", "error", "critical");

  final Counter errors;
  final Counter warnings;
  final CallbackGauge ratePerMinute;
  final ErrorLog log;
  final RateWindow window;
  final ErrorSamples samples;
  final CallbackCounter samplesEvicted;
  final CallbackGauge samplesKept;
  private final LongSupplier clockMillis;
  private final Sampler sampler;

  ErrorRecorder(
      Names n,
      int logCapacity,
      ErrorSamples.Limits limits,
      LongSupplier clockMillis,
      Sampler sampler) {
    this.clockMillis = clockMillis;
    this.sampler = sampler;
    this.log = new ErrorLog(logCapacity);
    this.samples = new ErrorSamples(limits);
    this.window = new RateWindow(clockMillis);
    errors =
        Counter.builder()
            .name(n.of("errors_total"))
            .help("Recorded errors by type, service and severity.")
            .labelNames("type", "service", "severity")
            .build();
    warnings =
        Counter.builder()
            .name(n.of("warnings_total"))
            .help("Recorded events of severity warning, by service.")
            .labelNames("service")
            .build();
    ratePerMinute =
        CallbackGauge.builder()
            .name(n.of("error_rate_per_minute"))
            .help("Errors of severity error or critical recorded in the last 60 seconds.")
            .callback(() -> window.lastMinute())
            .build();
    samplesEvicted =
        CallbackCounter.builder()
            .name(n.of("error_samples_evicted_total"))
            .help("Error stack-trace samples evicted to stay within the sample bounds.")
            .callback(() -> samples.evicted())
            .build();
    samplesKept =
        CallbackGauge.builder()
            .name(n.of("error_samples"))
            .help("Error stack-trace samples kept (one per fingerprint).")
            .callback(() -> samples.size())
            .build();
  }

  List<Metric> metrics() {
    return List.of(errors, warnings, ratePerMinute, samplesEvicted, samplesKept);
  }

  void record(String type, String message, String service, String severity) {
    record(type, message, service, severity, null);
  }

  /** Records the error; with a throwable, also its stack-trace sample. */
  void record(String type, String message, String service, String severity, Throwable error) {
    final String m = "recordError";
    Check.label(m, "type", type);
    Check.label(m, "service", service);
    String sev = severity(severity);
    if (error != null) {
      samples.add(type, service, error, clockMillis.getAsLong());
    }
    errors.labelValues(Scratch.of(type, service, sev)).inc();
    if (sev.equals("warning")) {
      warnings.labelValues(Scratch.of(service)).inc();
    } else if (sev.equals("error") || sev.equals("critical")) {
      window.add();
    }
    if (!sampler.sample()) {
      return; // counted above; only the recent-errors log is sampled
    }
    log.add(
        new ErrorLog.Entry(
            clockMillis.getAsLong(), type, message == null ? "" : message, service, sev));
  }

  private static String severity(String s) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException(
          "recordError: severity is null or empty; use one of " + SEVERITIES);
    }
    for (String known : SEVERITIES) {
      if (known.equals(s)) {
        return known;
      }
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("warn")) {
      return "warning";
    }
    for (String known : SEVERITIES) {
      if (known.equals(lower)) {
        return known;
      }
    }
    throw new IllegalArgumentException(
        "recordError: unknown severity '" + s + "'; use one of " + SEVERITIES);
  }
}
