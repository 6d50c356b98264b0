package dev.vigil.server.http;

/**
 * An API error with Prometheus' error type, which fixes the HTTP status: {@code bad_data} 400,
 * {@code execution} 422, {@code timeout} and {@code unavailable} 503, {@code canceled} 499, {@code
 * not_found} 404, {@code method_not_allowed} 405 (a known path with another method), {@code
 * conflict} 409 (valid, but not possible as the server runs), {@code unavailable} 507 (the store's
 * disk is full), {@code internal} 500. Route handlers throw it; the server renders {@code
 * {"status":"error","errorType":...,"error":...}}.
 */
public final class ApiError extends RuntimeException {
  /** Prometheus' error types. */
  public enum Type {
    BAD_DATA("bad_data", 400),
    EXECUTION("execution", 422),
    TIMEOUT("timeout", 503),
    CANCELED("canceled", 499),
    UNAVAILABLE("unavailable", 503),
    NOT_FOUND("not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    NOT_ACCEPTABLE("not_acceptable", 406),
    TOO_LARGE("bad_data", 413),
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    /**
     * The request is valid and allowed but conflicts with how the server runs (a reload of a server
     * started without a configuration file): retrying cannot help until that changes.
     */
    CONFLICT("conflict", 409),
    /** The store's disk is full: nothing was written; retry once space is freed. */
    INSUFFICIENT_STORAGE("unavailable", 507),
    /** A client sent more than its rate allows; {@code Retry-After} says when to try again. */
    TOO_MANY_REQUESTS("too_many_requests", 429),
    INTERNAL("internal", 500);

    private final String wire;
    private final int status;

    Type(String wire, int status) {
      this.wire = wire;
      this.status = status;
    }

    /** The {@code errorType} string. */
    public String wire() {
      return wire;
    }

    /** The HTTP status. */
    public int status() {
      return status;
    }
  }

  private final Type type;

  public ApiError(Type type, String message) {
    super(message);
    this.type = type;
  }

  public Type type() {
    return type;
  }

  /** A {@code bad_data} (400) error. */
  public static ApiError badData(String message) {
    return new ApiError(Type.BAD_DATA, message);
  }
}
