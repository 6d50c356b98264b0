package dev.vigil.ingest.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.influx.InfluxLineDecoder;
import dev.vigil.model.Labels;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportDecodersTest {
  private static ImportReader.Chunk read(LineDecoder d, String text) throws Exception {
    return new ImportReader(new BufferedReader(new StringReader(text)), d).next(Integer.MAX_VALUE);
  }

  @Test
  void jsonLines_readsVictoriaMetricsExportFormat() throws Exception {
    var c =
        read(
            new JsonLinesDecoder(),
            """
            {"metric":{"__name__":"up","job":"node"},"values":[1,0,"NaN"],"timestamps":[1000,2000,3000]}
            {"metric":{"__name__":"x"},"values":[2.5],"timestamps":[4000]}
            """);
    assertThat(c.errors()).isEmpty();
    assertThat(c.samples())
        .containsExactly(
            new ImportedSample(Labels.of("__name__", "up", "job", "node"), 1000, 1),
            new ImportedSample(Labels.of("__name__", "up", "job", "node"), 2000, 0),
            new ImportedSample(Labels.of("__name__", "up", "job", "node"), 3000, Double.NaN),
            new ImportedSample(Labels.of("__name__", "x"), 4000, 2.5));
  }

  @Test
  void jsonLines_badLine_isReportedWithLineAndColumn_andContributesNothing() throws Exception {
    var c =
        read(
            new JsonLinesDecoder(),
            """
            {"metric":{"__name__":"a"},"values":[1],"timestamps":[1000]}
            {"metric":{"__name__":"b"},"values":[1,true],"timestamps":[1000,2000]}
            {"metric":{"__name__":"c"},"values":[1,2],"timestamps":[1000]}
            {"metric":{"__name__":"d"},"values":[1],"timestamps":[1000]
            {"metric":{"__name__":"e"},"values":[1],"timestamps":[1000]}
            """);
    assertThat(c.samples()).extracting(s -> s.labels().metricName()).containsExactly("a", "e");
    assertThat(c.errors())
        .extracting(LineError::line, LineError::column)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2L, 40),
            org.assertj.core.groups.Tuple.tuple(3L, 37),
            org.assertj.core.groups.Tuple.tuple(4L, 60));
    assertThat(c.errors().get(0).message()).contains("must be a number");
    assertThat(c.errors().get(1).message())
        .isEqualTo("2 values but 1 timestamps: each value needs its timestamp");
  }

  @Test
  void csv_readsTheLongLayout_rfc3339AndUnixSeconds() throws Exception {
    var c =
        read(
            new CsvDecoder(),
            """
            timestamp,name,labels,value
            1970-01-01T00:00:01Z,http_requests_total,"{method=""GET"", status=""200""}",1027
            2.5,up,{},-Inf
            3,up,,1e3
            """);
    assertThat(c.errors()).isEmpty();
    assertThat(c.samples())
        .containsExactly(
            new ImportedSample(
                Labels.of("__name__", "http_requests_total", "method", "GET", "status", "200"),
                1000,
                1027),
            new ImportedSample(Labels.of("__name__", "up"), 2500, Double.NEGATIVE_INFINITY),
            new ImportedSample(Labels.of("__name__", "up"), 3000, 1000));
  }

  @Test
  void csv_badFields_areNamedWithTheirColumn() throws Exception {
    var c =
        read(
            new CsvDecoder(),
            """
            1,up,{},oops
            yesterday,up,{},1
            1,up,{a=b},1
            1,9up,{},1
            1,up,{}
            """);
    assertThat(c.samples()).isEmpty();
    assertThat(c.errors())
        .extracting(LineError::toString)
        .containsExactly(
            "line 1 column 9: value \"oops\" is not a number",
            "line 2 column 1: timestamp \"yesterday\" is neither RFC 3339 nor Unix seconds",
            "line 3 column 9: expected a quoted value for label a",
            "line 4 column 3: invalid metric name \"9up\"",
            "line 5 column 8: 3 fields where 4 are expected (timestamp,name,labels,value)");
  }

  @Test
  void influx_lineWithBadTag_storesNothing_stringFieldsSkipped() throws Exception {
    InfluxLineDecoder d = new InfluxLineDecoder("s", () -> 42);
    var c =
        read(
            d,
            """
            cpu,host=a idle=90,user=5i 10
            cpu,host=a,host=b idle=1 20
            cpu,host=c note="x",idle=3
            cpu,host=d idle= 30
            """);
    assertThat(c.samples())
        .containsExactly(
            new ImportedSample(Labels.of("__name__", "cpu_idle", "host", "a"), 10_000, 90),
            new ImportedSample(Labels.of("__name__", "cpu_user", "host", "a"), 10_000, 5),
            new ImportedSample(Labels.of("__name__", "cpu_idle", "host", "c"), 42, 3));
    assertThat(d.stringFieldsSkipped()).isEqualTo(1);
    assertThat(c.errors()).extracting(LineError::line).containsExactly(2L, 4L);
    assertThat(c.errors().get(0).message()).contains("duplicate tag key \"host\"");
  }

  @Test
  void reader_chunksWithoutSplittingLines() throws Exception {
    ImportReader r =
        new ImportReader(
            new BufferedReader(new StringReader("1,a,{},1\n2,a,{},2\n3,a,{},3\n")),
            new CsvDecoder());
    assertThat(r.next(2).samples()).hasSize(2);
    assertThat(r.next(2).samples()).hasSize(1);
    assertThat(r.next(2)).isNull();
    assertThat(r.lines()).isEqualTo(3);
    assertThat(List.of()).isEmpty();
  }
}
