package dev.vigil.export;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A SQLite database file (replaced if present):
 *
 * <pre>
 * series(id INTEGER PRIMARY KEY, name TEXT, labels TEXT)        -- labels: a JSON object
 * samples(series_id INTEGER, timestamp_ms INTEGER, value REAL)  -- NaN is stored as NULL
 * index samples_series_time(series_id, timestamp_ms), samples_time(timestamp_ms), series_name(name)
 * </pre>
 *
 * Rows go in through batched prepared statements in transactions of {@link #BATCH} rows, without a
 * journal (a failed export leaves a file to delete, not a database to recover); the indexes are
 * built after the rows, which is faster than maintaining them per insert.
 */
final class SqliteWriter implements SeriesWriter {
  static final int BATCH = 50_000;

  private final Connection db;
  private final PreparedStatement insertSeries;
  private final PreparedStatement insertSample;
  private final java.util.Map<Labels, Long> ids = new java.util.HashMap<>();
  private long seriesId;
  private long current;
  private int pending;

  SqliteWriter(Path file) throws IOException {
    try {
      Files.deleteIfExists(file);
      db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA journal_mode=OFF");
        s.execute("PRAGMA synchronous=OFF");
        s.execute("CREATE TABLE series (id INTEGER PRIMARY KEY, name TEXT, labels TEXT NOT NULL)");
        s.execute(
            "CREATE TABLE samples (series_id INTEGER NOT NULL REFERENCES series(id),"
                + " timestamp_ms INTEGER NOT NULL, value REAL)");
      }
      db.setAutoCommit(false);
      insertSeries = db.prepareStatement("INSERT INTO series (id, name, labels) VALUES (?, ?, ?)");
      insertSample =
          db.prepareStatement(
              "INSERT INTO samples (series_id, timestamp_ms, value) VALUES (?, ?, ?)");
    } catch (SQLException e) {
      throw new IOException("cannot create SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void beginSeries(Labels labels) throws IOException {
    // A series met again (the next block of a store) keeps its id.
    Long known = ids.get(labels);
    if (known != null) {
      current = known;
      return;
    }
    current = ++seriesId;
    ids.put(labels, current);
    StringBuilder json = new StringBuilder();
    Text.jsonLabels(json, labels);
    try {
      insertSeries.setLong(1, current);
      insertSeries.setString(2, labels.metricName());
      insertSeries.setString(3, json.toString());
      insertSeries.executeUpdate();
    } catch (SQLException e) {
      throw new IOException("writing SQLite: " + e.getMessage(), e);
    }
  }

  @Override
  public void sample(long t, double v) throws IOException {
    try {
      insertSample.setLong(1, current);
      insertSample.setLong(2, t);
      if (Double.isNaN(v)) {
        insertSample.setNull(3, java.sql.Types.REAL);
      } else {
        insertSample.setDouble(3, v);
      }
      insertSample.addBatch();
      if (++pending == BATCH) {
        insertSample.executeBatch();
        db.commit();
        pending = 0;
      }
    } catch (SQLException e) {
      throw new IOException("writing SQLite: " + e.getMessage(), e);
    }
  }

  @Override
  public void endSeries() {}

  @Override
  public void finish() throws IOException {
    try {
      insertSample.executeBatch();
      db.commit();
      db.setAutoCommit(true);
      try (Statement s = db.createStatement()) {
        s.execute("CREATE INDEX samples_series_time ON samples (series_id, timestamp_ms)");
        s.execute("CREATE INDEX samples_time ON samples (timestamp_ms)");
        s.execute("CREATE INDEX series_name ON series (name)");
      }
    } catch (SQLException e) {
      throw new IOException("writing SQLite: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      db.close();
    } catch (SQLException e) {
      throw new IOException("closing SQLite: " + e.getMessage(), e);
    }
  }
}
