package dev.vigil.rules;

import java.util.Map;

/**
 * The seam between rules and the template language of labels and annotations (Go's {@code
 * text/template} with Prometheus' functions, in {@code dev.vigil.rules.template}). The rule parser
 * calls {@link #check} on every label and annotation value; alerting rules call {@link #expand} on
 * every evaluation.
 *
 * <pre>{@code
 * String summary = expander.expand("__alert_HighCPU", "CPU at {{ $value }}", data);
 * }</pre>
 *
 * <p>Implementations must be thread-safe: groups evaluate concurrently.
 */
public interface AnnotationExpander {

  /** What a template sees: {@code $labels}, {@code $value}, {@code $externalLabels}, ... */
  record Data(
      Map<String, String> labels,
      double value,
      Map<String, String> externalLabels,
      String externalUrl,
      long evaluationTimeMs) {}

  /**
   * Checks that {@code text} parses.
   *
   * @param name the template's name as Prometheus gives it, {@code __alert_<alertname>}
   * @throws IllegalArgumentException with the parser's message ({@code template: __alert_X:1:
   *     unclosed action})
   */
  void check(String name, String text);

  /**
   * Expands {@code text}.
   *
   * @throws IllegalArgumentException when expansion fails; the caller then uses Prometheus' error
   *     text {@code <error expanding template: ...>} as the value
   */
  String expand(String name, String text, Data data);

  /** Leaves every text as written: what rules use when no template engine is wired in. */
  AnnotationExpander IDENTITY =
      new AnnotationExpander() {
        @Override
        public void check(String name, String text) {}

        @Override
        public String expand(String name, String text, Data data) {
          return text;
        }
      };
}
