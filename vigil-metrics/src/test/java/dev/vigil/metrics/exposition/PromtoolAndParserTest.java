package dev.vigil.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.model.MetricFamily;
import dev.vigil.metrics.model.MetricSnapshots;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.Sample;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every metric type, written in all three formats, checked by promtool and by our parser. */
class PromtoolAndParserTest {
  private final MetricSnapshots scrape = FullRegistry.create().scrape();

  @Test
  void promtoolCheckMetrics_acceptsPrometheusTextWithoutParseErrorOrLintWarning(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("metrics.prom");
    Files.writeString(file, PrometheusTextWriter.INSTANCE.toString(scrape));
    Process p =
        new ProcessBuilder(ExternalTools.find("promtool").toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("promtool output").isEmpty();
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void openMetricsOutput_passesTheStrictParserWithExemplarsIntact() throws Exception {
    String om = OpenMetricsTextWriter.INSTANCE.toString(scrape);
    List<MetricFamily> families = ExpositionParser.openMetrics().parse(om);
    MetricFamily requests = family(families, "test_http_requests");
    assertThat(requests.type()).isEqualTo(MetricType.COUNTER);
    assertThat(requests.metadata().help())
        .isEqualTo("HTTP requests served, by \"method\" and status.\nSecond line.");
    Sample get =
        requests.samples().stream()
            .filter(s -> s.name().equals("test_http_requests_total"))
            .filter(s -> "GET".equals(s.labels().get("method")))
            .findFirst()
            .orElseThrow();
    assertThat(get.value()).isEqualTo(42);
    assertThat(get.exemplar().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    MetricFamily bytes = family(families, "test_sent_bytes");
    assertThat(bytes.metadata().unit()).isEqualTo("bytes");
    assertThat(bytes.samples().get(0).labels().get("path"))
        .isEqualTo("/a \"quoted\" \\ path\nnewline ☃");
    assertThat(family(families, "test_agent_phase").type()).isEqualTo(MetricType.STATESET);
    assertThat(family(families, "test_build").type()).isEqualTo(MetricType.INFO);
    assertThat(families).hasSize(scrape.size());
  }

  @Test
  void prometheusOutput_passesTheLenientParser() throws Exception {
    String text = PrometheusTextWriter.INSTANCE.toString(scrape);
    List<MetricFamily> families = ExpositionParser.prometheus().parse(text);
    MetricFamily h = family(families, "test_request_duration_seconds");
    assertThat(h.type()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(h.samples())
        .filteredOn(s -> s.name().equals("test_request_duration_seconds_count"))
        .extracting(Sample::value)
        .containsExactly(3.0, 1.0);
  }

  @Test
  void json_isValidAndHoldsEveryFamily() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonWriter.INSTANCE.write(out, scrape);
    JsonNode root = new ObjectMapper().readTree(out.toByteArray());
    assertThat(root.get("metrics")).hasSize(scrape.size());
    JsonNode hist = null;
    for (JsonNode m : root.get("metrics")) {
      if (m.get("name").asText().equals("test_request_duration_seconds")) {
        hist = m;
      }
    }
    assertThat(hist.get("type").asText()).isEqualTo("histogram");
    JsonNode api = hist.get("series").get(0);
    assertThat(api.get("labels").get("route").asText()).isEqualTo("/api");
    assertThat(api.get("count").asLong()).isEqualTo(3);
    JsonNode buckets = api.get("buckets");
    assertThat(buckets.get(buckets.size() - 1).get("le").asText()).isEqualTo("+Inf");
    assertThat(buckets.get(5).get("exemplar").get("labels").get("trace_id").asText())
        .isEqualTo("0af7651916cd43dd8448eb211c80319c");
  }

  @Test
  void emptyRegistry_writesValidEmptyExpositions() throws Exception {
    MetricSnapshots empty = new MetricRegistry().scrape();
    assertThat(PrometheusTextWriter.INSTANCE.toString(empty)).isEmpty();
    assertThat(OpenMetricsTextWriter.INSTANCE.toString(empty)).isEqualTo("# EOF\n");
    assertThat(ExpositionParser.openMetrics().parse("# EOF\n")).isEmpty();
  }

  private static MetricFamily family(List<MetricFamily> families, String name) {
    return families.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }
}
