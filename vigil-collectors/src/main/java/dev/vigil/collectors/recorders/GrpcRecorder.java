package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Metric;
import java.util.List;
import java.util.Set;

/**
 * gRPC calls beside their API-request view: the gRPC status code by name and the messages each way,
 * which streams need and an HTTP status cannot carry.
 */
final class GrpcRecorder {
  /** The canonical gRPC status codes (grpc/status.proto); anything else is refused. */
  static final Set<String> CODES =
      Set.of(
          "OK",
          "CANCELLED",
          "UNKNOWN",
          "INVALID_ARGUMENT",
          "DEADLINE_EXCEEDED",
          "NOT_FOUND",
          "ALREADY_EXISTS",
          "PERMISSION_DENIED",
          "RESOURCE_EXHAUSTED",
          "FAILED_PRECONDITION",
          "ABORTED",
          "OUT_OF_RANGE",
          "UNIMPLEMENTED",
          "INTERNAL",
          "UNAVAILABLE",
          "DATA_LOSS",
          "UNAUTHENTICATED");

  /** The four kinds of gRPC method, named as grpc-java's MethodType in lower case. */
  static final Set<String> TYPES =
      Set.of("unary", "client_streaming", "server_streaming", "bidi_streaming", "unknown");

  final Counter calls;
  final Counter received;
  final Counter sent;

  GrpcRecorder(Names n) {
    calls =
        Counter.builder()
            .name(n.of("grpc_calls_total"))
            .help(
                "gRPC calls by service, endpoint (full method name), method type and gRPC status code.")
            .labelNames("service", "endpoint", "type", "code")
            .build();
    received =
        Counter.builder()
            .name(n.of("grpc_messages_received_total"))
            .help("gRPC messages received by the calls of the endpoint.")
            .labelNames("service", "endpoint", "type")
            .build();
    sent =
        Counter.builder()
            .name(n.of("grpc_messages_sent_total"))
            .help("gRPC messages sent by the calls of the endpoint.")
            .labelNames("service", "endpoint", "type")
            .build();
  }

  List<Metric> metrics() {
    return List.of(calls, received, sent);
  }

  void record(
      String service,
      String endpoint,
      String type,
      String code,
      long messagesIn,
      long messagesOut) {
    final String m = "recordGrpcCall";
    Check.label(m, "service", service);
    Check.label(m, "endpoint", endpoint);
    if (type == null || !TYPES.contains(type)) {
      throw new IllegalArgumentException(m + ": type must be one of " + TYPES + ", got " + type);
    }
    if (code == null || !CODES.contains(code)) {
      throw new IllegalArgumentException(
          m + ": code must be a gRPC status code name (OK, CANCELLED, ...), got " + code);
    }
    Check.count(m, "messagesReceived", messagesIn);
    Check.count(m, "messagesSent", messagesOut);
    calls.labelValues(service, endpoint, type, code).inc();
    received.labelValues(service, endpoint, type).inc(messagesIn);
    sent.labelValues(service, endpoint, type).inc(messagesOut);
  }
}
