package dev.vigil.promql;

import dev.vigil.model.Labels;
import java.util.List;

/**
 * The immutable result of a query: one of vector, matrix, scalar or string, with the query's
 * warnings and infos.
 *
 * <pre>{@code
 * QueryResult r = engine.instantQuery("sum(up)", t);
 * if (r.type() == QueryResult.Type.VECTOR) {
 *   for (Sample s : r.vector()) { ... }
 * }
 * }</pre>
 */
public final class QueryResult {
  /** The type of the result, named as in Prometheus' HTTP API. */
  public enum Type {
    VECTOR("vector"),
    MATRIX("matrix"),
    SCALAR("scalar"),
    STRING("string");

    private final String apiName;

    Type(String apiName) {
      this.apiName = apiName;
    }

    /** The {@code resultType} of Prometheus' HTTP API. */
    public String apiName() {
      return apiName;
    }
  }

  /** One series of a matrix: labels and points (timestamps in ms, ascending). */
  public record Series(Labels labels, long[] timestamps, double[] values) {
    /** Number of points. */
    public int size() {
      return timestamps.length;
    }
  }

  private final Type type;
  private final List<Sample> vector;
  private final List<Series> matrix;
  private final double scalar;
  private final String string;
  private final long timestamp;
  private final List<String> warnings;
  private final List<String> infos;

  private QueryResult(
      Type type,
      List<Sample> vector,
      List<Series> matrix,
      double scalar,
      String string,
      long timestamp,
      List<String> warnings,
      List<String> infos) {
    this.type = type;
    this.vector = vector == null ? List.of() : List.copyOf(vector);
    this.matrix = matrix == null ? List.of() : List.copyOf(matrix);
    this.scalar = scalar;
    this.string = string;
    this.timestamp = timestamp;
    this.warnings = List.copyOf(warnings);
    this.infos = List.copyOf(infos);
  }

  static QueryResult vector(List<Sample> v, List<String> warnings, List<String> infos) {
    return new QueryResult(Type.VECTOR, v, null, 0, null, 0, warnings, infos);
  }

  static QueryResult matrix(List<Series> m, List<String> warnings, List<String> infos) {
    return new QueryResult(Type.MATRIX, null, m, 0, null, 0, warnings, infos);
  }

  static QueryResult scalar(long t, double v, List<String> warnings, List<String> infos) {
    return new QueryResult(Type.SCALAR, null, null, v, null, t, warnings, infos);
  }

  static QueryResult string(long t, String s, List<String> warnings, List<String> infos) {
    return new QueryResult(Type.STRING, null, null, 0, s, t, warnings, infos);
  }

  public Type type() {
    return type;
  }

  /** The samples of a vector result (empty for other types), in Prometheus' output order. */
  public List<Sample> vector() {
    return vector;
  }

  /** The series of a matrix result (empty for other types), sorted by labels. */
  public List<Series> matrix() {
    return matrix;
  }

  /** The value of a scalar result. */
  public double scalar() {
    return scalar;
  }

  /** The value of a string result, or null. */
  public String string() {
    return string;
  }

  /** Evaluation time of a scalar or string result (ms). */
  public long timestamp() {
    return timestamp;
  }

  /**
   * Warnings, e.g. {@code PromQL warning: quantile value should be between 0 and 1, got 2 (1:1)}.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** Infos, e.g. {@code PromQL info: metric might not be a counter, ...}. */
  public List<String> infos() {
    return infos;
  }
}
