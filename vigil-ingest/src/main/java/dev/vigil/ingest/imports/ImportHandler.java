package dev.vigil.ingest.imports;

import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestResponse;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.SampleBatch;
import dev.vigil.ingest.WriteResult;
import dev.vigil.ingest.wire.Gzip;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * VictoriaMetrics' import endpoints: {@code POST /api/v1/import} (JSON lines, the format of {@code
 * /api/v1/export}) and {@code POST /api/v1/import/csv} (the long CSV layout of {@link CsvDecoder}).
 *
 * <pre>{@code
 * ImportHandler h = new ImportHandler(ingester, JsonLinesDecoder::new);
 * h.handle(request);   // 204, or 400 naming each bad line and column
 * }</pre>
 *
 * <p>A line that does not parse stores nothing and is reported by line and column; the other lines
 * are stored (the request is not atomic). Out-of-order samples and limit refusals are counted as
 * for every push path. Bodies are bounded by {@code max_body_size} and, gzip'd, by {@code
 * max_decompressed_size}. Thread-safe (a decoder per request).
 */
public final class ImportHandler {
  /** The protocol label of imports in {@code vigil_ingest_*_total}. */
  public static final String PROTOCOL = "import";

  private static final int MAX_REPORTED = 100;
  private final Ingester ingester;
  private final Supplier<LineDecoder> decoders;

  public ImportHandler(Ingester ingester, Supplier<LineDecoder> decoders) {
    this.ingester = ingester;
    this.decoders = decoders;
  }

  /** Handles one request; never throws for bad input. */
  public IngestResponse handle(IngestRequest req) {
    IngestStats stats = ingester.stats();
    byte[] body = req.body();
    int maxBody = ingester.limits().maxBodyBytes();
    if (body.length > maxBody) {
      stats.reject(PROTOCOL, RejectReason.TOO_LARGE, 1);
      return IngestResponse.text(
          413,
          "request body of " + body.length + " bytes is over the limit of " + maxBody + " bytes");
    }
    String enc = req.header("Content-Encoding");
    if (enc != null && enc.trim().equalsIgnoreCase("gzip")) {
      try {
        body = Gzip.decompress(body, ingester.limits().maxDecompressedBytes());
      } catch (Gzip.TooLargeException e) {
        stats.reject(PROTOCOL, RejectReason.TOO_LARGE, 1);
        return IngestResponse.text(413, e.getMessage());
      } catch (IllegalArgumentException e) {
        stats.reject(PROTOCOL, RejectReason.MALFORMED, 1);
        return IngestResponse.text(400, e.getMessage());
      }
    } else if (enc != null && !enc.isBlank() && !enc.trim().equalsIgnoreCase("identity")) {
      stats.reject(PROTOCOL, RejectReason.BAD_HEADERS, 1);
      return IngestResponse.text(
          415, "unsupported Content-Encoding \"" + enc + "\" (gzip or none)");
    }
    ImportReader reader =
        new ImportReader(
            new BufferedReader(
                new InputStreamReader(
                    new java.io.ByteArrayInputStream(body), StandardCharsets.UTF_8)),
            decoders.get());
    ImportReader.Chunk all;
    try {
      all = reader.next(Integer.MAX_VALUE);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a byte array does not fail
    }
    if (all == null) {
      return IngestResponse.noContent(Map.of());
    }
    SampleBatch batch = toBatch(all.samples());
    if (!all.errors().isEmpty()) {
      batch.reject(RejectReason.INVALID_LINE, all.errors().size(), null);
    }
    WriteResult result;
    try {
      result = ingester.write(PROTOCOL, batch);
    } catch (Ingester.StorageFailure e) {
      IngestResponse r = IngestResponse.text(e.status(), e.getMessage());
      return new IngestResponse(r.status(), r.contentType(), e.headers(), r.body());
    }
    if (result.rateLimited()) {
      IngestResponse r = IngestResponse.text(429, result.errors().get(0));
      return new IngestResponse(429, r.contentType(), Map.of("Retry-After", "1"), r.body());
    }
    if (all.errors().isEmpty() && result.rejectedCount() == 0) {
      return IngestResponse.noContent(Map.of());
    }
    return IngestResponse.text(400, report(result, all.errors(), reader.lines()));
  }

  /** Groups samples by series into a batch (one series entry per label set). */
  public static SampleBatch toBatch(List<ImportedSample> samples) {
    SampleBatch batch = new SampleBatch();
    Map<dev.vigil.model.Labels, Integer> index = new HashMap<>();
    for (ImportedSample s : samples) {
      int i = index.computeIfAbsent(s.labels(), batch::series);
      batch.add(i, s.timeMillis(), s.value());
    }
    return batch;
  }

  /**
   * {@code N samples written, M rejected (reason: count, ...); K of L lines had errors}, then one
   * line per bad input line and per refusal message.
   */
  static String report(WriteResult r, List<LineError> errors, long lines) {
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
    sb.append("); ");
    sb.append(errors.size()).append(" of ").append(lines).append(" lines had errors\n");
    List<String> msgs = new ArrayList<>();
    for (LineError e : errors) {
      msgs.add(e.toString());
    }
    for (String m : r.errors()) {
      msgs.add(m);
    }
    for (int i = 0; i < Math.min(MAX_REPORTED, msgs.size()); i++) {
      sb.append(msgs.get(i)).append('\n');
    }
    if (msgs.size() > MAX_REPORTED) {
      sb.append("... and ").append(msgs.size() - MAX_REPORTED).append(" more\n");
    }
    return sb.toString();
  }
}
