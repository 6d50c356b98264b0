package dev.vigil.model;

import java.util.List;

/**
 * The exemplars of one series in a time range, oldest first: one element of an exemplar query's
 * answer.
 *
 * @param seriesLabels the series' labels
 * @param exemplars its exemplars, by timestamp
 */
public record SeriesExemplars(Labels seriesLabels, List<Exemplar> exemplars) {
  public SeriesExemplars {
    exemplars = List.copyOf(exemplars);
  }
}
