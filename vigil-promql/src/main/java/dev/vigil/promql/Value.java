package dev.vigil.promql;

import java.util.List;

/** An intermediate value of an evaluation over all steps of a query. */
sealed interface Value {
  /** An instant vector at every step. */
  record VectorValue(List<StepSeries> series) implements Value {}

  /** A scalar at every step. */
  record ScalarValue(double[] values) implements Value {}

  /** A string (the same at every step). */
  record StringValue(String value) implements Value {}

  /** Raw range-vector series (only as the top-level result of an instant query). */
  record MatrixValue(List<RawSeries> series) implements Value {}
}
