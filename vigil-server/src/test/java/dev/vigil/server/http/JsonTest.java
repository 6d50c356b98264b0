package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void formatValue_matchesGoFormatFloatWithoutExponent() {
    assertThat(Json.formatValue(1)).isEqualTo("1");
    assertThat(Json.formatValue(-2.5)).isEqualTo("-2.5");
    assertThat(Json.formatValue(0.1)).isEqualTo("0.1");
    assertThat(Json.formatValue(1e21)).isEqualTo("1000000000000000000000");
    assertThat(Json.formatValue(1.5e-7)).isEqualTo("0.00000015");
    assertThat(Json.formatValue(12345678.9)).isEqualTo("12345678.9");
    assertThat(Json.formatValue(Double.NaN)).isEqualTo("NaN");
    assertThat(Json.formatValue(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(Json.formatValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(Json.formatValue(-0.0)).isEqualTo("-0");
  }

  @Test
  void formatValue_roundTripsAndEqualsPlainDecimal_forRandomDoubles() {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 100_000; i++) {
      double v = Double.longBitsToDouble(r.nextLong());
      if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
        continue;
      }
      String s = Json.formatValue(v);
      assertThat(Double.parseDouble(s)).isEqualTo(v);
      assertThat(s).doesNotContain("E");
      assertThat(new BigDecimal(s).compareTo(new BigDecimal(Double.toString(v)))).isZero();
    }
  }

  @Test
  void formatTimestamp_floatSeconds() {
    assertThat(Json.formatTimestamp(1435781451781L)).isEqualTo("1435781451.781");
    assertThat(Json.formatTimestamp(1435781451000L)).isEqualTo("1435781451");
    assertThat(Json.formatTimestamp(1435781451500L)).isEqualTo("1435781451.5");
    assertThat(Json.formatTimestamp(1435781451050L)).isEqualTo("1435781451.05");
    assertThat(Json.formatTimestamp(-1500)).isEqualTo("-1.5");
  }

  @Test
  void sampleWriter_writesSeriesAndPairsAsValuesTheGeneratorSeparates() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      Json.SampleWriter w = new Json.SampleWriter();
      g.writeStartArray();
      w.writeSeries(g, new long[] {1000, 1500, 2001, 9}, new double[] {1, 0.25, 1.5e-7, -0.0}, 3);
      w.writeSeries(g, new long[0], new double[0], 0);
      w.write(g, -1500, Double.NaN);
      g.writeEndArray();
    }
    String json = out.toString(StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo("[[[1,\"1\"],[1.5,\"0.25\"],[2.001,\"0.00000015\"]],[],[-1.5,\"NaN\"]]");
    assertThat(Json.MAPPER.readTree(json).get(0).get(2).get(1).asText()).isEqualTo("0.00000015");
  }
}
