package dev.vigil.ingest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to answer a push request: status, content type, extra headers and body. The HTTP layer
 * copies it out verbatim.
 *
 * @param status HTTP status: 2xx only once the samples are committed; 400 for a malformed request
 *     (senders do not retry it), 413 for an oversized body, 415 for a wrong content type or
 *     encoding, 429 over the ingest rate, 5xx for Vigil's own faults
 * @param contentType the body's media type, or {@code null} for no body
 * @param headers extra response headers (e.g. {@code X-Prometheus-Remote-Write-Samples-Written})
 * @param body the response body (empty for 204)
 */
public record IngestResponse(
    int status, String contentType, Map<String, String> headers, byte[] body) {

  public IngestResponse {
    headers = Map.copyOf(headers);
  }

  /** A response with a plain-text body; used for every error so the reason reaches the sender. */
  public static IngestResponse text(int status, String message) {
    return new IngestResponse(
        status,
        "text/plain; charset=utf-8",
        Map.of(),
        (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** 204 No Content with the given headers. */
  public static IngestResponse noContent(Map<String, String> headers) {
    return new IngestResponse(204, null, new LinkedHashMap<>(headers), new byte[0]);
  }

  /** The body decoded as UTF-8 (for tests and logs). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
