package dev.vigil.promql;

import dev.vigil.promql.parser.Expr;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Warnings and infos of one query, worded as Prometheus words them, each ending with the position
 * of the expression it concerns, e.g. {@code PromQL info: metric might not be a counter, name does
 * not end in _total/_sum/_count/_bucket: "foo" (1:6)}. Not thread-safe.
 */
final class Annotations {
  private final String query;
  final Set<String> warnings = new LinkedHashSet<>();
  final Set<String> infos = new LinkedHashSet<>();

  Annotations(String query) {
    this.query = query;
  }

  String pos(Expr e) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < Math.min(e.start(), query.length()); i++) {
      if (query.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return " (" + line + ":" + col + ")";
  }

  void warn(String msg, Expr at) {
    warnings.add("PromQL warning: " + msg + pos(at));
  }

  void info(String msg, Expr at) {
    infos.add("PromQL info: " + msg + pos(at));
  }

  void addStorageWarnings(List<String> ws) {
    warnings.addAll(ws);
  }
}
