package dev.vigil.web;

import dev.vigil.collectors.recorders.Recorders;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Objects;

/**
 * A grpc-java client interceptor that records every call this application makes, like {@link
 * GrpcServerMetricsInterceptor} records the calls it serves: {@code service} is the called service,
 * the route the full method name ({@code /shop.Cart/AddItem}), the status the HTTP status of the
 * gRPC code the call closed with ({@code grpc_calls_total} keeps the code), messages sent and
 * received counted.
 *
 * {@snippet :
 * Channel channel = ClientInterceptors.intercept(
 *     managedChannel, new GrpcClientMetricsInterceptor(recorders, "cart"));
 * }
 *
 * <p>The first {@value GrpcServerMetricsInterceptor#MAX_METHODS} method names called are routes,
 * later ones {@code unmatched}. A call that fails to start is recorded as {@code UNKNOWN}.
 * Thread-safe.
 */
public final class GrpcClientMetricsInterceptor implements ClientInterceptor {
  private final Recorders recorders;
  private final String service;
  private final GrpcCall.Routes routes =
      new GrpcCall.Routes(null, GrpcServerMetricsInterceptor.MAX_METHODS);

  /** Records into {@code recorders}, the calls labelled with the called {@code service}. */
  public GrpcClientMetricsInterceptor(Recorders recorders, String service) {
    this.recorders = Objects.requireNonNull(recorders, "recorders");
    if (service == null || service.isEmpty()) {
      throw new IllegalArgumentException("GrpcClientMetricsInterceptor: service is null or empty");
    }
    this.service = service;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      private GrpcCall rec;

      @Override
      public void start(Listener<R> listener, Metadata headers) {
        rec =
            new GrpcCall(
                recorders, service, routes.of(method.getFullMethodName()), method.getType());
        GrpcCall r = rec;
        try {
          super.start(
              new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                @Override
                public void onMessage(R message) {
                  r.received();
                  super.onMessage(message);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                  r.finish(status.getCode());
                  super.onClose(status, trailers);
                }
              },
              headers);
        } catch (RuntimeException | Error e) {
          r.finish(Status.Code.UNKNOWN);
          throw e;
        }
      }

      @Override
      public void sendMessage(Q message) {
        super.sendMessage(message);
        if (rec != null) {
          rec.sent();
        }
      }
    };
  }
}
