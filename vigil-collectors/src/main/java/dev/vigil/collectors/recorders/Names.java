package dev.vigil.collectors.recorders;

import dev.vigil.metrics.MetricNames;

/** Prefixes metric names with the configured namespace. */
final class Names {
  private final String prefix;

  Names(String namespace) {
    if (namespace == null) {
      throw new IllegalArgumentException("namespace is null (use \"\" for none)");
    }
    if (!namespace.isEmpty()) {
      if (!MetricNames.isValidMetricName(namespace)) {
        throw new IllegalArgumentException(
            "namespace '"
                + namespace
                + "' is not a valid metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)");
      }
      if (!namespace.endsWith("_")) {
        namespace = namespace + "_";
      }
    }
    this.prefix = namespace;
  }

  String of(String name) {
    return prefix + name;
  }

  String prefix() {
    return prefix;
  }
}
