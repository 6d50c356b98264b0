package dev.vigil.server.ingest;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestResponse;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.MetadataStore;
import dev.vigil.ingest.imports.CsvDecoder;
import dev.vigil.ingest.imports.ImportHandler;
import dev.vigil.ingest.imports.JsonLinesDecoder;
import dev.vigil.ingest.imports.VmCsvDecoder;
import dev.vigil.ingest.influx.InfluxHandler;
import dev.vigil.ingest.otlp.OtlpHandler;
import dev.vigil.ingest.remote.RemoteWriteHandler;
import dev.vigil.metrics.CallbackCounter;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.model.Appendable;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The push ingest endpoints, all needing the write role when tokens are configured:
 *
 * <ul>
 *   <li>{@code POST /api/v1/write}: Prometheus remote write 1.0 and 2.0
 *   <li>{@code POST /write}: InfluxDB 1.x line protocol
 *   <li>{@code POST /api/v2/write}: InfluxDB 2.x line protocol
 *   <li>{@code POST /v1/metrics}: OTLP/HTTP metrics (protobuf or JSON)
 *   <li>{@code POST /api/v1/import}, {@code POST /api/v1/import/csv}: VictoriaMetrics' JSON lines
 *       and the long CSV layout
 * </ul>
 *
 * <pre>{@code
 * IngestRoutes ingest = new IngestRoutes(db, IngestLimits.DEFAULTS, registry, System::currentTimeMillis);
 * VigilHttpServer.start(config.server(), List.of(ingest, ...));
 * }</pre>
 *
 * <p>Every path answers 2xx only once its samples are committed to storage (the WAL). Registers
 * {@code vigil_ingest_samples_total{protocol}} and {@code
 * vigil_ingest_rejected_total{protocol,reason}} in the registry.
 */
public final class IngestRoutes implements Routes {
  private final Ingester ingester;
  private final RemoteWriteHandler remoteWrite;
  private final InfluxHandler influx1;
  private final InfluxHandler influx2;
  private final OtlpHandler otlp;
  private final ImportHandler importJson;
  private final ImportHandler importCsv;
  private final LongSupplier clockMillis;

  /**
   * @param registry where the ingest counters are registered, or null for none
   * @param clockMillis wall time for points without a timestamp
   */
  public IngestRoutes(
      Appendable storage, IngestLimits limits, MetricRegistry registry, LongSupplier clockMillis) {
    this.ingester = new Ingester(storage, limits, new IngestStats(), System::nanoTime);
    this.remoteWrite = new RemoteWriteHandler(ingester);
    this.influx1 = new InfluxHandler(ingester, clockMillis, InfluxHandler.Api.V1);
    this.influx2 = new InfluxHandler(ingester, clockMillis, InfluxHandler.Api.V2);
    this.otlp = new OtlpHandler(ingester, clockMillis);
    this.importJson = new ImportHandler(ingester, JsonLinesDecoder::new);
    this.importCsv = new ImportHandler(ingester, CsvDecoder::new);
    this.clockMillis = clockMillis;
    if (registry != null) {
      register(registry, ingester.stats());
    }
  }

  private static void register(MetricRegistry registry, IngestStats stats) {
    CallbackCounter.builder()
        .name("vigil_ingest_samples_total")
        .help("Samples committed to storage by push ingest, by protocol.")
        .labelNames("protocol")
        .callback(sink -> stats.accepted().forEach((p, n) -> sink.set(n, p)))
        .register(registry);
    CallbackCounter.builder()
        .name("vigil_ingest_rejected_total")
        .help(
            "Points, samples or requests push ingest refused, by protocol and reason (malformed,"
                + " bad_headers, too_large, rate_limited, cardinality, too_many_labels,"
                + " label_too_long, invalid_labels, out_of_order, invalid_line, string_field,"
                + " unsupported_type, storage).")
        .labelNames("protocol", "reason")
        .callback(sink -> stats.rejected().forEach((k, n) -> sink.set(n, k.protocol(), k.reason())))
        .register(registry);
  }

  /** What ingest accepted and rejected so far. */
  public IngestStats stats() {
    return ingester.stats();
  }

  /** Metric metadata received by push, for {@code /api/v1/metadata}. */
  public MetadataStore metadata() {
    return ingester.metadata();
  }

  @Override
  public void register(Router r) {
    r.post("/api/v1/write", Role.WRITE, ctx -> serve(ctx, remoteWrite::handle));
    r.post("/write", Role.WRITE, ctx -> serve(ctx, influx1::handle));
    r.post("/api/v2/write", Role.WRITE, ctx -> serve(ctx, influx2::handle));
    r.post("/v1/metrics", Role.WRITE, ctx -> serve(ctx, otlp::handle));
    r.post("/api/v1/import", Role.WRITE, ctx -> serve(ctx, importJson::handle));
    r.post(
        "/api/v1/import/csv",
        Role.WRITE,
        ctx -> {
          String format = ctx.queryParam("format");
          if (format == null) {
            serve(ctx, importCsv::handle);
            return;
          }
          // VictoriaMetrics' column spec: checked once here, a decoder per request.
          try {
            new VmCsvDecoder(format, clockMillis);
          } catch (IllegalArgumentException e) {
            ctx.status(400).contentType("text/plain; charset=utf-8");
            ctx.result("invalid format parameter: " + e.getMessage() + "\n");
            return;
          }
          serve(
              ctx,
              new ImportHandler(ingester, () -> new VmCsvDecoder(format, clockMillis))::handle);
        });
  }

  private static void serve(Context ctx, Function<IngestRequest, IngestResponse> handler) {
    IngestRequest.Builder b = IngestRequest.builder();
    ctx.headerMap().forEach(b::header);
    for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
      if (!e.getValue().isEmpty()) {
        b.param(e.getKey(), e.getValue().get(0));
      }
    }
    IngestResponse resp = handler.apply(b.body(ctx.bodyAsBytes()).build());
    ctx.status(resp.status());
    resp.headers().forEach(ctx::header);
    if (resp.contentType() != null) {
      ctx.contentType(resp.contentType());
    }
    if (resp.body().length > 0) {
      ctx.result(resp.body());
    }
  }
}
