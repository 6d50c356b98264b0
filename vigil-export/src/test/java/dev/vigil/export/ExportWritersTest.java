package dev.vigil.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportWritersTest {
  private static final Labels UP = Labels.of("__name__", "up", "job", "a,b", "instance", "x\"y");
  private static final Labels RATE = Labels.of("__name__", "rate", "job", "a");

  private static String write(ExportFormat f, ExportWriters.Layout layout, int rows)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SeriesWriter w = ExportWriters.open(f, layout, out, rows)) {
      w.beginSeries(UP);
      w.sample(1_765_100_000_000L, 1);
      w.sample(1_765_100_015_500L, 0);
      w.endSeries();
      w.beginSeries(RATE);
      w.sample(1_765_100_015_500L, 0.25);
      w.sample(1_765_100_030_000L, Double.NaN);
      w.endSeries();
      w.finish();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void csvLong_oneRowPerSample_labelsAsASelector_quotedPerRfc4180() throws Exception {
    assertThat(write(ExportFormat.CSV, ExportWriters.Layout.LONG, 10))
        .isEqualTo(
            """
            timestamp,name,labels,value
            2025-12-07T09:33:20.000Z,up,"{instance=""x\\""y"",job=""a,b""}",1
            2025-12-07T09:33:35.500Z,up,"{instance=""x\\""y"",job=""a,b""}",0
            2025-12-07T09:33:35.500Z,rate,"{job=""a""}",0.25
            2025-12-07T09:33:50.000Z,rate,"{job=""a""}",NaN
            """);
  }

  @Test
  void csvWide_oneRowPerTimestamp_emptyCellsWhereASeriesHasNoSample() throws Exception {
    assertThat(write(ExportFormat.CSV, ExportWriters.Layout.WIDE, 10))
        .isEqualTo(
            """
            timestamp,"up{instance=""x\\""y"",job=""a,b""}","rate{job=""a""}"
            2025-12-07T09:33:20.000Z,1,
            2025-12-07T09:33:35.500Z,0,0.25
            2025-12-07T09:33:50.000Z,,NaN
            """);
  }

  @Test
  void csvWide_refusesPastItsBound() throws Exception {
    CsvWideWriter w = new CsvWideWriter(new ByteArrayOutputStream(), 2);
    w.beginSeries(UP);
    w.sample(1, 1);
    w.sample(2, 1);
    assertThatThrownBy(() -> w.sample(3, 1)).hasMessageContaining("--layout long");
  }

  @Test
  void json_isPrometheusMatrixShape() throws Exception {
    assertThat(write(ExportFormat.JSON, ExportWriters.Layout.LONG, 10))
        .isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\n"
                + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"x\\\"y\",\"job\":\"a,b\"},"
                + "\"values\":[[1765100000,\"1\"],[1765100015.500,\"0\"]]},\n"
                + "{\"metric\":{\"__name__\":\"rate\",\"job\":\"a\"},"
                + "\"values\":[[1765100015.500,\"0.25\"],[1765100030,\"NaN\"]]}\n"
                + "]}}\n");
  }

  @Test
  void jsonLines_isVictoriaMetricsExportFormat_splitAtMaxRowsPerLine() throws Exception {
    assertThat(write(ExportFormat.JSONL, ExportWriters.Layout.LONG, 1))
        .isEqualTo(
            """
            {"metric":{"__name__":"up","instance":"x\\"y","job":"a,b"},"values":[1],"timestamps":[1765100000000]}
            {"metric":{"__name__":"up","instance":"x\\"y","job":"a,b"},"values":[0],"timestamps":[1765100015500]}
            {"metric":{"__name__":"rate","job":"a"},"values":[0.25],"timestamps":[1765100015500]}
            {"metric":{"__name__":"rate","job":"a"},"values":[NaN],"timestamps":[1765100030000]}
            """);
    assertThat(write(ExportFormat.JSONL, ExportWriters.Layout.LONG, 10).lines()).hasSize(2);
  }

  @Test
  void influx_escapesTags_nanosecondTimestamps_leavesOutNaN() throws Exception {
    assertThat(write(ExportFormat.INFLUX, ExportWriters.Layout.LONG, 10))
        .isEqualTo(
            """
            up,instance=x"y,job=a\\,b value=1 1765100000000000000
            up,instance=x"y,job=a\\,b value=0 1765100015500000000
            rate,job=a value=0.25 1765100015500000000
            """);
  }

  @Test
  void openMetrics_secondsTimestamps_endsWithEof() throws Exception {
    assertThat(write(ExportFormat.OPENMETRICS, ExportWriters.Layout.LONG, 10))
        .isEqualTo(
            """
            up{instance="x\\"y",job="a,b"} 1 1765100000
            up{instance="x\\"y",job="a,b"} 0 1765100015.500
            rate{job="a"} 0.25 1765100015.500
            rate{job="a"} NaN 1765100030
            # EOF
            """);
  }

  @Test
  void sqlite_seriesAndSamplesTables_withIndexes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.db");
    try (SeriesWriter w = ExportWriters.sqlite(file)) {
      w.beginSeries(UP);
      w.sample(1000, 1);
      w.sample(2000, 2);
      w.endSeries();
      w.beginSeries(RATE);
      w.sample(1000, Double.NaN);
      w.endSeries();
      w.finish();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet r =
            c.createStatement()
                .executeQuery(
                    "SELECT s.name, count(*), sum(x.value), min(x.timestamp_ms) FROM samples x"
                        + " JOIN series s ON s.id = x.series_id GROUP BY s.name ORDER BY s.name")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("rate");
      assertThat(r.getLong(2)).isEqualTo(1);
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("up");
      assertThat(r.getLong(2)).isEqualTo(2);
      assertThat(r.getDouble(3)).isEqualTo(3.0);
      assertThat(r.getLong(4)).isEqualTo(1000);
      assertThat(r.next()).isFalse();
      ResultSet idx =
          c.createStatement()
              .executeQuery("SELECT name FROM sqlite_master WHERE type='index' ORDER BY name");
      java.util.List<String> names = new java.util.ArrayList<>();
      while (idx.next()) {
        names.add(idx.getString(1));
      }
      assertThat(names).containsExactly("samples_series_time", "samples_time", "series_name");
    }
  }

  @Test
  void sqliteAndParquet_areNotStreams() {
    assertThatThrownBy(
            () -> ExportWriters.open(ExportFormat.SQLITE, ExportWriters.Layout.LONG, System.out))
        .hasMessageContaining("--output FILE");
    assertThatThrownBy(
            () -> ExportWriters.open(ExportFormat.PARQUET, ExportWriters.Layout.LONG, System.out))
        .hasMessageContaining("Hadoop");
    assertThatThrownBy(() -> ExportFormat.of("xml")).hasMessageContaining("expected csv, json");
  }

  @Test
  void vmCsv_columnsAsItsFormatParameterNames() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SeriesWriter w =
        ExportWriters.vmCsv("__name__,job,__value__,__timestamp__:unix_s,missing", out)) {
      w.beginSeries(UP);
      w.sample(1_765_100_000_000L, 1);
      w.endSeries();
      w.finish();
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("up,\"a,b\",1,1765100000,\n");
    assertThatThrownBy(() -> ExportWriters.vmCsv("__timestamp__:weeks", out))
        .hasMessageContaining("unsupported timestamp format \"weeks\"");
  }

  @Test
  void nonAsciiLabels_areUtf8_alsoAcrossTheBufferBoundary() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String big = "é".repeat(70_000);
    try (SeriesWriter w =
        ExportWriters.open(ExportFormat.OPENMETRICS, ExportWriters.Layout.LONG, out)) {
      for (String v : new String[] {"café", big, "ü"}) {
        w.beginSeries(Labels.of("__name__", "m", "l", v));
        w.sample(1000, 1);
        w.endSeries();
      }
      w.finish();
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("m{l=\"café\"} 1 1\nm{l=\"" + big + "\"} 1 1\nm{l=\"ü\"} 1 1\n# EOF\n");
  }

  @Test
  void aSeriesMetAgain_continuesItsColumnAndKeepsItsSqliteId(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path file = dir.resolve("y.db");
    try (SeriesWriter wide = ExportWriters.open(ExportFormat.CSV, ExportWriters.Layout.WIDE, out);
        SeriesWriter db = ExportWriters.sqlite(file)) {
      for (SeriesWriter w : new SeriesWriter[] {wide, db}) {
        for (long block = 0; block < 2; block++) {
          for (Labels l : new Labels[] {UP, RATE}) {
            w.beginSeries(l);
            w.sample(1_765_100_000_000L + block * 1000, block);
            w.endSeries();
          }
        }
        w.finish();
      }
    }
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "timestamp,\"up{instance=\"\"x\\\"\"y\"\",job=\"\"a,b\"\"}\",\"rate{job=\"\"a\"\"}\"",
            "2025-12-07T09:33:20.000Z,0,0",
            "2025-12-07T09:33:21.000Z,1,1");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet r =
            c.createStatement()
                .executeQuery(
                    "SELECT (SELECT count(*) FROM series), count(DISTINCT series_id) FROM samples")) {
      r.next();
      assertThat(r.getLong(1)).isEqualTo(2);
      assertThat(r.getLong(2)).isEqualTo(2);
    }
  }
}
