package dev.vigil.rules.anomaly;

import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A marked expression: every series it returns gets a baseline, a band and a score.
 *
 * <pre>{@code
 * AnomalyMark m = AnomalyMark.of("checkout_rate", "sum by (job) (rate(http_requests_total[5m]))",
 *     AnomalyOptions.DEFAULT, true, Duration.ofMinutes(2), AnomalyMark.Source.CONFIG);
 * }</pre>
 *
 * @param name the value of the {@code anomaly} label on the output series (a label-name-like word)
 * @param expr the PromQL expression, evaluated at each evaluation
 * @param alert whether Vigil generates the alert {@code AnomalyDetected} for this mark
 * @param alertFor the generated alert's {@code for}
 * @param source where the mark comes from: vigil.yml or the API (a chart)
 */
public record AnomalyMark(
    String name,
    String expr,
    AnomalyOptions options,
    boolean alert,
    Duration alertFor,
    Source source) {
  /** Where a mark was made. */
  public enum Source {
    CONFIG,
    API
  }

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");

  /** The generated alert's default {@code for}: three 1-minute evaluations in a row. */
  public static final Duration DEFAULT_FOR = Duration.ofMinutes(2);

  public AnomalyMark {
    Objects.requireNonNull(options);
    Objects.requireNonNull(alertFor);
    Objects.requireNonNull(source);
  }

  /**
   * A checked mark.
   *
   * @throws IllegalArgumentException naming the problem: a bad name, or an expression that does not
   *     parse (with its position)
   */
  public static AnomalyMark of(
      String name,
      String expr,
      AnomalyOptions options,
      boolean alert,
      Duration alertFor,
      Source source) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name \""
              + name
              + "\" is not valid: letters, digits and _ (not first), at most 100 characters");
    }
    if (expr == null || expr.isBlank()) {
      throw new IllegalArgumentException("mark \"" + name + "\": expr is missing");
    }
    try {
      Parser.parse(expr);
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "mark \"" + name + "\": expr does not parse: " + e.getMessage(), e);
    }
    if (alertFor.isNegative()) {
      throw new IllegalArgumentException("mark \"" + name + "\": for must not be negative");
    }
    return new AnomalyMark(name, expr, options, alert, alertFor, source);
  }
}
