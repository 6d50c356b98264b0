package dev.vigil.ingest.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestResponse;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.SampleBatch;
import dev.vigil.ingest.WriteResult;
import dev.vigil.ingest.wire.Gzip;
import dev.vigil.ingest.wire.ProtoException;
import dev.vigil.ingest.wire.ProtoWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * OTLP/HTTP metrics receiver ({@code POST /v1/metrics}): protobuf ({@code application/x-protobuf})
 * or JSON ({@code application/json}) bodies, optionally gzip-compressed.
 *
 * <pre>{@code
 * OtlpHandler h = new OtlpHandler(ingester, System::currentTimeMillis);
 * IngestResponse r = h.handle(request);   // 200 + ExportMetricsServiceResponse
 * }</pre>
 *
 * <p>Statuses follow the OTLP/HTTP spec: 200 with an {@code ExportMetricsServiceResponse} whose
 * {@code partial_success} counts the rejected data points and says why; 400 with a {@code
 * google.rpc.Status} for a body that does not decode (not retried); 413 over the size limits; 415
 * for another content type or encoding; 429 over the ingest rate and 503 when storage fails (both
 * retried by exporters; 500 is not retryable in OTLP). Responses use the request's encoding.
 * Thread-safe; requests carrying delta metrics are serialised (see {@link OtlpTranslator}).
 */
public final class OtlpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int INVALID_ARGUMENT = 3;
  private static final int RESOURCE_EXHAUSTED = 8;
  private static final int UNAVAILABLE = 14;

  private final Ingester ingester;
  private final LongSupplier clockMillis;
  private final OtlpTranslator deltaTranslator;

  public OtlpHandler(Ingester ingester, LongSupplier clockMillis) {
    this.ingester = ingester;
    this.clockMillis = clockMillis;
    this.deltaTranslator = new OtlpTranslator(ingester.limits().maxSeries());
  }

  /** Handles one request; never throws for bad input. */
  public IngestResponse handle(IngestRequest req) {
    IngestStats stats = ingester.stats();
    String p = IngestStats.OTLP;
    String ct = req.header("Content-Type");
    String type = ct == null ? "" : ct.toLowerCase(Locale.ROOT).split(";")[0].trim();
    boolean json;
    if (type.equals("application/x-protobuf") || type.equals("application/protobuf")) {
      json = false;
    } else if (type.equals("application/json")) {
      json = true;
    } else {
      stats.reject(p, RejectReason.BAD_HEADERS, 1);
      return status(
          415,
          false,
          INVALID_ARGUMENT,
          "unsupported Content-Type \""
              + (ct == null ? "" : ct)
              + "\": OTLP/HTTP takes application/x-protobuf or application/json");
    }
    byte[] body = req.body();
    int maxBody = ingester.limits().maxBodyBytes();
    if (body.length > maxBody) {
      stats.reject(p, RejectReason.TOO_LARGE, 1);
      return status(
          413,
          json,
          RESOURCE_EXHAUSTED,
          "request body of " + body.length + " bytes is over the limit of " + maxBody + " bytes");
    }
    String enc = req.header("Content-Encoding");
    if (enc != null && enc.trim().equalsIgnoreCase("gzip")) {
      try {
        body = Gzip.decompress(body, ingester.limits().maxDecompressedBytes());
      } catch (Gzip.TooLargeException e) {
        stats.reject(p, RejectReason.TOO_LARGE, 1);
        return status(413, json, RESOURCE_EXHAUSTED, e.getMessage());
      } catch (IllegalArgumentException e) {
        stats.reject(p, RejectReason.MALFORMED, 1);
        return status(400, json, INVALID_ARGUMENT, e.getMessage());
      }
    } else if (enc != null && !enc.isBlank() && !enc.trim().equalsIgnoreCase("identity")) {
      stats.reject(p, RejectReason.BAD_HEADERS, 1);
      return status(
          415,
          json,
          INVALID_ARGUMENT,
          "unsupported Content-Encoding \"" + enc + "\" (gzip or none)");
    }
    List<OtlpModel.ResourceMetrics> request;
    try {
      request = json ? OtlpJsonDecoder.decode(body) : OtlpProtoDecoder.decode(body);
    } catch (ProtoException e) {
      stats.reject(p, RejectReason.MALFORMED, 1);
      return status(400, json, INVALID_ARGUMENT, "ExportMetricsServiceRequest: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      stats.reject(p, RejectReason.MALFORMED, 1);
      return status(400, json, INVALID_ARGUMENT, e.getMessage());
    }
    WriteResult result;
    try {
      if (OtlpTranslator.hasDeltas(request)) {
        synchronized (deltaTranslator) {
          SampleBatch batch = new SampleBatch();
          deltaTranslator.translate(request, clockMillis.getAsLong(), batch, ingester.metadata());
          result = ingester.write(p, batch);
          if (!result.rateLimited()) {
            deltaTranslator.commitDeltas();
          }
        }
      } else {
        SampleBatch batch = new SampleBatch();
        new OtlpTranslator(0)
            .translate(request, clockMillis.getAsLong(), batch, ingester.metadata());
        result = ingester.write(p, batch);
      }
    } catch (Ingester.StorageFailure e) {
      // 503 even for a full disk: OTLP senders retry 429, 502, 503 and 504 only.
      IngestResponse r = status(503, json, UNAVAILABLE, e.getMessage());
      return new IngestResponse(r.status(), r.contentType(), e.headers(), r.body());
    }
    if (result.rateLimited()) {
      IngestResponse r = status(429, json, RESOURCE_EXHAUSTED, result.errors().get(0));
      Map<String, String> h = new LinkedHashMap<>(r.headers());
      h.put("Retry-After", "1");
      return new IngestResponse(429, r.contentType(), h, r.body());
    }
    long rejected = result.rejectedCount();
    String message = rejected == 0 ? "" : String.join("; ", result.errors());
    return exportResponse(json, rejected, message);
  }

  private static IngestResponse exportResponse(boolean json, long rejected, String message) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (rejected > 0) {
        Map<String, Object> ps = new LinkedHashMap<>();
        ps.put("rejectedDataPoints", Long.toString(rejected));
        ps.put("errorMessage", message);
        m.put("partialSuccess", ps);
      }
      return new IngestResponse(200, "application/json", Map.of(), bytes(m));
    }
    ProtoWriter w = new ProtoWriter();
    if (rejected > 0) {
      w.message(1, ps -> ps.varint(1, rejected).string(2, message));
    }
    return new IngestResponse(200, "application/x-protobuf", Map.of(), w.toByteArray());
  }

  /** An error as a {@code google.rpc.Status} in the request's encoding. */
  private static IngestResponse status(int http, boolean json, int code, String message) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("code", code);
      m.put("message", message);
      return new IngestResponse(http, "application/json", Map.of(), bytes(m));
    }
    byte[] b = new ProtoWriter().varint(1, code).string(2, message).toByteArray();
    return new IngestResponse(http, "application/x-protobuf", Map.of(), b);
  }

  private static byte[] bytes(Object o) {
    try {
      return JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
