package dev.vigil.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collectors.recorders.Recorders;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ClientStreamTracer;
import io.grpc.Grpc;
import io.grpc.HandlerRegistry;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interceptors in a real grpc-java server (Netty, loopback TCP, port 0) called by a real
 * client; the services are built by hand (a UTF-8 string marshaller, no generated code).
 */
class GrpcMetricsInterceptorTest {
  private static final MethodDescriptor.Marshaller<String> UTF8 =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final MethodDescriptor<String, String> SAY =
      method("test.Echo/Say", MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<String, String> COUNT =
      method("test.Echo/Count", MethodDescriptor.MethodType.SERVER_STREAMING);
  private static final MethodDescriptor<String, String> HOLD =
      method("test.Echo/Hold", MethodDescriptor.MethodType.SERVER_STREAMING);
  private static final MethodDescriptor<String, String> TRACED =
      method("test.Echo/Traced", MethodDescriptor.MethodType.UNARY);

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  private final CountDownLatch holding = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final List<AutoCloseable> open = new ArrayList<>();

  private static MethodDescriptor<String, String> method(
      String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<String, String>newBuilder()
        .setFullMethodName(name)
        .setType(type)
        .setRequestMarshaller(UTF8)
        .setResponseMarshaller(UTF8)
        .build();
  }

  /**
   * Say answers "hi NAME", NOT_FOUND for "missing", throws for "boom"; Count streams N messages;
   * Hold sends one message and waits until released; Traced completes inside a sampled span.
   */
  private ServerServiceDefinition echo() {
    return ServerServiceDefinition.builder("test.Echo")
        .addMethod(
            SAY,
            ServerCalls.asyncUnaryCall(
                (String req, StreamObserver<String> out) -> {
                  switch (req) {
                    case "missing" -> out.onError(Status.NOT_FOUND.asRuntimeException());
                    case "boom" -> throw new IllegalStateException("handler failed");
                    default -> {
                      out.onNext("hi " + req);
                      out.onCompleted();
                    }
                  }
                }))
        .addMethod(
            COUNT,
            ServerCalls.asyncServerStreamingCall(
                (String req, StreamObserver<String> out) -> {
                  for (int i = 0; i < Integer.parseInt(req); i++) {
                    out.onNext(Integer.toString(i));
                  }
                  out.onCompleted();
                }))
        .addMethod(
            HOLD,
            ServerCalls.asyncServerStreamingCall(
                (String req, StreamObserver<String> out) -> {
                  out.onNext("first");
                  holding.countDown();
                  Thread.ofVirtual()
                      .start(
                          () -> {
                            try {
                              released.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                          });
                }))
        .addMethod(
            TRACED,
            ServerCalls.asyncUnaryCall(
                (String req, StreamObserver<String> out) -> {
                  Span s =
                      Span.wrap(
                          SpanContext.create(
                              TRACE, SPAN, TraceFlags.getSampled(), TraceState.getDefault()));
                  // What a tracing instrumentation does: the span is current in the handler.
                  try (Scope ignored = s.makeCurrent()) {
                    out.onNext("traced");
                    out.onCompleted();
                  }
                }))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    released.countDown();
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private Server start(ServerInterceptor interceptor, HandlerRegistry fallback) throws IOException {
    var b =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(echo())
            .intercept(interceptor);
    if (fallback != null) {
      b.fallbackHandlerRegistry(fallback);
    }
    Server server = b.build().start();
    open.add(
        () -> {
          server.shutdownNow();
          server.awaitTermination(30, TimeUnit.SECONDS);
        });
    return server;
  }

  private ManagedChannel connect(Server server) {
    ManagedChannel ch =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
            .build();
    open.add(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(30, TimeUnit.SECONDS);
        });
    return ch;
  }

  private static String call(Channel ch, MethodDescriptor<String, String> m, String req) {
    return ClientCalls.blockingUnaryCall(
        ch, m, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), req);
  }

  private static Status.Code failure(Channel ch, MethodDescriptor<String, String> m, String req) {
    try {
      call(ch, m, req);
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
    throw new AssertionError("the call succeeded");
  }

  private static List<String> stream(Channel ch, MethodDescriptor<String, String> m, String req) {
    List<String> out = new ArrayList<>();
    Iterator<String> it =
        ClientCalls.blockingServerStreamingCall(
            ch, m, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), req);
    it.forEachRemaining(out::add);
    return out;
  }

  /**
   * Waits (bounded, 30 s) until the exposition holds {@code line}, for what ends asynchronously.
   */
  private static String awaitLine(Supplier<String> exposition, String line)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String text = exposition.get();
    while (!text.contains(line) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      text = exposition.get();
    }
    return text;
  }

  @Test
  void unaryCalls_areRecordedByFullMethodName_withTheirStatus() throws Exception {
    Recorders rec = Recorders.builder().build();
    ManagedChannel ch = connect(start(new GrpcServerMetricsInterceptor(rec, "echo"), null));

    assertThat(call(ch, SAY, "ann")).isEqualTo("hi ann");
    assertThat(call(ch, SAY, "bob")).isEqualTo("hi bob");
    assertThat(failure(ch, SAY, "missing")).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(failure(ch, SAY, "boom")).isEqualTo(Status.Code.UNKNOWN);

    String text = Exposition.text(rec);
    assertThat(text)
        .contains(
            "app_api_requests_total{endpoint=\"/test.Echo/Say\",method=\"POST\",service=\"echo\",status=\"200\"} 2")
        .contains(
            "app_api_errors_total{endpoint=\"/test.Echo/Say\",method=\"POST\",service=\"echo\",status=\"404\"} 1")
        .contains(
            "app_api_errors_total{endpoint=\"/test.Echo/Say\",method=\"POST\",service=\"echo\",status=\"500\"} 1")
        .contains(
            "app_api_request_duration_seconds_count{endpoint=\"/test.Echo/Say\",method=\"POST\",service=\"echo\"} 4")
        .contains("app_api_requests_in_flight{endpoint=\"/test.Echo/Say\",service=\"echo\"} 0")
        .contains(
            "app_grpc_calls_total{code=\"OK\",endpoint=\"/test.Echo/Say\",service=\"echo\",type=\"unary\"} 2")
        .contains(
            "app_grpc_calls_total{code=\"NOT_FOUND\",endpoint=\"/test.Echo/Say\",service=\"echo\",type=\"unary\"} 1")
        .contains(
            "app_grpc_calls_total{code=\"UNKNOWN\",endpoint=\"/test.Echo/Say\",service=\"echo\",type=\"unary\"} 1")
        .contains(
            "app_grpc_messages_received_total{endpoint=\"/test.Echo/Say\",service=\"echo\",type=\"unary\"} 4")
        .contains(
            "app_grpc_messages_sent_total{endpoint=\"/test.Echo/Say\",service=\"echo\",type=\"unary\"} 2");
  }

  @Test
  void serverStreaming_countsMessagesEachWay() throws Exception {
    Recorders rec = Recorders.builder().build();
    ManagedChannel ch = connect(start(new GrpcServerMetricsInterceptor(rec, "echo"), null));

    assertThat(stream(ch, COUNT, "3")).containsExactly("0", "1", "2");
    assertThat(stream(ch, COUNT, "5")).hasSize(5);
    assertThat(stream(ch, COUNT, "0")).isEmpty();

    assertThat(Exposition.text(rec))
        .contains(
            "app_api_requests_total{endpoint=\"/test.Echo/Count\",method=\"POST\",service=\"echo\",status=\"200\"} 3")
        .contains(
            "app_grpc_calls_total{code=\"OK\",endpoint=\"/test.Echo/Count\",service=\"echo\",type=\"server_streaming\"} 3")
        .contains(
            "app_grpc_messages_received_total{endpoint=\"/test.Echo/Count\",service=\"echo\",type=\"server_streaming\"} 3")
        .contains(
            "app_grpc_messages_sent_total{endpoint=\"/test.Echo/Count\",service=\"echo\",type=\"server_streaming\"} 8");
  }

  @Test
  void aCallTheClientCancels_isInFlightUntilThen_andRecordedAsCancelled() throws Exception {
    Recorders rec = Recorders.builder().build();
    ManagedChannel ch = connect(start(new GrpcServerMetricsInterceptor(rec, "echo"), null));

    ClientCall<String, String> c = ch.newCall(HOLD, CallOptions.DEFAULT);
    CountDownLatch firstMessage = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Status[] status = new Status[1];
    c.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(String message) {
            firstMessage.countDown();
          }

          @Override
          public void onClose(Status s, Metadata trailers) {
            status[0] = s;
            closed.countDown();
          }
        },
        new Metadata());
    c.request(10);
    c.sendMessage("x");
    c.halfClose();
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(firstMessage.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Exposition.text(rec))
        .contains("app_api_requests_in_flight{endpoint=\"/test.Echo/Hold\",service=\"echo\"} 1")
        .doesNotContain("app_grpc_calls_total{");

    c.cancel("the user left", null);
    assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(status[0].getCode()).isEqualTo(Status.Code.CANCELLED);

    String cancelled =
        "app_grpc_calls_total{code=\"CANCELLED\",endpoint=\"/test.Echo/Hold\",service=\"echo\",type=\"server_streaming\"} 1";
    assertThat(awaitLine(() -> Exposition.text(rec), cancelled))
        .contains(cancelled)
        .contains(
            "app_api_errors_total{endpoint=\"/test.Echo/Hold\",method=\"POST\",service=\"echo\",status=\"499\"} 1")
        .contains("app_api_requests_in_flight{endpoint=\"/test.Echo/Hold\",service=\"echo\"} 0")
        .contains(
            "app_grpc_messages_sent_total{endpoint=\"/test.Echo/Hold\",service=\"echo\",type=\"server_streaming\"} 1");
  }

  @Test
  void aCallWhoseDeadlinePassesOnTheServer_isRecordedAsDeadlineExceeded() throws Exception {
    Recorders rec = Recorders.builder().build();
    ManagedChannel ch = connect(start(new GrpcServerMetricsInterceptor(rec, "echo"), null));

    // Only the server has a deadline: the call carries grpc-timeout (3 s from when the server reads
    // it) while the client sets none of its own, so it cannot cancel first at its deadline (which
    // the server sees as CANCELLED, as grpc-java's own metrics do); the server's deadline always
    // passes while the handler holds the call.
    CallOptions serverDeadline =
        CallOptions.DEFAULT.withStreamTracerFactory(
            new ClientStreamTracer.Factory() {
              @Override
              public ClientStreamTracer newClientStreamTracer(
                  ClientStreamTracer.StreamInfo info, Metadata headers) {
                return new ClientStreamTracer() {
                  @Override
                  public void streamCreated(Attributes transportAttrs, Metadata headers) {
                    headers.put(
                        Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER), "3S");
                  }
                };
              }
            });
    ClientCall<String, String> c = ch.newCall(HOLD, serverDeadline);
    CountDownLatch closed = new CountDownLatch(1);
    c.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status s, Metadata trailers) {
            closed.countDown();
          }
        },
        new Metadata());
    c.request(10);
    c.sendMessage("x");
    c.halfClose();
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(closed.await(60, TimeUnit.SECONDS)).as("the server ended the call").isTrue();

    String expired =
        "app_grpc_calls_total{code=\"DEADLINE_EXCEEDED\",endpoint=\"/test.Echo/Hold\",service=\"echo\",type=\"server_streaming\"} 1";
    assertThat(awaitLine(() -> Exposition.text(rec), expired))
        .contains(expired)
        .contains(
            "app_api_errors_total{endpoint=\"/test.Echo/Hold\",method=\"POST\",service=\"echo\",status=\"504\"} 1");
  }

  /** A fallback registry that serves any method name, as a proxy would. */
  private static HandlerRegistry anyMethod() {
    return new HandlerRegistry() {
      @Override
      public ServerMethodDefinition<?, ?> lookupMethod(String name, String authority) {
        return ServerMethodDefinition.create(
            method(name, MethodDescriptor.MethodType.UNARY),
            ServerCalls.asyncUnaryCall(
                (String req, StreamObserver<String> out) -> {
                  out.onNext("any " + req);
                  out.onCompleted();
                }));
      }
    };
  }

  @Test
  void methodsOutsideTheGivenServices_collapseToUnmatched() throws Exception {
    Recorders rec = Recorders.builder().build();
    ManagedChannel ch =
        connect(start(new GrpcServerMetricsInterceptor(rec, "echo", echo()), anyMethod()));

    assertThat(call(ch, SAY, "ann")).isEqualTo("hi ann");
    for (int i = 0; i < 3; i++) {
      assertThat(call(ch, method("random.Svc/M" + i, MethodDescriptor.MethodType.UNARY), "x"))
          .isEqualTo("any x");
    }
    String longName = "random.Svc/" + "L".repeat(200);
    assertThat(call(ch, method(longName, MethodDescriptor.MethodType.UNARY), "x"))
        .isEqualTo("any x");

    assertThat(Exposition.text(rec))
        .contains(
            "app_api_requests_total{endpoint=\"/test.Echo/Say\",method=\"POST\",service=\"echo\",status=\"200\"} 1")
        .contains(
            "app_api_requests_total{endpoint=\"unmatched\",method=\"POST\",service=\"echo\",status=\"200\"} 4")
        .doesNotContain("random.Svc");
  }

  @Test
  void withoutServices_theFirstHundredMethodNamesAreRoutes_laterOnesUnmatched() throws Exception {
    Recorders rec = Recorders.builder().build();
    ManagedChannel ch = connect(start(new GrpcServerMetricsInterceptor(rec, "echo"), anyMethod()));

    int extra = 3;
    for (int i = 0; i < GrpcServerMetricsInterceptor.MAX_METHODS + extra; i++) {
      call(ch, method("random.Svc/M" + i, MethodDescriptor.MethodType.UNARY), "x");
    }
    // A name seen before the limit stays a route.
    call(ch, method("random.Svc/M0", MethodDescriptor.MethodType.UNARY), "x");

    String text = Exposition.text(rec);
    assertThat(text)
        .contains(
            "app_api_requests_total{endpoint=\"/random.Svc/M0\",method=\"POST\",service=\"echo\",status=\"200\"} 2")
        .contains(
            "app_api_requests_total{endpoint=\"/random.Svc/M99\",method=\"POST\",service=\"echo\",status=\"200\"} 1")
        .contains(
            "app_api_requests_total{endpoint=\"unmatched\",method=\"POST\",service=\"echo\",status=\"200\"} "
                + extra)
        .doesNotContain("random.Svc/M100\"");
  }

  @Test
  void aSampledSpanWhereTheHandlerCompletes_becomesTheCallsExemplar() throws Exception {
    Recorders rec = Recorders.builder().build();
    ManagedChannel ch = connect(start(new GrpcServerMetricsInterceptor(rec, "echo"), null));

    assertThat(call(ch, TRACED, "x")).isEqualTo("traced");

    assertThat(Exposition.openMetrics(rec))
        .contains(
            "app_api_requests_total{endpoint=\"/test.Echo/Traced\",method=\"POST\",service=\"echo\",status=\"200\"} 1 # {span_id=\""
                + SPAN
                + "\",trace_id=\""
                + TRACE
                + "\"} 1");
    // Calls outside a span leave none.
    call(ch, SAY, "ann");
    assertThat(Exposition.openMetrics(rec))
        .contains(
            "app_api_requests_total{endpoint=\"/test.Echo/Say\",method=\"POST\",service=\"echo\",status=\"200\"} 1\n");
  }

  @Test
  void theClientInterceptor_recordsTheCallsMade() throws Exception {
    Recorders server = Recorders.builder().build();
    Recorders client = Recorders.builder().namespace("client").build();
    Channel ch =
        ClientInterceptors.intercept(
            connect(start(new GrpcServerMetricsInterceptor(server, "echo"), null)),
            new GrpcClientMetricsInterceptor(client, "echo"));

    assertThat(call(ch, SAY, "ann")).isEqualTo("hi ann");
    assertThat(failure(ch, SAY, "missing")).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(stream(ch, COUNT, "4")).hasSize(4);
    // A call whose deadline passed before it started fails in the client, never reaching the
    // server.
    assertThatThrownBy(
            () ->
                ClientCalls.blockingUnaryCall(
                    ch, SAY, CallOptions.DEFAULT.withDeadlineAfter(0, TimeUnit.NANOSECONDS), "x"))
        .isInstanceOf(StatusRuntimeException.class);

    assertThat(Exposition.text(client))
        .contains(
            "client_api_requests_total{endpoint=\"/test.Echo/Say\",method=\"POST\",service=\"echo\",status=\"200\"} 1")
        .contains(
            "client_api_errors_total{endpoint=\"/test.Echo/Say\",method=\"POST\",service=\"echo\",status=\"404\"} 1")
        .contains(
            "client_api_errors_total{endpoint=\"/test.Echo/Say\",method=\"POST\",service=\"echo\",status=\"504\"} 1")
        .contains(
            "client_grpc_calls_total{code=\"DEADLINE_EXCEEDED\",endpoint=\"/test.Echo/Say\",service=\"echo\",type=\"unary\"} 1")
        .contains(
            "client_grpc_messages_sent_total{endpoint=\"/test.Echo/Count\",service=\"echo\",type=\"server_streaming\"} 1")
        .contains(
            "client_grpc_messages_received_total{endpoint=\"/test.Echo/Count\",service=\"echo\",type=\"server_streaming\"} 4")
        .contains("client_api_requests_in_flight{endpoint=\"/test.Echo/Say\",service=\"echo\"} 0");
    assertThat(Exposition.text(server))
        .contains(
            "app_api_requests_total{endpoint=\"/test.Echo/Say\",method=\"POST\",service=\"echo\",status=\"200\"} 1")
        .doesNotContain("status=\"504\"");
  }
}
