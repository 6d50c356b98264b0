package dev.vigil.promql;

/** A query that parsed but failed during evaluation; the message reads as Prometheus' does. */
public class PromqlException extends RuntimeException {
  public PromqlException(String message) {
    super(message);
  }
}
