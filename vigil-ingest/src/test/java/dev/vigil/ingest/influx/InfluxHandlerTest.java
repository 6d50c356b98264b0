package dev.vigil.ingest.influx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestResponse;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.TestStorage;
import dev.vigil.ingest.TestStorage.Sample;
import dev.vigil.ingest.wire.Gzip;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InfluxHandlerTest {
  private static final long NOW = 1_700_000_000_123L;
  private final TestStorage store = new TestStorage();
  private final IngestStats stats = new IngestStats();
  private final Ingester ingester =
      new Ingester(store.appendable(), IngestLimits.DEFAULTS, stats, () -> 0);
  private final InfluxHandler v1 = new InfluxHandler(ingester, () -> NOW, InfluxHandler.Api.V1);
  private final InfluxHandler v2 = new InfluxHandler(ingester, () -> NOW, InfluxHandler.Api.V2);

  private static IngestRequest body(String text, String precision) {
    return IngestRequest.builder()
        .param("precision", precision)
        .body(text.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static JsonNode json(IngestResponse r) throws Exception {
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void docsWeatherExample_isStoredAsMeasurementUnderscoreField() {
    IngestResponse r =
        v1.handle(
            body(
                "weather,location=us-midwest temperature=82,humidity=71i 1465839830100400200\n",
                null));
    assertThat(r.status()).isEqualTo(204);
    assertThat(store.samples("weather_temperature", "location", "us-midwest"))
        .containsExactly(new Sample(1465839830100L, 82));
    assertThat(store.samples("weather_humidity", "location", "us-midwest"))
        .containsExactly(new Sample(1465839830100L, 71));
  }

  @Test
  void fullDisk_is507WithRetryAfter_andNamesTheCause() throws Exception {
    store.failNextCommitForLackOfSpace();
    IngestResponse r = v2.handle(body("a v=1 1700000000", "s"));
    assertThat(r.status()).isEqualTo(507);
    assertThat(r.headers()).containsEntry("Retry-After", "5");
    assertThat(json(r).get("code").asText()).isEqualTo("insufficient storage");
    assertThat(json(r).get("message").asText()).startsWith("no space left on device");
    assertThat(store.samples("a_v")).isEmpty();
    assertThat(v2.handle(body("a v=1 1700000000", "s")).status()).isEqualTo(204);
  }

  @Test
  void precision_scalesTimestampsToMilliseconds() {
    v2.handle(body("a v=1 1700000000", "s"));
    v2.handle(body("b v=1 1700000000123", "ms"));
    v2.handle(body("c v=1 1700000000123456", "us"));
    v1.handle(body("d v=1 28333333", "m"));
    v1.handle(body("e v=1 1700000000123456", "u"));
    assertThat(store.samples("a_v")).containsExactly(new Sample(1_700_000_000_000L, 1));
    assertThat(store.samples("b_v")).containsExactly(new Sample(1_700_000_000_123L, 1));
    assertThat(store.samples("c_v")).containsExactly(new Sample(1_700_000_000_123L, 1));
    assertThat(store.samples("d_v")).containsExactly(new Sample(1_699_999_980_000L, 1));
    assertThat(store.samples("e_v")).containsExactly(new Sample(1_700_000_000_123L, 1));
  }

  @Test
  void invalidPrecision_is400() throws Exception {
    IngestResponse r = v2.handle(body("a v=1", "fortnight"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r).get("code").asText()).isEqualTo("invalid");
    assertThat(json(r).get("message").asText()).contains("invalid precision \"fortnight\"");
  }

  @Test
  void missingTimestamp_takesServerTime() {
    v1.handle(body("cpu,host=a usage_idle=90", null));
    assertThat(store.samples("cpu_usage_idle", "host", "a")).containsExactly(new Sample(NOW, 90));
  }

  @Test
  void booleansAreOneAndZero_unsignedAndIntegersStored() {
    v1.handle(body("sw up=true,down=F,big=5u,n=-3i 1000000000", "n"));
    assertThat(store.samples("sw_up")).containsExactly(new Sample(1000, 1));
    assertThat(store.samples("sw_down")).containsExactly(new Sample(1000, 0));
    assertThat(store.samples("sw_big")).containsExactly(new Sample(1000, 5));
    assertThat(store.samples("sw_n")).containsExactly(new Sample(1000, -3));
  }

  @Test
  void badLine_rejectsOnlyThatLine_andTheResponseListsIt() throws Exception {
    String text =
        """
        # a comment
        cpu,host=a v=1 1000000000
        cpu,host=b v=oops 1000000000

        cpu,host=c v=3 1000000000
        """;
    IngestResponse r = v1.handle(body(text, null));
    assertThat(r.status()).isEqualTo(400);
    JsonNode j = json(r);
    assertThat(j.get("error").asText())
        .contains("partial write")
        .contains("2 samples written")
        .contains("1 of 3 lines had errors");
    assertThat(j.get("lines")).hasSize(1);
    assertThat(j.get("lines").get(0).get("line").asInt()).isEqualTo(3);
    assertThat(j.get("lines").get(0).get("reason").asText())
        .contains("invalid value \"oops\" of field \"v\"");
    assertThat(store.samples("cpu_v", "host", "a")).hasSize(1);
    assertThat(store.samples("cpu_v", "host", "c")).hasSize(1);
    assertThat(stats.rejected(IngestStats.INFLUX, RejectReason.INVALID_LINE)).isEqualTo(1);
  }

  @Test
  void stringField_isRejectedWithReason_numericFieldsOfTheLineKept() throws Exception {
    IngestResponse r = v2.handle(body("svc,host=a status=\"ok\",latency=0.25 1000000000", null));
    assertThat(r.status()).isEqualTo(400);
    JsonNode line = json(r).get("lines").get(0);
    assertThat(line.get("line").asInt()).isEqualTo(1);
    assertThat(line.get("reason").asText()).contains("field \"status\" is a string");
    assertThat(store.samples("svc_latency", "host", "a")).containsExactly(new Sample(1000, 0.25));
    assertThat(stats.rejected(IngestStats.INFLUX, RejectReason.STRING_FIELD)).isEqualTo(1);
  }

  @Test
  void namesAreMadeValid() {
    v1.handle(body("my\\ Measurement,tag\\ Key1=tag\\ Value1 field-key=100 1000000000", null));
    assertThat(store.samples("my_Measurement_field_key", "tag_Key1", "tag Value1"))
        .containsExactly(new Sample(1000, 100));
  }

  @Test
  void gzipBody_isInflated_corruptGzipIs400() {
    byte[] gz = Gzip.compress("g v=2 1000000000\n".getBytes(StandardCharsets.UTF_8));
    IngestRequest req = IngestRequest.builder().header("Content-Encoding", "gzip").body(gz).build();
    assertThat(v2.handle(req).status()).isEqualTo(204);
    assertThat(store.samples("g_v")).containsExactly(new Sample(1000, 2));
    IngestRequest bad =
        IngestRequest.builder().header("Content-Encoding", "gzip").body(new byte[] {1, 2}).build();
    IngestResponse r = v2.handle(bad);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("corrupt gzip body");
  }

  @Test
  void oversizedBody_is413() {
    InfluxHandler small =
        new InfluxHandler(
            new Ingester(
                store.appendable(),
                IngestLimits.builder().maxBodyBytes(10).build(),
                stats,
                () -> 0),
            () -> NOW,
            InfluxHandler.Api.V2);
    IngestResponse r = small.handle(body("cpu value=1 1000000000", null));
    assertThat(r.status()).isEqualTo(413);
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void outOfOrderLine_isReportedAndEarlierDataKept() throws Exception {
    v1.handle(body("o v=1 5000000000", null));
    IngestResponse r = v1.handle(body("o v=2 1000000000", null));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("out-of-order");
    assertThat(store.samples("o_v")).containsExactly(new Sample(5000, 1));
  }

  @Test
  void duplicateTagKey_rejectsTheLine() throws Exception {
    IngestResponse r = v1.handle(body("d,a=1,a=2 v=1 1000000000", null));
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r).get("lines").get(0).get("reason").asText())
        .contains("duplicate tag key \"a\"");
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void timestampOverflowingMilliseconds_rejectsTheLineOnly() throws Exception {
    // Found by LineProtocolParserFuzzTest: was an ArithmeticException out of the handler.
    IngestResponse r = v2.handle(body("a v=1 9223372036854775807\nb v=2 1700000000", "s"));
    assertThat(r.status()).isEqualTo(400);
    JsonNode line = json(r).get("lines").get(0);
    assertThat(line.get("line").asInt()).isEqualTo(1);
    assertThat(line.get("reason").asText())
        .isEqualTo(
            "timestamp 9223372036854775807 is out of range at precision s (past the year"
                + " 292278994 in milliseconds)");
    assertThat(store.samples("a_v")).isEmpty();
    assertThat(store.samples("b_v")).containsExactly(new Sample(1_700_000_000_000L, 2));
  }
}
