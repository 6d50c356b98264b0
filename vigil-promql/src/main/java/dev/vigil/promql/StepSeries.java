package dev.vigil.promql;

import dev.vigil.model.Labels;
import java.util.Arrays;

/**
 * A series produced while evaluating over the steps of a query: values at step indices, in
 * increasing step order. Not thread-safe; owned by one evaluation.
 */
final class StepSeries {
  Labels labels;
  boolean dropName;
  int[] steps;
  double[] values;
  int size;

  StepSeries(Labels labels, boolean dropName, int capacity) {
    this.labels = labels;
    this.dropName = dropName;
    int c = Math.max(1, capacity);
    this.steps = new int[c];
    this.values = new double[c];
  }

  void add(int step, double v) {
    if (size == steps.length) {
      int c = size * 2;
      steps = Arrays.copyOf(steps, c);
      values = Arrays.copyOf(values, c);
    }
    steps[size] = step;
    values[size] = v;
    size++;
  }

  int lastStep() {
    return size == 0 ? -1 : steps[size - 1];
  }
}
