package dev.vigil.export;

import java.util.Locale;

/** The formats of {@code vigil export} and the export endpoints. */
public enum ExportFormat {
  /** CSV, long ({@code timestamp,name,labels,value}) or wide (one column per series). */
  CSV("csv"),
  /** One JSON document in the shape of Prometheus' range query answer ({@code matrix}). */
  JSON("json"),
  /** VictoriaMetrics' export format: one {@code {"metric","values","timestamps"}} per line. */
  JSONL("jsonl"),
  /** InfluxDB line protocol: measurement = metric name, labels as tags, field {@code value}. */
  INFLUX("influx"),
  /** OpenMetrics text with timestamps, ending with {@code # EOF}. */
  OPENMETRICS("openmetrics"),
  /** A SQLite database file: tables {@code series} and {@code samples}. */
  SQLITE("sqlite"),
  /** Refused: see {@link #PARQUET_REFUSAL}. */
  PARQUET("parquet");

  /**
   * Why parquet is refused. The only Java writer, parquet-hadoop, pulls Hadoop's client libraries
   * into the one jar; a hand-written writer would have to be checked by a real reader, and none
   * (duckdb, pyarrow) is installed where the suite runs.
   */
  public static final String PARQUET_REFUSAL =
      "format parquet is not supported: the only Java writer (parquet-hadoop) pulls in Hadoop, and"
          + " no Parquet reader is available to verify a hand-written one; export sqlite or csv"
          + " and convert (e.g. duckdb: COPY (SELECT * FROM read_csv('x.csv')) TO 'x.parquet')";

  private final String id;

  ExportFormat(String id) {
    this.id = id;
  }

  /** The name on the command line and in URLs. */
  public String id() {
    return id;
  }

  /**
   * @throws IllegalArgumentException naming the accepted formats
   */
  public static ExportFormat of(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    if (n.equals("jsonlines") || n.equals("ndjson")) {
      return JSONL;
    }
    if (n.equals("line") || n.equals("lineprotocol")) {
      return INFLUX;
    }
    for (ExportFormat f : values()) {
      if (f.id.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown format \""
            + name
            + "\": expected csv, json, jsonl, influx, openmetrics, sqlite or parquet");
  }
}
