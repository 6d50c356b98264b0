package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --demo} builds its recorders from the {@code collect} section, sampling included.
 */
class DemoModeSamplingTest {

  @Test
  void demoRecorders_takeTheNamespaceAndSamplingOfVigilYml_andKeepTheModelPrices() {
    VigilConfig c =
        ConfigLoader.parse(
            "vigil.yml",
            "collect:\n  namespace: dinoair_\n  sampling: {default: 0.25, errors: 0}\n",
            Map.of());
    Recorders rec = DemoMode.recorders(c.collect());
    assertThat(rec.namespace()).isEqualTo("dinoair_");
    assertThat(rec.samplingRate("files")).isEqualTo(0.25);
    assertThat(rec.samplingRate("errors")).isZero();
    rec.recordModelGeneration("gpt-4o", "openai", 1, true, 1000, 1000);
    rec.recordError("timeout", "x", "api", "error");
    String text =
        dev.vigil.metrics.exposition.ExpositionFormat.PROMETHEUS
            .writer()
            .toString(new dev.vigil.metrics.model.MetricSnapshots(rec.collect()));
    assertThat(text).containsPattern("dinoair_model_cost_total\\{[^}]*\\} 0\\.0125");
    assertThat(rec.recentErrors()).isEmpty();
  }
}
