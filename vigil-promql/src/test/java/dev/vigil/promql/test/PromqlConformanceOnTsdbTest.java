package dev.vigil.promql.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.Queryable;
import dev.vigil.tsdb.Tsdb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same Prometheus {@code .test} files over the real store ({@link Tsdb}, through {@code
 * Queryable} only): storage and engine together must give Prometheus' answers.
 */
class PromqlConformanceOnTsdbTest {
  @TempDir Path dir;

  /** A fresh Tsdb per {@code clear}; loads are appended in time order and committed. */
  private final class TsdbStorage implements TestRunner.Storage {
    private Tsdb db;
    private int generation;

    TsdbStorage() {
      clear();
    }

    @Override
    public Queryable queryable() {
      return (mint, maxt) -> db.querier(mint, maxt);
    }

    @Override
    public void load(List<Labels> series, List<long[]> times, List<double[]> values) {
      Appender app = db.appender();
      for (int i = 0; i < series.size(); i++) {
        for (int k = 0; k < times.get(i).length; k++) {
          app.append(0, series.get(i), times.get(i)[k], values.get(i)[k]);
        }
      }
      app.commit();
    }

    @Override
    public void clear() {
      try {
        if (db != null) {
          db.close();
        }
        db = Tsdb.builder(dir.resolve("db" + generation++)).withoutWal().rollups(false).open();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void close() throws IOException {
      db.close();
    }
  }

  @Test
  void prometheusTestFiles_passOnTheRealStore() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(PromqlConformanceTest.dir())) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    int passed = 0;
    List<String> failures = new ArrayList<>();
    for (Path f : files) {
      TsdbStorage storage = new TsdbStorage();
      try {
        for (TestRunner.Outcome o :
            TestRunner.run(
                f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8), storage)) {
          switch (o.status()) {
            case PASSED -> passed++;
            case FAILED -> failures.add(o.toString());
            case SKIPPED -> {}
          }
        }
      } finally {
        storage.close();
      }
    }
    assertThat(failures).as("failures on Tsdb").isEmpty();
    assertThat(passed).isGreaterThanOrEqualTo(998);
  }
}
