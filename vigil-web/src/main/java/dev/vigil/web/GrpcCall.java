package dev.vigil.web;

import dev.vigil.collectors.recorders.ApiRequestScope;
import dev.vigil.collectors.recorders.Recorders;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One gRPC call being recorded, shared by the server and client interceptors: in the in-flight
 * gauge from its start, recorded once when it ends (closed with a status, cancelled, or failed in
 * the application), whichever comes first. Thread-safe: messages go each way on different threads.
 */
final class GrpcCall {
  private final Recorders recorders;
  private final String service;
  private final String route;
  private final String type;
  private final ApiRequestScope scope;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicBoolean done = new AtomicBoolean();

  GrpcCall(Recorders recorders, String service, String route, MethodDescriptor.MethodType type) {
    this.recorders = recorders;
    this.service = service;
    this.route = route;
    this.type = type.name().toLowerCase(Locale.ROOT);
    // gRPC runs over HTTP/2 POST: the API pages show the call as what it is on the wire.
    this.scope = recorders.startApiRequest(service, route, "POST");
  }

  void received() {
    received.incrementAndGet();
  }

  void sent() {
    sent.incrementAndGet();
  }

  /** Records the call with {@code code}; later calls do nothing. */
  void finish(Status.Code code) {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    // The API request first: it reads the current OpenTelemetry span for its exemplar.
    scope.status(httpStatus(code)).close();
    recorders.recordGrpcCall(service, route, type, code.name(), received.get(), sent.get());
  }

  /**
   * The HTTP status a gRPC code stands for (google/rpc/code.proto's mapping, as gRPC-HTTP gateways
   * answer), so the API pages' error rates (status 400 and more, 5xx) count gRPC failures too.
   */
  static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED -> 499;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case RESOURCE_EXHAUSTED -> 429;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
    };
  }

  /**
   * Full method names as routes, bounded: the known set when one is given, else the first {@code
   * max} names seen; every other name (and any longer than a label may be) is {@code unmatched}.
   */
  static final class Routes {
    /** The longest label value the recorders accept. */
    private static final int MAX_ROUTE_CHARS = 128;

    private final Set<String> known;
    private final int max;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    Routes(Set<String> known, int max) {
      this.known = known == null ? null : Set.copyOf(known);
      this.max = max;
    }

    String of(String fullMethodName) {
      if (fullMethodName == null
          || fullMethodName.isEmpty()
          || fullMethodName.length() + 1 > MAX_ROUTE_CHARS) {
        return ServletMetricsFilter.UNMATCHED;
      }
      if (known != null) {
        return known.contains(fullMethodName)
            ? "/" + fullMethodName
            : ServletMetricsFilter.UNMATCHED;
      }
      String r = seen.get(fullMethodName);
      if (r != null) {
        return r;
      }
      synchronized (seen) {
        r = seen.get(fullMethodName);
        if (r == null) {
          if (seen.size() >= max) {
            return ServletMetricsFilter.UNMATCHED;
          }
          r = "/" + fullMethodName;
          seen.put(fullMethodName, r);
        }
        return r;
      }
    }
  }
}
