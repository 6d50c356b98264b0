package dev.vigil.metrics.exposition;

import dev.vigil.metrics.model.MetricFamily;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Prometheus text 0.0.4, read as Prometheus reads it. */
final class PrometheusRun extends ExpositionParser.ParseRun {
  private final SampleLexer lexer = new SampleLexer(false);
  private final List<ExpositionParser.FamilyState> families = new ArrayList<>();
  private final Map<String, ExpositionParser.FamilyState> byName = new HashMap<>();

  @Override
  void line(String line, int lineNo) throws ExpositionParseException {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    if (i == line.length()) {
      return; // blank
    }
    if (line.charAt(i) == '#') {
      comment(line.substring(i + 1), lineNo);
      return;
    }
    if (i > 0) {
      line = line.substring(i);
    }
    Sample s = lexer.parse(line, lineNo).sample();
    ExpositionParser.FamilyState f = familyFor(s.name());
    if (f.type == MetricType.HISTOGRAM && s.name().endsWith("_bucket")) {
      String le = s.labels().get("le");
      if (le == null) {
        throw new ExpositionParseException(lineNo, 0, s.name() + " needs an 'le' label");
      }
      lexer.number(le, "le", true);
    }
    if (f.type == MetricType.SUMMARY && s.name().equals(f.name)) {
      String q = s.labels().get("quantile");
      if (q == null) {
        throw new ExpositionParseException(lineNo, 0, s.name() + " needs a 'quantile' label");
      }
      lexer.number(q, "quantile", true);
    }
    f.samples.add(s);
  }

  private ExpositionParser.FamilyState familyFor(String name) {
    ExpositionParser.FamilyState f = byName.get(name);
    if (f != null) {
      return f;
    }
    for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
      if (name.endsWith(suffix)) {
        f = byName.get(name.substring(0, name.length() - suffix.length()));
        if (f != null
            && (f.type == MetricType.HISTOGRAM
                || (f.type == MetricType.SUMMARY && !suffix.equals("_bucket")))) {
          return f;
        }
      }
    }
    f = new ExpositionParser.FamilyState(name, MetricType.UNKNOWN);
    families.add(f);
    byName.put(name, f);
    return f;
  }

  private void comment(String rest, int lineNo) throws ExpositionParseException {
    String[] parts = rest.strip().split("[ \t]+", 3);
    if (parts.length < 2 || !(parts[0].equals("HELP") || parts[0].equals("TYPE"))) {
      return; // an ordinary comment
    }
    String name = metadataName(parts[1], lineNo, 0, parts[0]);
    ExpositionParser.FamilyState f = byName.get(name);
    if (f == null) {
      f = new ExpositionParser.FamilyState(name, MetricType.UNKNOWN);
      families.add(f);
      byName.put(name, f);
    }
    if (parts[0].equals("HELP")) {
      if (f.help != null) {
        throw new ExpositionParseException(lineNo, 0, "second HELP line for " + name);
      }
      f.help = parts.length > 2 ? unescape(parts[2]) : "";
      return;
    }
    if (f.typeSeen) {
      throw new ExpositionParseException(lineNo, 0, "second TYPE line for " + name);
    }
    if (!f.samples.isEmpty()) {
      throw new ExpositionParseException(lineNo, 0, "TYPE line for " + name + " after its samples");
    }
    String t = parts.length > 2 ? parts[2].strip() : "";
    MetricType type = ExpositionParser.prometheusType(t);
    if (type == null) {
      throw new ExpositionParseException(
          lineNo, 0, "unknown type '" + t + "' (counter, gauge, histogram, summary, untyped)");
    }
    f.type = type;
    f.typeSeen = true;
  }

  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        sb.append(n == 'n' ? "\n" : n == '\\' ? "\\" : "\\" + n);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  @Override
  List<MetricFamily> finish(int lastLine) {
    return build(families);
  }
}
