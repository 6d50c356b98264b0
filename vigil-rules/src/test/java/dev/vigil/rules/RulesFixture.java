package dev.vigil.rules;

import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.model.StaleMarker;
import dev.vigil.tsdb.Tsdb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real store in a temp dir, a hand-set clock, and helpers to drive rules over it. */
abstract class RulesFixture {
  static final long T0 = 1_700_000_000_000L;
  static final long MIN = 60_000;

  @TempDir Path dir;
  Tsdb db;
  MutableClock clock = new MutableClock(T0);
  List<AlertEvent> events = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    db = open("db");
  }

  Tsdb open(String name) throws Exception {
    return Tsdb.builder(dir.resolve(name))
        .withoutWal()
        .rollups(false)
        .backgroundInterval(Duration.ZERO)
        .log(m -> {})
        .open();
  }

  @AfterEach
  void close() throws Exception {
    db.close();
  }

  void add(String series, long t, double v) {
    Appender a = db.appender();
    a.append(0, labels(series), t, v);
    a.commit();
  }

  static Labels labels(String s) {
    // name{a="b",c="d"}
    int brace = s.indexOf('{');
    Labels.Builder b = Labels.builder();
    b.set("__name__", brace < 0 ? s : s.substring(0, brace));
    if (brace >= 0) {
      for (String kv : s.substring(brace + 1, s.length() - 1).split(",")) {
        if (!kv.isBlank()) {
          String[] p = kv.split("=", 2);
          b.set(p[0].trim(), p[1].replace("\"", ""));
        }
      }
    }
    return b.build();
  }

  RuleManager manager(String yaml) throws Exception {
    return manager(yaml, db, null);
  }

  RuleManager manager(String yaml, Tsdb store, QueryFunction q) throws Exception {
    RuleManager.Builder b =
        RuleManager.builder(store, store)
            .clock(clock)
            .evaluationInterval(Duration.ofMinutes(1))
            .listener(events::add);
    if (q != null) {
      b.query(q);
    }
    RuleManager m = b.build();
    m.update(List.of(RuleFiles.parse("rules.yml", yaml)));
    return m;
  }

  /** The raw samples of the series matching exactly {@code series}, as (t, v) strings. */
  List<String> raw(String series) {
    Labels want = labels(series);
    List<LabelMatcher> ms = new ArrayList<>();
    want.forEach((k, v) -> ms.add(LabelMatcher.equal(k, v)));
    List<String> out = new ArrayList<>();
    try (Querier q = db.querier(0, Long.MAX_VALUE / 2)) {
      SeriesSet set = q.select(SelectHints.range(0, Long.MAX_VALUE / 2), ms);
      while (set.next()) {
        if (!set.at().labels().equals(want)) {
          continue;
        }
        SampleIterator it = set.at().iterator();
        while (it.next()) {
          double v = it.value();
          out.add((it.timestamp() - T0) / 1000 + "s=" + (StaleMarker.is(v) ? "stale" : v));
        }
      }
    }
    return out;
  }

  static Map<String, String> sorted(Labels l) {
    return new TreeMap<>(l.toMap());
  }
}
