package dev.vigil.ingest.remote;

import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestResponse;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.SampleBatch;
import dev.vigil.ingest.WriteResult;
import dev.vigil.ingest.wire.ProtoException;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.ingest.wire.SnappyException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Prometheus remote write receiver ({@code POST /api/v1/write}): 1.0 ({@code
 * prometheus.WriteRequest}) and 2.0 ({@code io.prometheus.write.v2.Request}), chosen by the {@code
 * Content-Type}'s {@code proto} parameter.
 *
 * <pre>{@code
 * RemoteWriteHandler h = new RemoteWriteHandler(ingester);
 * IngestResponse resp = h.handle(request);   // 204 once committed to the WAL
 * }</pre>
 *
 * <p>Statuses follow the remote write specs: 204 when every sample was committed; 400 for a
 * malformed body or when some samples were refused (the rest are committed; senders do not retry
 * 4xx); 413 for a body over the size limits; 415 for an unsupported {@code Content-Type} or {@code
 * Content-Encoding}; 429 over the ingest rate (nothing stored, retried by the sender); 500 when
 * storage fails (nothing stored, retried). 2.0 responses carry the {@code
 * X-Prometheus-Remote-Write-{Samples,Histograms,Exemplars}-Written} headers. Thread-safe.
 */
public final class RemoteWriteHandler {
  public static final String V1_PROTO = "prometheus.WriteRequest";
  public static final String V2_PROTO = "io.prometheus.write.v2.Request";
  public static final String SAMPLES_WRITTEN = "X-Prometheus-Remote-Write-Samples-Written";
  public static final String HISTOGRAMS_WRITTEN = "X-Prometheus-Remote-Write-Histograms-Written";
  public static final String EXEMPLARS_WRITTEN = "X-Prometheus-Remote-Write-Exemplars-Written";

  private final Ingester ingester;

  public RemoteWriteHandler(Ingester ingester) {
    this.ingester = ingester;
  }

  /** Handles one request; never throws for bad input. */
  public IngestResponse handle(IngestRequest req) {
    IngestStats stats = ingester.stats();
    String contentType = req.header("Content-Type");
    boolean v2;
    if (contentType == null) {
      v2 = false;
    } else {
      String ct = contentType.toLowerCase(Locale.ROOT).replace(" ", "");
      if (!ct.startsWith("application/x-protobuf")) {
        stats.reject(IngestStats.REMOTE_WRITE, RejectReason.BAD_HEADERS, 1);
        return IngestResponse.text(
            415,
            "unsupported Content-Type \""
                + contentType
                + "\": remote write needs application/x-protobuf (proto="
                + V1_PROTO
                + " or "
                + V2_PROTO
                + ")");
      }
      // The index is found in the header as sent: lower-casing may change the length ('İ').
      String compact = contentType.replace(" ", "");
      int p = indexOfIgnoreCase(compact, "proto=");
      String proto = p < 0 ? V1_PROTO : compact.substring(p + 6);
      if (proto.equals(V2_PROTO)) {
        v2 = true;
      } else if (proto.equals(V1_PROTO)) {
        v2 = false;
      } else {
        stats.reject(IngestStats.REMOTE_WRITE, RejectReason.BAD_HEADERS, 1);
        return IngestResponse.text(
            415,
            "unsupported remote write message \""
                + proto
                + "\": this receiver accepts "
                + V1_PROTO
                + " and "
                + V2_PROTO);
      }
    }
    String protocol = v2 ? IngestStats.REMOTE_WRITE_V2 : IngestStats.REMOTE_WRITE;
    String encoding = req.header("Content-Encoding");
    if (encoding == null || !encoding.trim().equalsIgnoreCase("snappy")) {
      stats.reject(protocol, RejectReason.BAD_HEADERS, 1);
      return IngestResponse.text(
          415,
          encoding == null
              ? "missing Content-Encoding header: remote write bodies must be snappy-compressed"
              : "unsupported Content-Encoding \"" + encoding + "\": remote write needs snappy");
    }
    String version = req.header("X-Prometheus-Remote-Write-Version");
    if (version == null) {
      stats.reject(protocol, RejectReason.BAD_HEADERS, 1);
      return IngestResponse.text(
          400,
          "missing X-Prometheus-Remote-Write-Version header (remote write 1.0 sends 0.1.0, 2.0"
              + " sends 2.0.0)");
    }
    if (!(version.startsWith("0.1") || version.startsWith("1.") || version.startsWith("2."))) {
      stats.reject(protocol, RejectReason.BAD_HEADERS, 1);
      return IngestResponse.text(
          400, "unsupported X-Prometheus-Remote-Write-Version \"" + version + "\"");
    }
    byte[] body = req.body();
    int maxBody = ingester.limits().maxBodyBytes();
    if (body.length > maxBody) {
      stats.reject(protocol, RejectReason.TOO_LARGE, 1);
      return IngestResponse.text(
          413,
          "request body of " + body.length + " bytes is over the limit of " + maxBody + " bytes");
    }
    byte[] proto;
    try {
      proto = Snappy.decompress(body, ingester.limits().maxDecompressedBytes());
    } catch (SnappyException e) {
      boolean tooLarge = e.getMessage().contains("over the limit");
      stats.reject(protocol, tooLarge ? RejectReason.TOO_LARGE : RejectReason.MALFORMED, 1);
      return IngestResponse.text(tooLarge ? 413 : 400, e.getMessage());
    }
    SampleBatch batch = new SampleBatch();
    RemoteWrite2Decoder.Counts counts = new RemoteWrite2Decoder.Counts(0, 0);
    try {
      if (v2) {
        counts = RemoteWrite2Decoder.decode(proto, batch, ingester.metadata());
      } else {
        RemoteWrite1Decoder.decode(proto, batch, ingester.metadata(), ingester.seriesCache());
      }
    } catch (ProtoException e) {
      stats.reject(protocol, RejectReason.MALFORMED, 1);
      return withWritten(
          IngestResponse.text(400, (v2 ? V2_PROTO : V1_PROTO) + ": " + e.getMessage()), v2, 0, 0);
    }
    WriteResult result;
    try {
      result = ingester.write(protocol, batch);
    } catch (Ingester.StorageFailure e) {
      IngestResponse r = IngestResponse.text(e.status(), e.getMessage());
      return withWritten(
          new IngestResponse(r.status(), r.contentType(), e.headers(), r.body()), v2, 0, 0);
    }
    if (result.rateLimited()) {
      IngestResponse r = IngestResponse.text(429, result.errors().get(0));
      Map<String, String> h = new LinkedHashMap<>(r.headers());
      h.put("Retry-After", "1");
      return withWritten(new IngestResponse(429, r.contentType(), h, r.body()), v2, 0, 0);
    }
    if (result.rejectedCount() > 0) {
      return withWritten(
          IngestResponse.text(400, describe(result)),
          v2,
          result.accepted(),
          result.exemplarsAccepted());
    }
    return withWritten(
        IngestResponse.noContent(Map.of()), v2, result.accepted(), result.exemplarsAccepted());
  }

  private static int indexOfIgnoreCase(String s, String word) {
    for (int i = 0; i + word.length() <= s.length(); i++) {
      if (s.regionMatches(true, i, word, 0, word.length())) {
        return i;
      }
    }
    return -1;
  }

  private static IngestResponse withWritten(
      IngestResponse r, boolean v2, long samples, long exemplars) {
    if (!v2) {
      return r;
    }
    Map<String, String> h = new LinkedHashMap<>(r.headers());
    h.put(SAMPLES_WRITTEN, Long.toString(samples));
    h.put(HISTOGRAMS_WRITTEN, "0");
    h.put(EXEMPLARS_WRITTEN, Long.toString(exemplars));
    return new IngestResponse(r.status(), r.contentType(), h, r.body());
  }

  /** "N samples written, M rejected (reason: count, ...)" and the first messages. */
  static String describe(WriteResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.accepted()).append(" samples written, ").append(r.rejectedCount());
    sb.append(" rejected (");
    boolean first = true;
    for (RejectReason reason : RejectReason.values()) {
      long n = r.rejected(reason);
      if (n > 0) {
        sb.append(first ? "" : ", ").append(reason.label()).append(": ").append(n);
        first = false;
      }
    }
    sb.append(")");
    for (String e : r.errors()) {
      sb.append("\n").append(e);
    }
    return sb.toString();
  }
}
