package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.ingest.remote.RemoteWriteEncoder.Series;
import dev.vigil.ingest.wire.Gzip;
import dev.vigil.ingest.wire.ProtoWriter;
import dev.vigil.ingest.wire.PureSnappyCodec;
import dev.vigil.model.Labels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-made seed inputs of the ingest fuzz targets, built with the project's own encoders. The
 * committed seed files under {@code src/test/resources/.../<Target>Inputs/<method>/seed-*} are
 * exactly these bytes ({@link #committedSeeds_matchTheGenerator}); to change them, edit this class
 * and run {@link #main} from the module directory. Findings ({@code crash-*} renamed) sit next to
 * them and are not generated.
 */
public final class FuzzSeedsTest {
  static final long T = 1_700_000_000_000L;
  static final long T_NS = T * 1_000_000;

  /** Corpus directory (relative to src/test/resources) to seed name to bytes. */
  static Map<String, Map<String, byte[]>> all() {
    Map<String, Map<String, byte[]>> m = new LinkedHashMap<>();
    m.put("dev/vigil/ingest/wire/SnappyFuzzTestInputs/decompress", snappy());
    m.put("dev/vigil/ingest/wire/GzipFuzzTestInputs/decompress", gzip());
    m.put("dev/vigil/ingest/remote/RemoteWrite1DecoderFuzzTestInputs/decode", rw1());
    m.put("dev/vigil/ingest/remote/RemoteWrite2DecoderFuzzTestInputs/decode", rw2());
    m.put("dev/vigil/ingest/otlp/OtlpProtoDecoderFuzzTestInputs/decode", otlpProto());
    m.put("dev/vigil/ingest/otlp/OtlpJsonDecoderFuzzTestInputs/decode", otlpJson());
    m.put("dev/vigil/ingest/influx/LineProtocolParserFuzzTestInputs/parse", influx());
    return m;
  }

  static List<Series> series() {
    return List.of(
        new Series(
            Labels.of("__name__", "up", "job", "node", "instance", "a:9100"),
            new long[] {T, T + 15_000},
            new double[] {1, 0}),
        new Series(
            Labels.of("__name__", "http_requests_total", "code", "200"),
            new long[] {T},
            new double[] {Double.NaN}));
  }

  private static Map<String, byte[]> snappy() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("seed-empty", PureSnappyCodec.compress(new byte[0]));
    m.put(
        "seed-text", PureSnappyCodec.compress(utf8("hello hello hello hello snappy world, hello")));
    byte[] zeros = new byte[300];
    m.put("seed-zeros", PureSnappyCodec.compress(zeros));
    m.put("seed-remote-write", PureSnappyCodec.compress(RemoteWriteEncoder.v1(series())));
    // By hand: 7 bytes declared, literal "ab", then a 5-byte overlapping copy at offset 2.
    m.put("seed-overlapping-copy", new byte[] {0x07, 0x04, 'a', 'b', 0x05, 0x02});
    // By hand: a 2-byte-offset copy (tag 10) and a 4-byte-offset copy (tag 11).
    m.put(
        "seed-long-offsets",
        new byte[] {0x0a, 0x0c, 'a', 'b', 'c', 'd', 0x0e, 0x04, 0x00, 0x07, 0x04, 0, 0, 0});
    m.put("near-truncated-literal", new byte[] {0x0a, 0x24, 'a', 'b'});
    m.put("near-offset-before-start", new byte[] {0x04, 0x00, 'a', 0x05, 0x09});
    return m;
  }

  private static Map<String, byte[]> gzip() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("seed-line-protocol", Gzip.compress(utf8("cpu,host=a usage_idle=90 1700000000\n")));
    m.put("seed-empty", Gzip.compress(new byte[0]));
    // A decompression bomb: 256 KiB of zeros (a few hundred bytes compressed), over the limit.
    m.put("seed-bomb", Gzip.compress(new byte[256 << 10]));
    byte[] two = concat(Gzip.compress(utf8("a v=1\n")), Gzip.compress(utf8("b v=2\n")));
    m.put("seed-two-members", two);
    byte[] ok = Gzip.compress(utf8("m f=1"));
    m.put("near-truncated", Arrays.copyOf(ok, ok.length - 5));
    return m;
  }

  private static Map<String, byte[]> rw1() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("seed-two-series", RemoteWriteEncoder.v1(series()));
    m.put("seed-empty", new byte[0]);
    // Metadata, an exemplar and a (skipped) native histogram, unknown field 9.
    ProtoWriter w = new ProtoWriter();
    w.message(
        1,
        ts ->
            ts.message(1, l -> l.string(1, "__name__").string(2, "rpc_seconds_bucket"))
                .message(1, l -> l.string(1, "le").string(2, "+Inf"))
                .message(2, s -> s.doubleField(1, 3).varint(2, T))
                .message(
                    3,
                    e ->
                        e.message(1, l -> l.string(1, "trace_id").string(2, "abc"))
                            .doubleField(2, 0.5)
                            .varint(3, T))
                .message(4, h -> h.varint(1, 3))
                .varint(9, 7));
    w.message(
        3, md -> md.varint(1, 1).string(2, "rpc_seconds").string(4, "RPC latency").string(5, "s"));
    m.put("seed-exemplar-metadata", w.toByteArray());
    // Labels after the samples, and an invalid label name.
    m.put(
        "near-invalid-label",
        new ProtoWriter()
            .message(
                1,
                ts ->
                    ts.message(2, s -> s.doubleField(1, 1).varint(2, T))
                        .message(1, l -> l.string(1, "__name__").string(2, "x"))
                        .message(1, l -> l.string(1, "0bad").string(2, "v")))
            .toByteArray());
    byte[] ok = RemoteWriteEncoder.v1(series());
    m.put("near-truncated", Arrays.copyOf(ok, ok.length - 3));
    return m;
  }

  private static Map<String, byte[]> rw2() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("seed-two-series", RemoteWriteEncoder.v2(series()));
    // Symbols after the series, metadata, an exemplar, created timestamp, a histogram.
    ProtoWriter w = new ProtoWriter();
    w.message(
        5,
        ts ->
            ts.packedVarints(1, 1, 2, 3, 4)
                .message(2, s -> s.doubleField(1, 7).varint(2, T).varint(3, T - 1000))
                .message(3, h -> h.varint(1, 1))
                .message(4, e -> e.packedVarints(1, 5, 6).doubleField(2, 1.5).varint(3, T))
                .message(5, md -> md.varint(1, 2).varint(3, 7).varint(4, 8))
                .varint(6, T - 5000));
    for (String s :
        new String[] {"", "__name__", "jobs_total", "job", "api", "trace_id", "t1", "Jobs.", "1"}) {
      w.string(4, s);
    }
    m.put("seed-symbols-last", w.toByteArray());
    m.put(
        "near-bad-ref",
        new ProtoWriter()
            .string(4, "")
            .string(4, "__name__")
            .message(5, ts -> ts.packedVarints(1, 1, 9).message(2, s -> s.doubleField(1, 1)))
            .toByteArray());
    return m;
  }

  static byte[] otlpProtoRequest() {
    ProtoWriter number =
        new ProtoWriter()
            .message(7, kv -> kv.string(1, "code").message(2, v -> v.string(1, "200")))
            .fixed64(2, T_NS - 60_000_000_000L)
            .fixed64(3, T_NS)
            .doubleField(4, 5);
    byte[] numberBytes = number.toByteArray();
    byte[] histogram =
        new ProtoWriter()
            .fixed64(3, T_NS)
            .fixed64(4, 3)
            .doubleField(5, 1.5)
            .packedFixed64(6, 1, 1, 1)
            .packedDoubles(7, 0.1, 1)
            .toByteArray();
    byte[] summary =
        new ProtoWriter()
            .fixed64(3, T_NS)
            .fixed64(4, 10)
            .doubleField(5, 2.5)
            .message(6, q -> q.doubleField(1, 0.5).doubleField(2, 0.2))
            .toByteArray();
    ProtoWriter metrics = new ProtoWriter();
    metrics.message(
        2,
        mt ->
            mt.string(1, "http.requests")
                .string(2, "Requests")
                .string(3, "1")
                .message(7, s -> s.bytes(1, numberBytes).varint(2, 2).varint(3, 1)));
    metrics.message(
        2,
        mt ->
            mt.string(1, "queue.size")
                .message(5, g -> g.message(1, p -> p.fixed64(3, T_NS).fixed64(6, 12))));
    metrics.message(
        2,
        mt ->
            mt.string(1, "rpc.duration")
                .string(3, "s")
                .message(9, h -> h.bytes(1, histogram).varint(2, 2)));
    metrics.message(2, mt -> mt.string(1, "rpc.latency").message(11, s -> s.bytes(1, summary)));
    metrics.message(
        2, mt -> mt.string(1, "exp").message(10, e -> e.message(1, p -> p.fixed64(3, T_NS))));
    byte[] scopeMetrics =
        new ProtoWriter()
            .message(1, sc -> sc.string(1, "my.library").string(2, "1.0"))
            .raw(metrics.toByteArray(), 0, metrics.size())
            .toByteArray();
    byte[] resource =
        new ProtoWriter()
            .message(1, kv -> kv.string(1, "service.name").message(2, v -> v.string(1, "api")))
            .message(
                1,
                kv ->
                    kv.string(1, "tags")
                        .message(
                            2,
                            v ->
                                v.message(
                                    5,
                                    a ->
                                        a.message(1, x -> x.string(1, "a"))
                                            .message(1, x -> x.varint(3, 7))
                                            .message(1, x -> x.doubleField(4, 0.25)))))
            .message(
                1,
                kv ->
                    kv.string(1, "map")
                        .message(
                            2,
                            v ->
                                v.message(
                                    6,
                                    l ->
                                        l.message(
                                            1,
                                            e ->
                                                e.string(1, "k").message(2, x -> x.varint(2, 1))))))
            .message(1, kv -> kv.string(1, "raw").message(2, v -> v.bytes(7, new byte[] {1, 2, 3})))
            .toByteArray();
    return new ProtoWriter()
        .message(1, rm -> rm.bytes(1, resource).bytes(2, scopeMetrics))
        .toByteArray();
  }

  private static Map<String, byte[]> otlpProto() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("seed-all-kinds", otlpProtoRequest());
    m.put("seed-empty", new byte[0]);
    byte[] ok = otlpProtoRequest();
    m.put("near-truncated", Arrays.copyOf(ok, ok.length / 2));
    return m;
  }

  static final String OTLP_JSON =
      """
      {"resourceMetrics": [{
        "resource": {"attributes": [
          {"key": "service.name", "value": {"stringValue": "api"}},
          {"key": "cores", "value": {"intValue": "8"}},
          {"key": "tags", "value": {"arrayValue": {"values": [{"stringValue": "a"}, {"doubleValue": 0.5}]}}},
          {"key": "map", "value": {"kvlistValue": {"values": [{"key": "k", "value": {"boolValue": true}}]}}},
          {"key": "raw", "value": {"bytesValue": "AQID"}}]},
        "scopeMetrics": [{
          "scope": {"name": "my.library", "version": "1.0.0"},
          "metrics": [
            {"name": "http.requests", "unit": "1", "description": "Requests",
             "sum": {"aggregationTemporality": 2, "isMonotonic": true,
               "dataPoints": [{"asDouble": 5, "startTimeUnixNano": "1699999940000000000",
                 "timeUnixNano": "1700000000000000000",
                 "attributes": [{"key": "code", "value": {"stringValue": "200"}}]}]}},
            {"name": "queue.size", "gauge": {"dataPoints": [{"asInt": "12", "timeUnixNano": 1700000000000000000}]}},
            {"name": "rpc.duration", "unit": "s",
             "histogram": {"aggregationTemporality": "AGGREGATION_TEMPORALITY_CUMULATIVE", "dataPoints": [{
               "timeUnixNano": "1700000000000000000", "count": "3", "sum": 1.5,
               "bucketCounts": ["1", 1, 1], "explicitBounds": [0.1, "1"]}]}},
            {"name": "rpc.latency", "summary": {"dataPoints": [{"timeUnixNano": "1700000000000000000",
               "count": 10, "sum": "NaN", "quantileValues": [{"quantile": 0.5, "value": 0.2}]}]}},
            {"name": "exp", "exponentialHistogram": {"dataPoints": [{"count": 1}]}}
          ]}]}]}
      """;

  private static Map<String, byte[]> otlpJson() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("seed-all-kinds", utf8(OTLP_JSON));
    m.put("seed-empty-object", utf8("{}"));
    m.put(
        "seed-snake-case",
        utf8(
            "{\"resource_metrics\":[{\"scope_metrics\":[{\"metrics\":[{\"name\":\"g\","
                + "\"gauge\":{\"data_points\":[{\"as_double\":1.5,\"time_unix_nano\":\""
                + T_NS
                + "\"}]}}]}]}]}"));
    m.put("near-wrong-type", utf8("{\"resourceMetrics\":{\"scopeMetrics\":[]}}"));
    m.put(
        "near-bad-int",
        utf8(
            "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":"
                + "\"g\",\"gauge\":{\"dataPoints\":[{\"timeUnixNano\":\"soon\"}]}}]}]}]}"));
    return m;
  }

  private static Map<String, byte[]> influx() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put(
        "seed-weather",
        utf8(
            "weather,location=us\\ midwest temperature=82i,humid=0.5,ok=true,note=\"dry\""
                + " 1465839830100400200"));
    m.put("seed-minimal", utf8("cpu v=1"));
    m.put(
        "seed-escapes",
        utf8("my\\,m\\ easure,t\\=k=v\\,1 f\\ k=-1.5e3,u=7u,s=\"a \\\"q\\\" \\\\\" -1"));
    m.put("seed-booleans", utf8("b,host=a t=t,T=T,f=FALSE,F=False 0"));
    m.put("near-missing-fields", utf8("cpu,host=a"));
    m.put("near-bad-value", utf8("cpu v=1x 17"));
    return m;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void committedSeeds_matchTheGenerator() throws Exception {
    Path resources = Path.of(System.getProperty("vigil.root"), "vigil-ingest/src/test/resources");
    all()
        .forEach(
            (dir, seeds) ->
                seeds.forEach(
                    (name, bytes) -> {
                      Path p = resources.resolve(dir).resolve(name);
                      assertThat(p).as("seed %s (run FuzzSeedsTest.main)", p).exists();
                      try {
                        assertThat(Files.readAllBytes(p)).as("seed %s", p).isEqualTo(bytes);
                      } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    }));
  }

  /** Writes the seed files; run from the module directory. */
  public static void main(String[] args) throws Exception {
    Path resources = Path.of(args.length > 0 ? args[0] : "src/test/resources");
    for (var e : all().entrySet()) {
      Path dir = resources.resolve(e.getKey());
      Files.createDirectories(dir);
      for (var s : e.getValue().entrySet()) {
        Files.write(dir.resolve(s.getKey()), s.getValue());
      }
    }
  }
}
