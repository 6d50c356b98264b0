package dev.vigil.server.config;

import dev.vigil.rules.anomaly.AnomalyMark;
import dev.vigil.rules.anomaly.AnomalyOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code anomaly} section: the series Vigil keeps a baseline and band for (docs/anomaly.md).
 *
 * <pre>{@code
 * anomaly:
 *   max_series: 1000
 *   max_marks: 50
 *   marks:
 *     - name: api_requests
 *       expr: sum by (job) (rate(http_requests_total[5m]))
 *       threshold: 3.5
 *       alert: true
 * }</pre>
 *
 * @param maxSeries the most series modelled over all marks
 * @param maxMarks the most marks made through the API (from charts); marks of this file are not
 *     counted
 * @param marks the marks of this file, in order
 */
public record AnomalyConfig(int maxSeries, int maxMarks, List<AnomalyMark> marks) {
  /* Bound twice, as RulePacksConfig: by ConfigLoader.bind for the errors (line, key), and by of()
   * from the configuration's text, so VigilConfig's record does not grow. */

  public static final AnomalyConfig DEFAULTS = new AnomalyConfig(1000, 50, List.of());

  public AnomalyConfig {
    marks = List.copyOf(marks);
  }

  /** The section of a loaded configuration. */
  public static AnomalyConfig of(VigilConfig config) {
    if (config.text().isEmpty()) {
      return DEFAULTS;
    }
    ConfigNode root = YamlTree.parse(config.source(), config.text());
    return bind(new Section(root, "").section("anomaly"));
  }

  /**
   * Reads the {@code anomaly} section.
   *
   * @throws ConfigException naming the key and line of a bad value
   */
  static AnomalyConfig bind(Section s) {
    int maxSeries = (int) s.integer("max_series", DEFAULTS.maxSeries(), 1, 100_000);
    int maxMarks = (int) s.integer("max_marks", DEFAULTS.maxMarks(), 0, 10_000);
    List<AnomalyMark> marks = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Section m : s.sections("marks")) {
      marks.add(mark(m, names));
    }
    s.finish();
    return new AnomalyConfig(maxSeries, maxMarks, marks);
  }

  private static AnomalyMark mark(Section m, Set<String> names) {
    AnomalyOptions d = AnomalyOptions.DEFAULT;
    String name = m.string("name", null);
    String expr = m.string("expr", null);
    if (name == null) {
      throw m.error("name", "missing: each mark needs a name (the anomaly label of its series)");
    }
    if (!names.add(name)) {
      throw m.error("name", "\"" + name + "\" is used by another mark");
    }
    if (expr == null) {
      throw m.error("expr", "missing: the PromQL expression whose series to model");
    }
    Duration step = m.duration("step", d.step(), Duration.ofSeconds(30));
    int weeks = (int) m.integer("weeks", d.weeks(), 1, 8);
    double threshold =
        m.value(
            "threshold",
            d.threshold(),
            v -> {
              try {
                return Double.parseDouble(v.trim());
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number, got \"" + v + "\"");
              }
            });
    Duration window = m.duration("window", d.window(), Duration.ZERO);
    boolean alert = m.bool("alert", false);
    Duration alertFor = m.duration("for", AnomalyMark.DEFAULT_FOR, Duration.ZERO);
    m.finish();
    AnomalyOptions opts;
    try {
      opts = new AnomalyOptions(step, weeks, threshold, window);
    } catch (IllegalArgumentException e) {
      throw m.error("name", "mark \"" + name + "\": " + e.getMessage());
    }
    try {
      return AnomalyMark.of(name, expr, opts, alert, alertFor, AnomalyMark.Source.CONFIG);
    } catch (IllegalArgumentException e) {
      throw m.error(e.getMessage().contains("expr") ? "expr" : "name", e.getMessage());
    }
  }
}
