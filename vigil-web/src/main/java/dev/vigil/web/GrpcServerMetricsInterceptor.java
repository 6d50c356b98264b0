package dev.vigil.web;

import dev.vigil.collectors.recorders.Recorders;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A grpc-java server interceptor that records every call as an API request of the vigil-collectors
 * recorders ({@code api_requests_total}, {@code api_errors_total}, {@code
 * api_request_duration_seconds}, {@code api_requests_in_flight}), so the dashboard's API pages show
 * gRPC beside HTTP, and records what only gRPC has with {@link Recorders#recordGrpcCall} ({@code
 * grpc_calls_total} by status code name, {@code grpc_messages_received_total}, {@code
 * grpc_messages_sent_total}).
 *
 * {@snippet :
 * Server server = NettyServerBuilder.forPort(9090)
 *     .addService(new CartService())
 *     .intercept(new GrpcServerMetricsInterceptor(recorders, "cart"))
 *     .build().start();
 * }
 *
 * <p>The route ({@code endpoint} label) is the full method name as its HTTP/2 path, {@code
 * /shop.Cart/AddItem}; the method is {@code POST}; the status is the HTTP status the gRPC code
 * stands for (OK 200, CANCELLED 499, INVALID_ARGUMENT 400, NOT_FOUND 404, UNAVAILABLE 503, UNKNOWN
 * 500, ...), and {@code grpc_calls_total} keeps the code itself. Routes are bounded: only the
 * methods of the services given, or else the first {@value #MAX_METHODS} method names seen (a
 * fallback handler registry may serve any name); any other is {@code unmatched}.
 *
 * <p>A call is recorded once, when the application closes it, when it is cancelled ({@code
 * CANCELLED}, or {@code DEADLINE_EXCEEDED} when its deadline passed), or when a handler throws
 * ({@code UNKNOWN}, as grpc-java answers). Inside a sampled OpenTelemetry span current where the
 * handler closes the call, the request's trace and span ids become its exemplar. Thread-safe.
 */
public final class GrpcServerMetricsInterceptor implements ServerInterceptor {
  /** The most distinct method names recorded when no services are given. */
  public static final int MAX_METHODS = 100;

  private final Recorders recorders;
  private final String service;
  private final GrpcCall.Routes routes;

  /**
   * Records into {@code recorders} under {@code service}, with the first {@value #MAX_METHODS}
   * method names as routes.
   */
  public GrpcServerMetricsInterceptor(Recorders recorders, String service) {
    this(recorders, service, null, MAX_METHODS);
  }

  /**
   * Records into {@code recorders} under {@code service}, with the methods of {@code services} as
   * routes and any other as {@code unmatched}.
   */
  public GrpcServerMetricsInterceptor(
      Recorders recorders, String service, ServerServiceDefinition... services) {
    this(recorders, service, methodsOf(services), 0);
  }

  private GrpcServerMetricsInterceptor(
      Recorders recorders, String service, Set<String> known, int max) {
    this.recorders = Objects.requireNonNull(recorders, "recorders");
    if (service == null || service.isEmpty()) {
      throw new IllegalArgumentException("GrpcServerMetricsInterceptor: service is null or empty");
    }
    this.service = service;
    this.routes = new GrpcCall.Routes(known, max);
  }

  private static Set<String> methodsOf(ServerServiceDefinition... services) {
    Set<String> names = new HashSet<>();
    for (ServerServiceDefinition s : Objects.requireNonNull(services, "services")) {
      for (ServerMethodDefinition<?, ?> m : s.getMethods()) {
        names.add(m.getMethodDescriptor().getFullMethodName());
      }
    }
    return names;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String route = routes.of(call.getMethodDescriptor().getFullMethodName());
    GrpcCall rec = new GrpcCall(recorders, service, route, call.getMethodDescriptor().getType());
    ServerCall<Q, R> recorded =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void sendMessage(R message) {
            super.sendMessage(message);
            rec.sent();
          }

          @Override
          public void close(Status status, Metadata trailers) {
            rec.finish(status.getCode());
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(recorded, headers);
    } catch (RuntimeException | Error e) {
      rec.finish(Status.Code.UNKNOWN);
      throw e;
    }
    return new Listener<>(listener, rec);
  }

  /** Counts messages in, and records cancellations and handlers that throw. */
  private static final class Listener<Q>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private final GrpcCall rec;

    Listener(ServerCall.Listener<Q> delegate, GrpcCall rec) {
      super(delegate);
      this.rec = rec;
    }

    @Override
    public void onMessage(Q message) {
      rec.received();
      guarded(() -> super.onMessage(message));
    }

    @Override
    public void onHalfClose() {
      guarded(super::onHalfClose);
    }

    @Override
    public void onReady() {
      guarded(super::onReady);
    }

    /** Runs a handler step; one that throws ends the call as UNKNOWN, as grpc-java closes it. */
    private void guarded(Runnable step) {
      try {
        step.run();
      } catch (RuntimeException | Error e) {
        rec.finish(Status.Code.UNKNOWN);
        throw e;
      }
    }

    @Override
    public void onCancel() {
      Deadline d = Context.current().getDeadline();
      rec.finish(
          d != null && d.isExpired() ? Status.Code.DEADLINE_EXCEEDED : Status.Code.CANCELLED);
      super.onCancel();
    }
  }
}
