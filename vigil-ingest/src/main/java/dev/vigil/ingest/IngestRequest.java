package dev.vigil.ingest;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One push request as the HTTP layer hands it over: headers, query parameters and the raw body.
 * Independent of the HTTP server, so decoders are tested without one and any server can mount them.
 *
 * <pre>{@code
 * IngestRequest req = IngestRequest.builder()
 *     .header("Content-Encoding", "snappy")
 *     .param("precision", "s")
 *     .body(bytes)
 *     .build();
 * }</pre>
 *
 * <p>Header names are case-insensitive. Immutable apart from the body array, which is not copied.
 */
public final class IngestRequest {
  private final Map<String, String> headers;
  private final Map<String, String> params;
  private final byte[] body;

  private IngestRequest(Map<String, String> headers, Map<String, String> params, byte[] body) {
    this.headers = Map.copyOf(headers);
    this.params = Map.copyOf(params);
    this.body = Objects.requireNonNull(body, "body");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A header's value, or {@code null}. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** A query parameter's value, or {@code null}. */
  public String param(String name) {
    return params.get(name);
  }

  /** The raw body, exactly as received (still compressed when the client compressed it). */
  public byte[] body() {
    return body;
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, String> params = new HashMap<>();
    private byte[] body = new byte[0];

    private Builder() {}

    public Builder header(String name, String value) {
      if (value != null) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
      }
      return this;
    }

    public Builder param(String name, String value) {
      if (value != null) {
        params.put(name, value);
      }
      return this;
    }

    public Builder body(byte[] body) {
      this.body = body;
      return this;
    }

    public IngestRequest build() {
      return new IngestRequest(headers, params, body);
    }
  }
}
