package dev.vigil.collectors.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaSmiTest {

  private static String fixture(String name) throws IOException {
    try (InputStream in = NvidiaSmiTest.class.getResourceAsStream("/nvidia-smi/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void parse_twoGpus_convertsUnitsAndMarksUnsupportedAsNaN() throws IOException {
    List<NvidiaSmi.Gpu> gpus = NvidiaSmi.parse(fixture("two-gpus.csv"));
    assertThat(gpus).hasSize(2);
    NvidiaSmi.Gpu g = gpus.get(0);
    assertThat(g.index()).isEqualTo("0");
    assertThat(g.name()).isEqualTo("NVIDIA GeForce RTX 3090");
    assertThat(g.uuid()).startsWith("GPU-8f3c");
    assertThat(g.utilizationRatio()).isEqualTo(0.87);
    assertThat(g.memoryUsedBytes()).isEqualTo(18342.0 * 1024 * 1024);
    assertThat(g.memoryTotalBytes()).isEqualTo(24576.0 * 1024 * 1024);
    assertThat(g.temperatureCelsius()).isEqualTo(71);
    assertThat(g.powerWatts()).isEqualTo(312.45);
    assertThat(g.fanRatio()).isEqualTo(0.65);
    assertThat(gpus.get(1).fanRatio()).isNaN();
  }

  @Test
  void parse_valuesWithUnitsAndMissingColumns() throws IOException {
    NvidiaSmi.Gpu g = NvidiaSmi.parse(fixture("units.csv")).get(0);
    assertThat(g.utilizationRatio()).isEqualTo(0.12);
    assertThat(g.memoryUsedBytes()).isEqualTo(1024.0 * 1024 * 1024);
    assertThat(g.powerWatts()).isNaN();
    assertThat(g.powerLimitWatts()).isNaN(); // column not queried
  }

  @Test
  void parse_emptyOrMalformed() {
    assertThat(NvidiaSmi.parse("")).isEmpty();
    assertThat(NvidiaSmi.parse("index, name\n")).isEmpty();
    assertThatThrownBy(() -> NvidiaSmi.parse("index, name\n0, a, b\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> NvidiaSmi.parse("name\nx\n"))
        .hasMessageContaining("no 'index' column");
  }
}
