package dev.vigil.collectors.recorders;

/**
 * One API request being served: counted in {@code api_requests_in_flight} until closed, then
 * recorded like {@link Recorders#recordApiRequest}.
 *
 * {@snippet :
 * try (ApiRequestScope r = recorders.startApiRequest("comfyui", "/generate", "POST")) {
 *   r.status(handle());
 * }
 * }
 *
 * <p>A scope closed without a status is recorded as 500 (the handler threw before answering). Not
 * thread-safe; {@link #close()} is idempotent.
 */
public final class ApiRequestScope implements AutoCloseable {
  private final ApiRecorder api;
  private final String service;
  private final String endpoint;
  private final String method;
  private final long startNanos;
  private int status = 500;
  private boolean closed;

  ApiRequestScope(ApiRecorder api, String service, String endpoint, String method) {
    this.api = api;
    this.service = Check.label("startApiRequest", "service", service);
    this.endpoint = Check.label("startApiRequest", "endpoint", endpoint);
    this.method = Check.httpMethod("startApiRequest", method);
    api.inFlight.labelValues(Scratch.of(service, endpoint)).inc();
    this.startNanos = System.nanoTime();
  }

  /**
   * Sets the response status.
   *
   * @throws IllegalArgumentException when not 100-599
   */
  public ApiRequestScope status(int statusCode) {
    Check.status("ApiRequestScope.status", statusCode);
    this.status = statusCode;
    return this;
  }

  /** Records the request and leaves the in-flight count. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    api.inFlight.labelValues(Scratch.of(service, endpoint)).dec();
    api.record(service, endpoint, method, status, (System.nanoTime() - startNanos) / 1e9);
  }
}
