package dev.vigil.promql;

/**
 * A query refused before evaluation because of how it was asked, not because of the data: a range
 * query whose expression is not a scalar or an instant vector, a zero or negative step, an end
 * before the start. Prometheus answers these as {@code bad_data} (HTTP 400), unlike evaluation
 * errors ({@code execution}, 422).
 */
public final class InvalidQueryException extends PromqlException {
  public InvalidQueryException(String message) {
    super(message);
  }
}
