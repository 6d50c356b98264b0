package dev.vigil.ingest.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestResponse;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.TestStorage;
import dev.vigil.ingest.wire.ProtoWriter;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Labels;
import dev.vigil.model.StaleMarker;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RemoteWriteHandlerTest {
  private final TestStorage store = new TestStorage();
  private final IngestStats stats = new IngestStats();
  private final AtomicLong nanos = new AtomicLong();

  private RemoteWriteHandler handler(IngestLimits limits) {
    return new RemoteWriteHandler(new Ingester(store.appendable(), limits, stats, nanos::get));
  }

  private final RemoteWriteHandler handler = handler(IngestLimits.DEFAULTS);

  private static IngestRequest.Builder v1Request(byte[] proto) {
    return IngestRequest.builder()
        .header("Content-Encoding", "snappy")
        .header("Content-Type", "application/x-protobuf")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .body(Snappy.compress(proto));
  }

  private static IngestRequest.Builder v2Request(byte[] proto) {
    return IngestRequest.builder()
        .header("Content-Encoding", "snappy")
        .header("Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request")
        .header("X-Prometheus-Remote-Write-Version", "2.0.0")
        .body(Snappy.compress(proto));
  }

  private static RemoteWriteEncoder.Series series(Labels l, long t0, double... values) {
    long[] ts = new long[values.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = t0 + i * 15_000L;
    }
    return new RemoteWriteEncoder.Series(l, ts, values);
  }

  private static final Labels UP = Labels.of("__name__", "up", "job", "node", "instance", "a:9100");
  private static final Labels REQS =
      Labels.of("__name__", "http_requests_total", "job", "api", "code", "200");

  @Test
  void v1_samplesAndStaleMarker_areStoredBitExact() {
    byte[] proto =
        RemoteWriteEncoder.v1(
            List.of(series(UP, 1000, 1, 0, StaleMarker.VALUE), series(REQS, 1000, 5.5)));
    IngestResponse r = handler.handle(v1Request(proto).build());
    assertThat(r.status()).isEqualTo(204);
    assertThat(store.samples(UP)).hasSize(3);
    assertThat(store.samples(UP).get(0).v()).isEqualTo(1);
    assertThat(store.samples(UP).get(1).t()).isEqualTo(16_000);
    assertThat(Double.doubleToRawLongBits(store.samples(UP).get(2).v()))
        .isEqualTo(StaleMarker.BITS);
    assertThat(store.samples(REQS)).containsExactly(new TestStorage.Sample(1000, 5.5));
    assertThat(stats.accepted(IngestStats.REMOTE_WRITE)).isEqualTo(4);
  }

  @Test
  void v1_realPrometheusRequests_areStored() throws Exception {
    for (String f : List.of("prometheus-2.42-request-1.bin", "prometheus-2.42-request-2.bin")) {
      byte[] body;
      try (InputStream in = getClass().getResourceAsStream("/remote-write/" + f)) {
        body = in.readAllBytes();
      }
      IngestRequest req =
          IngestRequest.builder()
              .header("Content-Encoding", "snappy")
              .header("Content-Type", "application/x-protobuf")
              .header("X-Prometheus-Remote-Write-Version", "0.1.0")
              .body(body)
              .build();
      IngestResponse r = handler.handle(req);
      assertThat(r.status()).as(r.bodyText()).isEqualTo(204);
    }
    assertThat(store.seriesCount()).isGreaterThan(100);
    // Prometheus' own metrics, scraped from itself as job "prom".
    assertThat(store.series().keySet())
        .allSatisfy(l -> assertThat(l.get("job")).isEqualTo("prom"))
        .anySatisfy(l -> assertThat(l.metricName()).isEqualTo("up"))
        .anySatisfy(l -> assertThat(l.metricName()).isEqualTo("prometheus_build_info"));
    Labels build =
        store.series().keySet().stream()
            .filter(l -> "prometheus_build_info".equals(l.metricName()))
            .findFirst()
            .orElseThrow();
    assertThat(build.get("version")).isEqualTo("2.42.0+ds");
    assertThat(store.samples(build)).hasSize(2).allSatisfy(s -> assertThat(s.v()).isEqualTo(1));
  }

  @Test
  void v1_realPrometheusMetadataRequest_fillsTheMetadataStore() throws Exception {
    byte[] body;
    try (InputStream in =
        getClass().getResourceAsStream("/remote-write/prometheus-2.42-metadata.bin")) {
      body = in.readAllBytes();
    }
    Ingester ing = new Ingester(store.appendable(), IngestLimits.DEFAULTS, stats, nanos::get);
    IngestRequest req =
        IngestRequest.builder()
            .header("Content-Encoding", "snappy")
            .header("Content-Type", "application/x-protobuf")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .body(body)
            .build();
    assertThat(new RemoteWriteHandler(ing).handle(req).status()).isEqualTo(204);
    assertThat(ing.metadata().size()).isEqualTo(191);
    assertThat(ing.metadata().get("prometheus_tsdb_compactions_total").type()).isEqualTo("counter");
    assertThat(ing.metadata().get("prometheus_tsdb_compactions_total").help())
        .isEqualTo("Total number of compactions that were executed for the partition.");
  }

  @Test
  void v1_metadata_isKept() {
    byte[] proto =
        new ProtoWriter()
            .message(
                3,
                m ->
                    m.varint(1, 1)
                        .string(2, "http_requests_total")
                        .string(4, "Requests served.")
                        .string(5, ""))
            .toByteArray();
    Ingester ing = new Ingester(store.appendable(), IngestLimits.DEFAULTS, stats, nanos::get);
    assertThat(new RemoteWriteHandler(ing).handle(v1Request(proto).build()).status())
        .isEqualTo(204);
    assertThat(ing.metadata().get("http_requests_total").type()).isEqualTo("counter");
    assertThat(ing.metadata().get("http_requests_total").help()).isEqualTo("Requests served.");
  }

  @Test
  void v2_symbolsTable_isResolvedAndWrittenHeadersSet() {
    byte[] proto = RemoteWriteEncoder.v2(List.of(series(UP, 1000, 1, 1), series(REQS, 1000, 7)));
    IngestResponse r = handler.handle(v2Request(proto).build());
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.headers())
        .containsEntry(RemoteWriteHandler.SAMPLES_WRITTEN, "3")
        .containsEntry(RemoteWriteHandler.HISTOGRAMS_WRITTEN, "0")
        .containsEntry(RemoteWriteHandler.EXEMPLARS_WRITTEN, "0");
    assertThat(store.samples(UP)).hasSize(2);
    assertThat(store.samples(REQS)).containsExactly(new TestStorage.Sample(1000, 7));
    assertThat(stats.accepted(IngestStats.REMOTE_WRITE_V2)).isEqualTo(3);
  }

  @Test
  void v2_metadataAndSymbolsAfterSeries_areDecoded() {
    // Series first, then symbols: field order is free in protobuf.
    byte[] proto =
        new ProtoWriter()
            .message(
                5,
                ts ->
                    ts.packedVarints(1, 1, 2)
                        .message(2, s -> s.doubleField(1, 3).varint(2, 5000))
                        .message(5, m -> m.varint(1, 2).varint(3, 3).varint(4, 4)))
            .string(4, "")
            .string(4, "__name__")
            .string(4, "temperature_celsius")
            .string(4, "Room temperature.")
            .string(4, "celsius")
            .toByteArray();
    Ingester ing = new Ingester(store.appendable(), IngestLimits.DEFAULTS, stats, nanos::get);
    IngestResponse r = new RemoteWriteHandler(ing).handle(v2Request(proto).build());
    assertThat(r.status()).as(r.bodyText()).isEqualTo(204);
    assertThat(store.samples(Labels.of("__name__", "temperature_celsius")))
        .containsExactly(new TestStorage.Sample(5000, 3));
    assertThat(ing.metadata().get("temperature_celsius").unit()).isEqualTo("celsius");
    assertThat(ing.metadata().get("temperature_celsius").type()).isEqualTo("gauge");
  }

  @Test
  void v2_symbolRefOutOfRange_is400AndStoresNothing() {
    byte[] proto =
        new ProtoWriter()
            .string(4, "")
            .string(4, "__name__")
            .message(5, ts -> ts.packedVarints(1, 1, 9).message(2, s -> s.doubleField(1, 1)))
            .toByteArray();
    IngestResponse r = handler.handle(v2Request(proto).build());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("symbol reference 9 outside the symbols table of 2");
    assertThat(r.headers()).containsEntry(RemoteWriteHandler.SAMPLES_WRITTEN, "0");
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void wrongContentType_is415() {
    IngestResponse r =
        handler.handle(v1Request(new byte[0]).header("Content-Type", "application/json").build());
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.bodyText()).contains("unsupported Content-Type \"application/json\"");
    IngestResponse r2 =
        handler.handle(
            v1Request(new byte[0])
                .header("Content-Type", "application/x-protobuf;proto=foo.Bar")
                .build());
    assertThat(r2.status()).isEqualTo(415);
    assertThat(r2.bodyText()).contains("foo.Bar");
  }

  @Test
  void missingOrWrongEncoding_is415() {
    IngestRequest noEnc =
        IngestRequest.builder()
            .header("Content-Type", "application/x-protobuf")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .body(new byte[] {0})
            .build();
    assertThat(handler.handle(noEnc).status()).isEqualTo(415);
    assertThat(handler.handle(noEnc).bodyText()).contains("Content-Encoding");
    IngestResponse gz =
        handler.handle(v1Request(new byte[0]).header("Content-Encoding", "gzip").build());
    assertThat(gz.status()).isEqualTo(415);
    assertThat(stats.rejected(IngestStats.REMOTE_WRITE, RejectReason.BAD_HEADERS)).isEqualTo(3);
  }

  @Test
  void missingVersionHeader_is400NamingTheHeader() {
    IngestRequest req =
        IngestRequest.builder()
            .header("Content-Encoding", "snappy")
            .header("Content-Type", "application/x-protobuf")
            .body(Snappy.compress(RemoteWriteEncoder.v1(List.of(series(UP, 1, 1)))))
            .build();
    IngestResponse r = handler.handle(req);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("X-Prometheus-Remote-Write-Version");
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void corruptSnappy_is400AndKeepsWhatWasStored() {
    handler.handle(v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 1000, 1)))).build());
    byte[] packed = Snappy.compress(RemoteWriteEncoder.v1(List.of(series(REQS, 1000, 1, 2, 3))));
    byte[] corrupt = Arrays.copyOf(packed, packed.length - 7);
    IngestResponse r = handler.handle(v1Request(new byte[0]).body(corrupt).build());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("corrupt snappy block");
    assertThat(store.samples(UP)).hasSize(1);
    assertThat(store.samples(REQS)).isEmpty();
    assertThat(stats.rejected(IngestStats.REMOTE_WRITE, RejectReason.MALFORMED)).isEqualTo(1);
  }

  @Test
  void truncatedProtobuf_is400AndStoresNothingOfTheRequest() {
    byte[] proto = RemoteWriteEncoder.v1(List.of(series(UP, 1000, 1), series(REQS, 1000, 1, 2)));
    byte[] cut = Arrays.copyOf(proto, proto.length - 3);
    IngestResponse r = handler.handle(v1Request(cut).build());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("prometheus.WriteRequest").contains("malformed protobuf");
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void outOfOrderSample_is400NamingTheSeries_andTheRestIsStored() {
    handler.handle(v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 100_000, 1)))).build());
    byte[] proto = RemoteWriteEncoder.v1(List.of(series(UP, 50_000, 2), series(REQS, 1000, 9)));
    IngestResponse r = handler.handle(v1Request(proto).build());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText())
        .contains("1 samples written, 1 rejected (out_of_order: 1)")
        .contains("up{")
        .contains("timestamp 50000");
    assertThat(store.samples(UP)).containsExactly(new TestStorage.Sample(100_000, 1));
    assertThat(store.samples(REQS)).hasSize(1);
    assertThat(stats.rejected(IngestStats.REMOTE_WRITE, RejectReason.OUT_OF_ORDER)).isEqualTo(1);
  }

  @Test
  void resentIdenticalSample_isAcceptedIdempotently() {
    byte[] proto = RemoteWriteEncoder.v1(List.of(series(UP, 1000, 1)));
    assertThat(handler.handle(v1Request(proto).build()).status()).isEqualTo(204);
    assertThat(handler.handle(v1Request(proto).build()).status()).isEqualTo(204);
    assertThat(store.samples(UP)).hasSize(1);
  }

  @Test
  void duplicateTimestampWithOtherValue_isRejected() {
    handler.handle(v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 1000, 1)))).build());
    IngestResponse r =
        handler.handle(v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 1000, 5)))).build());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("duplicate sample");
    assertThat(store.samples(UP)).containsExactly(new TestStorage.Sample(1000, 1));
  }

  @Test
  void oversizedBody_is413() {
    RemoteWriteHandler small = handler(IngestLimits.builder().maxBodyBytes(64).build());
    double[] many = new double[100];
    IngestResponse r =
        small.handle(v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 0, many)))).build());
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.bodyText()).contains("over the limit of 64 bytes");
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void decompressedSizeOverLimit_is413() {
    RemoteWriteHandler small = handler(IngestLimits.builder().maxDecompressedBytes(100).build());
    double[] many = new double[100];
    IngestResponse r =
        small.handle(v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 0, many)))).build());
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.bodyText()).contains("over the limit of 100");
  }

  @Test
  void overIngestRate_is429WithRetryAfter_andStoresNothing() {
    RemoteWriteHandler limited = handler(IngestLimits.builder().samplesPerSecond(10).build());
    double[] eight = new double[8];
    IngestRequest req = v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 0, eight)))).build();
    assertThat(limited.handle(req).status()).isEqualTo(204);
    IngestRequest next =
        v1Request(RemoteWriteEncoder.v1(List.of(series(REQS, 0, new double[8])))).build();
    IngestResponse r = limited.handle(next);
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.headers()).containsEntry("Retry-After", "1");
    assertThat(r.bodyText()).contains("ingest rate limit of 10 samples/s");
    assertThat(store.samples(REQS)).isEmpty();
    nanos.addAndGet(1_000_000_000L);
    assertThat(limited.handle(next).status()).isEqualTo(204);
    assertThat(stats.rejected(IngestStats.REMOTE_WRITE, RejectReason.RATE_LIMITED)).isEqualTo(8);
  }

  @Test
  void newSeriesOverCardinalityLimit_areRejected_knownOnesStillWritten() {
    RemoteWriteHandler limited = handler(IngestLimits.builder().maxSeries(1).build());
    assertThat(
            limited
                .handle(v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 0, 1)))).build())
                .status())
        .isEqualTo(204);
    IngestResponse r =
        limited.handle(
            v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 1000, 1), series(REQS, 0, 1))))
                .build());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("series limit of 1 reached").contains("http_requests_total");
    assertThat(store.samples(UP)).hasSize(2);
    assertThat(store.samples(REQS)).isEmpty();
    assertThat(stats.rejected(IngestStats.REMOTE_WRITE, RejectReason.CARDINALITY)).isEqualTo(1);
  }

  @Test
  void invalidLabels_areRejectedPerSeries() {
    Labels noName = Labels.of("job", "x");
    Labels badName = Labels.of("__name__", "1bad");
    Labels badLabel = Labels.of("__name__", "ok", "bad-label", "v");
    IngestResponse r =
        handler.handle(
            v1Request(
                    RemoteWriteEncoder.v1(
                        List.of(
                            series(noName, 0, 1),
                            series(badName, 0, 1),
                            series(badLabel, 0, 1),
                            series(UP, 0, 1))))
                .build());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText())
        .contains("invalid_labels: 3")
        .contains("no metric name")
        .contains("invalid metric name \"1bad\"")
        .contains("invalid label name \"bad-label\"");
    assertThat(store.seriesCount()).isEqualTo(1);
  }

  @Test
  void duplicateLabelNames_areRejected() {
    byte[] proto =
        new ProtoWriter()
            .message(
                1,
                ts ->
                    ts.message(1, l -> l.string(1, "__name__").string(2, "a"))
                        .message(1, l -> l.string(1, "x").string(2, "1"))
                        .message(1, l -> l.string(1, "x").string(2, "2"))
                        .message(2, s -> s.doubleField(1, 1).varint(2, 1)))
            .toByteArray();
    IngestResponse r = handler.handle(v1Request(proto).build());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("duplicate label name x");
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void tooManyLabels_isRejected() {
    RemoteWriteHandler limited = handler(IngestLimits.builder().maxLabelsPerSeries(2).build());
    IngestResponse r =
        limited.handle(v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 0, 1)))).build());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("has 3 labels, over the limit of 2");
    assertThat(stats.rejected(IngestStats.REMOTE_WRITE, RejectReason.TOO_MANY_LABELS)).isEqualTo(1);
  }

  @Test
  void storageFailure_is500AndNothingOfTheBatchIsStored() {
    handler.handle(v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 0, 1)))).build());
    store.failNextCommit();
    IngestResponse r =
        handler.handle(v1Request(RemoteWriteEncoder.v1(List.of(series(REQS, 0, 1, 2)))).build());
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.bodyText()).contains("disk full");
    assertThat(store.samples(REQS)).isEmpty();
    assertThat(store.samples(UP)).hasSize(1);
    // The sender retries a 5xx; then it lands.
    assertThat(
            handler
                .handle(v1Request(RemoteWriteEncoder.v1(List.of(series(REQS, 0, 1, 2)))).build())
                .status())
        .isEqualTo(204);
    assertThat(store.samples(REQS)).hasSize(2);
  }

  @Test
  void fullDisk_is507WithRetryAfter_namesTheCause_andTheRetryLands() {
    store.failNextCommitForLackOfSpace();
    IngestResponse r =
        handler.handle(v1Request(RemoteWriteEncoder.v1(List.of(series(REQS, 0, 1, 2)))).build());
    assertThat(r.status()).isEqualTo(507);
    assertThat(r.headers()).containsEntry("Retry-After", "5");
    assertThat(r.bodyText())
        .startsWith("no space left on device")
        .doesNotContain("/data/wal"); // the path is for the server's log, not the sender
    assertThat(store.samples(REQS)).isEmpty();
    assertThat(
            handler
                .handle(v1Request(RemoteWriteEncoder.v1(List.of(series(REQS, 0, 1, 2)))).build())
                .status())
        .isEqualTo(204);
    assertThat(store.samples(REQS)).hasSize(2);
  }

  @Test
  void repeatedSeries_resolvedFromTheSeriesCache_sameLabelsStored() {
    for (int round = 0; round < 3; round++) {
      byte[] proto =
          RemoteWriteEncoder.v1(
              List.of(
                  series(UP, 1000 + round * 1000L, 1), series(REQS, 1000 + round * 1000L, round)));
      assertThat(handler.handle(v1Request(proto).build()).status()).isEqualTo(204);
    }
    assertThat(store.samples(UP)).hasSize(3);
    assertThat(store.samples(REQS))
        .extracting(TestStorage.Sample::v)
        .containsExactly(0.0, 1.0, 2.0);
    assertThat(store.seriesCount()).isEqualTo(2);
  }

  @Test
  void labelsAfterSamples_areNotMistakenForACachedPrefix() {
    // First {__name__="a"} alone, cached; then the same leading label followed by a sample and
    // another label: a different series that must not resolve to the cached one.
    byte[] alone =
        new ProtoWriter()
            .message(
                1,
                ts ->
                    ts.message(1, l -> l.string(1, "__name__").string(2, "a"))
                        .message(2, s -> s.doubleField(1, 1).varint(2, 1000)))
            .toByteArray();
    byte[] split =
        new ProtoWriter()
            .message(
                1,
                ts ->
                    ts.message(1, l -> l.string(1, "__name__").string(2, "a"))
                        .message(2, s -> s.doubleField(1, 2).varint(2, 2000))
                        .message(1, l -> l.string(1, "x").string(2, "y")))
            .toByteArray();
    assertThat(handler.handle(v1Request(alone).build()).status()).isEqualTo(204);
    assertThat(handler.handle(v1Request(split).build()).status()).isEqualTo(204);
    assertThat(handler.handle(v1Request(split).build()).status()).isEqualTo(204);
    assertThat(store.samples(Labels.of("__name__", "a")))
        .containsExactly(new TestStorage.Sample(1000, 1));
    assertThat(store.samples(Labels.of("__name__", "a", "x", "y")))
        .containsExactly(new TestStorage.Sample(2000, 2));
  }

  @Test
  void cardinalityRefusal_isNotCachedAsAdmitted() {
    RemoteWriteHandler limited = handler(IngestLimits.builder().maxSeries(1).build());
    limited.handle(v1Request(RemoteWriteEncoder.v1(List.of(series(UP, 0, 1)))).build());
    for (int i = 0; i < 2; i++) {
      IngestResponse r =
          limited.handle(
              v1Request(RemoteWriteEncoder.v1(List.of(series(REQS, i * 1000L, 1)))).build());
      assertThat(r.status()).isEqualTo(400);
    }
    assertThat(store.samples(REQS)).isEmpty();
  }

  @Test
  void contentTypeWhoseLowerCaseIsLonger_is415NotA500() {
    // 'İ' lower-cases to two chars: the proto= index was taken in the lower-cased header and
    // applied to the original (StringIndexOutOfBoundsException for this header).
    IngestResponse r =
        handler.handle(
            v1Request(new byte[0])
                .header("Content-Type", "application/x-protobuf;İİİİİİİİproto=x")
                .build());
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.bodyText())
        .isEqualTo(
            "unsupported remote write message \"x\": this receiver accepts"
                + " prometheus.WriteRequest and io.prometheus.write.v2.Request\n");
    IngestResponse v2 =
        handler.handle(
            v2Request(new byte[0])
                .header(
                    "Content-Type", "application/x-protobuf; PROTO=io.prometheus.write.v2.Request")
                .build());
    assertThat(v2.status()).isEqualTo(204);
  }
}
