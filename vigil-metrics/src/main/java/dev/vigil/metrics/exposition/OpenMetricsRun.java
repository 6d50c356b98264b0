package dev.vigil.metrics.exposition;

import dev.vigil.metrics.MetricNames;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricFamily;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The OpenMetrics 1.0 rules, applied line by line. */
final class OpenMetricsRun extends ExpositionParser.ParseRun {
  private final SampleLexer lexer = new SampleLexer(true);
  private final List<ExpositionParser.FamilyState> families = new ArrayList<>();
  private final Map<String, ExpositionParser.FamilyState> byName = new HashMap<>();
  // Every series name a family may write, to its family: catches clashes and interleaving.
  private final Map<String, ExpositionParser.FamilyState> owners = new HashMap<>();
  private ExpositionParser.FamilyState current;
  private boolean currentHasSamples;
  // Per current family: finished groups, the open group, series timestamps.
  private final Set<Labels> finishedGroups = new HashSet<>();
  private Labels group;
  private final Map<String, double[]> lastTimestamp = new HashMap<>(); // key -> {ts or NaN}
  private final GroupCheck check = new GroupCheck();

  @Override
  void line(String line, int lineNo) throws ExpositionParseException {
    if (line.isEmpty()) {
      throw new ExpositionParseException(lineNo, 1, "blank line (not allowed in OpenMetrics)");
    }
    if (line.charAt(0) == '#') {
      metadata(line, lineNo);
    } else {
      sample(line, lineNo);
    }
  }

  private void metadata(String line, int lineNo) throws ExpositionParseException {
    String keyword;
    if (line.startsWith("# HELP ")) {
      keyword = "HELP";
    } else if (line.startsWith("# TYPE ")) {
      keyword = "TYPE";
    } else if (line.startsWith("# UNIT ")) {
      keyword = "UNIT";
    } else {
      throw new ExpositionParseException(
          lineNo,
          1,
          "a line starting with '#' must be '# HELP', '# TYPE', '# UNIT' or '# EOF', got '"
              + abbreviate(line)
              + "'");
    }
    String rest = line.substring(7);
    String name = metadataName(rest, lineNo, 8, keyword);
    int after = name.length();
    if (after >= rest.length() || rest.charAt(after) != ' ') {
      throw new ExpositionParseException(
          lineNo,
          8 + after,
          "# " + keyword + " " + name + " needs a space and a value after the name");
    }
    String value = rest.substring(after + 1);
    ExpositionParser.FamilyState f = familyForMetadata(name, lineNo, keyword);
    switch (keyword) {
      case "HELP" -> {
        if (f.help != null) {
          throw new ExpositionParseException(lineNo, 1, "second HELP line for " + name);
        }
        f.help = Escapes.unescapeHelp(value);
      }
      case "TYPE" -> {
        if (f.typeSeen) {
          throw new ExpositionParseException(lineNo, 1, "second TYPE line for " + name);
        }
        MetricType t = MetricType.fromOpenMetricsName(value);
        if (t == null) {
          throw new ExpositionParseException(
              lineNo,
              8 + after + 1,
              "unknown type '"
                  + value
                  + "' (counter, gauge, histogram, gaugehistogram, summary, info, stateset,"
                  + " unknown)");
        }
        f.type = t;
        f.typeSeen = true;
        f.typeLine = lineNo;
        claimNames(f, lineNo);
        checkUnit(f, lineNo);
      }
      default -> {
        if (f.unit != null) {
          throw new ExpositionParseException(lineNo, 1, "second UNIT line for " + name);
        }
        if (!value.isEmpty() && !name.endsWith("_" + value)) {
          throw new ExpositionParseException(
              lineNo,
              8 + after + 1,
              "unit '" + value + "' must be the suffix of the metric name " + name);
        }
        if (!value.isEmpty()) {
          try {
            MetricNames.validateUnit(name, value);
          } catch (IllegalArgumentException e) {
            throw new ExpositionParseException(lineNo, 8 + after + 1, e.getMessage());
          }
        }
        f.unit = value;
        f.unitLine = lineNo;
        checkUnit(f, lineNo);
      }
    }
  }

  private static void checkUnit(ExpositionParser.FamilyState f, int lineNo)
      throws ExpositionParseException {
    if (f.unit != null
        && !f.unit.isEmpty()
        && (f.type == MetricType.INFO || f.type == MetricType.STATESET)) {
      throw new ExpositionParseException(
          lineNo, 1, f.type.openMetricsName() + " " + f.name + " may not have a unit");
    }
  }

  private ExpositionParser.FamilyState familyForMetadata(String name, int lineNo, String keyword)
      throws ExpositionParseException {
    if (current != null && current.name.equals(name)) {
      if (currentHasSamples) {
        throw new ExpositionParseException(
            lineNo, 1, keyword + " line for " + name + " after its samples");
      }
      return current;
    }
    if (byName.containsKey(name)) {
      throw new ExpositionParseException(
          lineNo, 1, keyword + " line for " + name + ", whose family appeared earlier");
    }
    return startFamily(name, MetricType.UNKNOWN, lineNo);
  }

  private ExpositionParser.FamilyState startFamily(String name, MetricType type, int lineNo)
      throws ExpositionParseException {
    closeCurrent(lineNo);
    ExpositionParser.FamilyState f = new ExpositionParser.FamilyState(name, type);
    families.add(f);
    byName.put(name, f);
    current = f;
    currentHasSamples = false;
    claimNames(f, lineNo);
    return f;
  }

  private void claimNames(ExpositionParser.FamilyState f, int lineNo)
      throws ExpositionParseException {
    for (String suffix : suffixes(f.type)) {
      String n = f.name + suffix;
      ExpositionParser.FamilyState owner = owners.get(n);
      if (owner != null && owner != f) {
        throw new ExpositionParseException(
            lineNo,
            1,
            "metric " + f.name + " would write " + n + ", which clashes with family " + owner.name);
      }
    }
    for (String suffix : suffixes(f.type)) {
      owners.put(f.name + suffix, f);
    }
  }

  static String[] suffixes(MetricType t) {
    return switch (t) {
      case COUNTER -> new String[] {"_total", "_created"};
      case HISTOGRAM -> new String[] {"_bucket", "_count", "_sum", "_created"};
      case GAUGE_HISTOGRAM -> new String[] {"_bucket", "_gcount", "_gsum"};
      case SUMMARY -> new String[] {"", "_count", "_sum", "_created"};
      case INFO -> new String[] {"_info"};
      default -> new String[] {""};
    };
  }

  private void sample(String line, int lineNo) throws ExpositionParseException {
    SampleLexer.Parsed p = lexer.parse(line, lineNo);
    Sample s = p.sample();
    ExpositionParser.FamilyState f = familyFor(s.name(), lineNo);
    String suffix = s.name().substring(f.name.length());
    validateSample(f, suffix, s, lineNo);
    Labels g = groupOf(f, s.labels());
    if (!g.equals(group)) {
      if (group != null) {
        check.finish(f, lineNo);
        finishedGroups.add(group);
      }
      if (finishedGroups.contains(g)) {
        throw new ExpositionParseException(
            lineNo, 1, "samples of " + f.name + g + " are not together: they appeared earlier");
      }
      group = g;
      check.start(p.timestampSeconds(), p.hasTimestamp());
    } else if (!check.sameTimestamp(p.timestampSeconds(), p.hasTimestamp())) {
      check.finish(f, lineNo);
      check.start(p.timestampSeconds(), p.hasTimestamp());
    }
    check.add(f, suffix, s, lineNo);
    checkTimestamp(s, p, lineNo);
    f.samples.add(s);
    currentHasSamples = true;
  }

  private void checkTimestamp(Sample s, SampleLexer.Parsed p, int lineNo)
      throws ExpositionParseException {
    String key = s.name() + s.labels();
    double[] last = lastTimestamp.get(key);
    if (last == null) {
      lastTimestamp.put(key, new double[] {p.hasTimestamp() ? p.timestampSeconds() : Double.NaN});
      return;
    }
    boolean hadTs = !Double.isNaN(last[0]);
    if (hadTs != p.hasTimestamp()) {
      throw new ExpositionParseException(
          lineNo, 1, "series " + key + " mixes samples with and without timestamps");
    }
    if (!hadTs) {
      throw new ExpositionParseException(lineNo, 1, "duplicate sample for series " + key);
    }
    if (p.timestampSeconds() < last[0]) {
      throw new ExpositionParseException(
          lineNo, 1, "timestamps of series " + key + " go backwards");
    }
    last[0] = p.timestampSeconds();
  }

  private ExpositionParser.FamilyState familyFor(String name, int lineNo)
      throws ExpositionParseException {
    if (current != null && name.startsWith(current.name)) {
      String suffix = name.substring(current.name.length());
      for (String allowed : suffixes(current.type)) {
        if (allowed.equals(suffix)) {
          return current;
        }
      }
      if (suffix.isEmpty() || byName.containsKey(name) || owners.get(name) == current) {
        throw new ExpositionParseException(
            lineNo,
            1,
            "sample "
                + name
                + " is not valid in "
                + current.type.openMetricsName()
                + " "
                + current.name
                + suffixHint(current));
      }
    }
    ExpositionParser.FamilyState owner = owners.get(name);
    if (owner != null) {
      throw new ExpositionParseException(
          lineNo,
          1,
          "sample " + name + " belongs to family " + owner.name + ", which appeared earlier");
    }
    return startFamily(name, MetricType.UNKNOWN, lineNo);
  }

  private static String suffixHint(ExpositionParser.FamilyState f) {
    StringBuilder sb = new StringBuilder(" (allowed: ");
    String[] s = suffixes(f.type);
    for (int i = 0; i < s.length; i++) {
      sb.append(i > 0 ? ", " : "").append(f.name).append(s[i]);
    }
    return sb.append(')').toString();
  }

  private static Labels groupOf(ExpositionParser.FamilyState f, Labels l) {
    String drop =
        switch (f.type) {
          case HISTOGRAM, GAUGE_HISTOGRAM -> "le";
          case SUMMARY -> "quantile";
          case STATESET -> f.name;
          default -> null;
        };
    if (drop == null || !l.contains(drop)) {
      return l;
    }
    List<String> n = new ArrayList<>();
    List<String> v = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      if (!l.name(i).equals(drop)) {
        n.add(l.name(i));
        v.add(l.value(i));
      }
    }
    return Labels.of(n.toArray(new String[0]), v.toArray(new String[0]));
  }

  private static void validateSample(
      ExpositionParser.FamilyState f, String suffix, Sample s, int lineNo)
      throws ExpositionParseException {
    double v = s.value();
    boolean exemplarAllowed =
        (f.type == MetricType.COUNTER && suffix.equals("_total"))
            || ((f.type == MetricType.HISTOGRAM || f.type == MetricType.GAUGE_HISTOGRAM)
                && suffix.equals("_bucket"));
    if (s.exemplar() != null && !exemplarAllowed) {
      throw err(lineNo, "exemplars are only allowed on counter _total and histogram _bucket");
    }
    switch (f.type) {
      case COUNTER -> {
        if (suffix.equals("_total")) {
          nonNegative(v, s, lineNo);
        }
      }
      case HISTOGRAM, GAUGE_HISTOGRAM -> {
        switch (suffix) {
          case "_bucket" -> {
            String le = s.labels().get("le");
            if (le == null) {
              throw err(lineNo, s.name() + " needs an 'le' label");
            }
            double b = labelNumber(le, "le", lineNo);
            if (Double.isNaN(b)) {
              throw err(lineNo, "le must not be NaN");
            }
            nonNegative(v, s, lineNo);
          }
          case "_count", "_gcount", "_sum" -> nonNegative(v, s, lineNo);
          case "_gsum" -> {
            if (Double.isNaN(v)) {
              throw err(lineNo, s.name() + " must not be NaN");
            }
          }
          default -> {}
        }
      }
      case SUMMARY -> {
        if (suffix.isEmpty()) {
          String q = s.labels().get("quantile");
          if (q == null) {
            throw err(lineNo, s.name() + " needs a 'quantile' label");
          }
          double qv = labelNumber(q, "quantile", lineNo);
          if (!(qv >= 0 && qv <= 1)) {
            throw err(lineNo, "quantile must be between 0 and 1, got " + q);
          }
          if (v < 0) {
            throw err(lineNo, "quantile value of " + s.name() + " is negative: " + v);
          }
        } else if (!suffix.equals("_created")) {
          nonNegative(v, s, lineNo);
        }
      }
      case INFO -> {
        if (v != 1) {
          throw err(lineNo, "info value must be 1, got " + v);
        }
      }
      case STATESET -> {
        if (!s.labels().contains(f.name)) {
          throw err(lineNo, "state set sample needs a label named " + f.name);
        }
        if (v != 0 && v != 1) {
          throw err(lineNo, "state set value must be 0 or 1, got " + v);
        }
      }
      default -> {}
    }
  }

  private static double labelNumber(String text, String label, int lineNo)
      throws ExpositionParseException {
    switch (text) {
      case "+Inf", "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        if (!SampleLexer.isRealNumber(text)) {
          throw err(lineNo, "invalid " + label + " value '" + text + "'");
        }
        return Double.parseDouble(text);
    }
  }

  private static void nonNegative(double v, Sample s, int lineNo) throws ExpositionParseException {
    if (Double.isNaN(v) || v < 0) {
      throw err(lineNo, s.name() + " must be a non-negative number, got " + v);
    }
  }

  static ExpositionParseException err(int lineNo, String problem) {
    return new ExpositionParseException(lineNo, 0, problem);
  }

  private void closeCurrent(int lineNo) throws ExpositionParseException {
    if (current != null && group != null) {
      check.finish(current, lineNo);
    }
    finishedGroups.clear();
    lastTimestamp.clear();
    group = null;
  }

  @Override
  List<MetricFamily> finish(int lastLine) throws ExpositionParseException {
    closeCurrent(lastLine);
    return build(families);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  /** Histogram and gauge histogram checks over one group at one timestamp. */
  static final class GroupCheck {
    private double ts;
    private boolean hasTs;
    private boolean any;
    private double lastBound;
    private double lastBucketValue;
    private boolean infSeen;
    private boolean negativeBuckets;
    private Double count;
    private boolean sum;
    private boolean gsum;
    private boolean negativeGsum;

    void start(double ts, boolean hasTs) {
      this.ts = ts;
      this.hasTs = hasTs;
      any = false;
      lastBound = Double.NaN;
      lastBucketValue = 0;
      infSeen = false;
      negativeBuckets = false;
      count = null;
      sum = false;
      gsum = false;
      negativeGsum = false;
    }

    boolean sameTimestamp(double t, boolean has) {
      return has == hasTs && (!has || t == ts);
    }

    void add(ExpositionParser.FamilyState f, String suffix, Sample s, int lineNo)
        throws ExpositionParseException {
      if (f.type != MetricType.HISTOGRAM && f.type != MetricType.GAUGE_HISTOGRAM) {
        return;
      }
      switch (suffix) {
        case "_bucket" -> {
          double b = labelNumber(s.labels().get("le"), "le", lineNo);
          if (!Double.isNaN(lastBound) && !(b > lastBound)) {
            throw err(lineNo, "buckets of " + f.name + " are not in increasing 'le' order");
          }
          if (s.value() < lastBucketValue) {
            throw err(lineNo, "bucket counts of " + f.name + " decrease (they are cumulative)");
          }
          if (b < 0) {
            negativeBuckets = true;
          }
          if (b == Double.POSITIVE_INFINITY) {
            infSeen = true;
          }
          lastBound = b;
          lastBucketValue = s.value();
        }
        case "_count", "_gcount" -> count = s.value();
        case "_sum" -> sum = true;
        case "_gsum" -> {
          gsum = true;
          negativeGsum = s.value() < 0;
        }
        default -> {
          return; // _created
        }
      }
      any = true;
    }

    void finish(ExpositionParser.FamilyState f, int lineNo) throws ExpositionParseException {
      if (!any) {
        return;
      }
      String n = f.name;
      if (!infSeen) {
        throw err(lineNo, "histogram " + n + " has no +Inf bucket");
      }
      if (count != null && count != lastBucketValue) {
        throw err(lineNo, n + " count " + count + " differs from its +Inf bucket");
      }
      if (sum && count == null) {
        throw err(lineNo, n + "_sum is present without " + n + "_count");
      }
      if (gsum && count == null) {
        throw err(lineNo, n + "_gsum is present without " + n + "_gcount");
      }
      if (count != null && !sum && !gsum) {
        throw err(lineNo, n + " has a count but no sum");
      }
      if (negativeBuckets && sum) {
        throw err(lineNo, "histogram " + n + " has negative buckets, so it may not have _sum");
      }
      if (negativeGsum && !negativeBuckets) {
        throw err(lineNo, n + "_gsum is negative but no bucket is");
      }
      any = false;
    }
  }
}
