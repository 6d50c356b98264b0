package dev.vigil.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.Exemplar;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricSnapshots;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link ExpositionParserFuzzTest} found, pinned down one case each (the inputs are kept in
 * its corpus under the same names).
 */
class ExpositionFuzzFindingsTest {
  private static MetricSnapshots gaugeHistogram(double lowestBound, double gsum) {
    HistogramDataPoint h =
        new HistogramDataPoint(
            Labels.EMPTY,
            new double[] {lowestBound, Double.POSITIVE_INFINITY},
            new long[] {1, 1},
            gsum,
            null,
            DataPoint.NO_CREATED);
    return MetricSnapshots.of(
        new MetricSnapshot(MetricMetadata.of("queue"), MetricType.GAUGE_HISTOGRAM, List.of(h)));
  }

  @Test
  void gaugeHistogramWithNaNSum_isWrittenWithBucketsOnly_andParsesAgain() throws Exception {
    String text = OpenMetricsTextWriter.INSTANCE.toString(gaugeHistogram(1, Double.NaN));
    assertThat(text)
        .isEqualTo(
            "# TYPE queue gaugehistogram\n"
                + "queue_bucket{le=\"1.0\"} 1\n"
                + "queue_bucket{le=\"+Inf\"} 2\n"
                + "# EOF\n");
    assertThat(ExpositionParser.openMetrics().parse(text).get(0).samples()).hasSize(2);
  }

  @Test
  void gaugeHistogramWithNegativeSumButNoNegativeBucket_isWrittenWithBucketsOnly()
      throws Exception {
    String text = OpenMetricsTextWriter.INSTANCE.toString(gaugeHistogram(1, -2));
    assertThat(text).doesNotContain("_gsum").doesNotContain("_gcount");
    ExpositionParser.openMetrics().parse(text);
  }

  @Test
  void gaugeHistogramWithNegativeSumAndNegativeBucket_keepsGcountAndGsum() throws Exception {
    String text = OpenMetricsTextWriter.INSTANCE.toString(gaugeHistogram(-1, -2));
    assertThat(text).contains("queue_gcount 2\n").contains("queue_gsum -2\n");
    ExpositionParser.openMetrics().parse(text);
  }

  private static long onlyTimestamp(ExpositionParser p, String text) throws Exception {
    return p.parse(text).get(0).samples().get(0).timestampMillis();
  }

  @Test
  void openMetrics_timestampBelowTheRangeOfMilliseconds_isClamped_notAbsent() throws Exception {
    assertThat(onlyTimestamp(ExpositionParser.openMetrics(), "a 1 -1e300\n# EOF\n"))
        .isEqualTo(Long.MIN_VALUE + 1);
    assertThat(onlyTimestamp(ExpositionParser.openMetrics(), "a 1 1e300\n# EOF\n"))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void openMetrics_exemplarTimestampBelowTheRange_isClamped_notAbsent() throws Exception {
    assertThat(
            ExpositionParser.openMetrics()
                .parse("# TYPE a counter\na_total 1 # {} 1 -1e300\n# EOF\n")
                .get(0)
                .samples()
                .get(0)
                .exemplar()
                .timestampMillis())
        .isEqualTo(Long.MIN_VALUE + 1);
  }

  @Test
  void prometheus_smallestLongTimestamp_isClamped_notAbsent() throws Exception {
    assertThat(onlyTimestamp(ExpositionParser.prometheus(), "a 1 -9223372036854775808\n"))
        .isEqualTo(Long.MIN_VALUE + 1);
  }

  @Test
  void negativeCreatedAndExemplarTimestamps_areWrittenWithTheirSign() throws Exception {
    CounterDataPoint c =
        new CounterDataPoint(Labels.EMPTY, 1, new Exemplar(1, Labels.EMPTY, -5), -700);
    String text =
        OpenMetricsTextWriter.INSTANCE.toString(
            MetricSnapshots.of(
                new MetricSnapshot(MetricMetadata.of("a"), MetricType.COUNTER, List.of(c))));
    assertThat(text)
        .isEqualTo("# TYPE a counter\na_total 1 # {} 1 -0.005\na_created -0.700\n# EOF\n");
    Sample created = ExpositionParser.openMetrics().parse(text).get(0).samples().get(1);
    assertThat(created.value()).isEqualTo(-0.7);
  }
}
