package dev.vigil.rules;

import java.util.List;

/**
 * A parsed and validated rule file: a Prometheus rule file, or the {@code spec} of a Kubernetes
 * {@code PrometheusRule} resource.
 *
 * @param file the name the file was parsed under (its path for files loaded from disk)
 */
public record RuleFile(String file, List<RuleGroupSpec> groups) {
  public RuleFile {
    groups = List.copyOf(groups);
  }
}
