package dev.vigil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {
  @Test
  void ingestSection_isBound_andDefaultsApplyWithoutIt() {
    IngestLimits l =
        ConfigLoader.parse(
                "vigil.yml",
                """
                ingest:
                  max_series: 5000
                  max_labels_per_series: 20
                  max_decompressed_size: 8MiB
                  samples_per_second: 100000
                """,
                Map.of())
            .ingest();
    assertThat(l.maxSeries()).isEqualTo(5000);
    assertThat(l.maxLabelsPerSeries()).isEqualTo(20);
    assertThat(l.maxDecompressedBytes()).isEqualTo(8 << 20);
    assertThat(l.samplesPerSecond()).isEqualTo(100_000);
    assertThat(l.burstSamples()).isEqualTo(100_000);
    assertThat(ConfigLoader.parse("vigil.yml", "", Map.of()).ingest())
        .isEqualTo(IngestLimits.DEFAULTS);
  }

  @Test
  void badIngestValues_areRejectedNamingTheKey() {
    assertThatThrownBy(
            () -> ConfigLoader.parse("vigil.yml", "ingest:\n  max_series: 0\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.max_series");
    assertThatThrownBy(
            () -> ConfigLoader.parse("vigil.yml", "ingest:\n  max_sereis: 10\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max_sereis");
  }

  @Test
  void exampleFile_parsesWithItsIngestSection() throws Exception {
    Path example = Path.of(System.getProperty("vigil.root"), "vigil.example.yml");
    assertThat(
            ConfigLoader.parse("vigil.example.yml", Files.readString(example), Map.of()).ingest())
        .isEqualTo(IngestLimits.DEFAULTS);
  }
}
