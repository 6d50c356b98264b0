package dev.vigil.rules.packs;

import dev.vigil.rules.AlertingRuleSpec;
import dev.vigil.rules.PromDuration;
import dev.vigil.rules.RecordingRuleSpec;
import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleGroupSpec;
import dev.vigil.rules.RuleSpec;
import java.util.List;
import java.util.Map;

/**
 * Prints rule files as one Prometheus rule file ({@code vigil rules print}): every group of every
 * file under one {@code groups:} key, each file's groups after a comment naming it. Strings are
 * double-quoted YAML, so any expression or template reads back as written.
 */
public final class RuleFileWriter {
  private RuleFileWriter() {}

  public static String write(List<RuleFile> files) {
    StringBuilder b = new StringBuilder();
    boolean any = files.stream().anyMatch(f -> !f.groups().isEmpty());
    b.append(any ? "groups:\n" : "groups: []\n");
    for (RuleFile f : files) {
      if (f.groups().isEmpty()) {
        continue;
      }
      b.append("  # ").append(f.file().replace('\n', ' ')).append('\n');
      for (RuleGroupSpec g : f.groups()) {
        group(b, g);
      }
    }
    return b.toString();
  }

  private static void group(StringBuilder b, RuleGroupSpec g) {
    b.append("  - name: ");
    quote(b, g.name());
    b.append('\n');
    if (g.interval() != null) {
      b.append("    interval: ").append(PromDuration.format(g.interval())).append('\n');
    }
    if (g.limit() > 0) {
      b.append("    limit: ").append(g.limit()).append('\n');
    }
    if (g.queryOffset() != null) {
      b.append("    query_offset: ").append(PromDuration.format(g.queryOffset())).append('\n');
    }
    if (g.rules().isEmpty()) {
      b.append("    rules: []\n");
      return;
    }
    b.append("    rules:\n");
    for (RuleSpec r : g.rules()) {
      switch (r) {
        case RecordingRuleSpec rr -> {
          b.append("      - record: ");
          quote(b, rr.record());
          b.append("\n        expr: ");
          quote(b, rr.expr());
          b.append('\n');
          map(b, "labels", rr.labels());
        }
        case AlertingRuleSpec ar -> {
          b.append("      - alert: ");
          quote(b, ar.alert());
          b.append("\n        expr: ");
          quote(b, ar.expr());
          b.append('\n');
          if (!ar.forDuration().isZero()) {
            b.append("        for: ").append(PromDuration.format(ar.forDuration())).append('\n');
          }
          if (!ar.keepFiringFor().isZero()) {
            b.append("        keep_firing_for: ")
                .append(PromDuration.format(ar.keepFiringFor()))
                .append('\n');
          }
          map(b, "labels", ar.labels());
          map(b, "annotations", ar.annotations());
        }
      }
    }
  }

  private static void map(StringBuilder b, String key, Map<String, String> m) {
    if (m.isEmpty()) {
      return;
    }
    b.append("        ").append(key).append(":\n");
    for (Map.Entry<String, String> e : m.entrySet()) {
      b.append("          ");
      quote(b, e.getKey());
      b.append(": ");
      quote(b, e.getValue());
      b.append('\n');
    }
  }

  /** A YAML double-quoted scalar. */
  static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
