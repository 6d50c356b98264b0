package dev.vigil.rules.unittest;

import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.Sample;
import dev.vigil.promql.test.MemoryStorage;
import dev.vigil.promql.test.TestScript;
import dev.vigil.rules.PromDuration;
import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleFileException;
import dev.vigil.rules.RuleFiles;
import dev.vigil.rules.RuleGroupSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs promtool's rule unit tests ({@code promtool test rules}): for each test group, the input
 * series are loaded into an in-memory store, the rule files' groups are evaluated at every {@code
 * evaluation_interval} step from 0 to the last {@code eval_time}, the firing alerts are compared
 * with {@code alert_rule_test} at each {@code eval_time}, and {@code promql_expr_test} queries run
 * at the end.
 *
 * <pre>{@code
 * RuleUnitTests.Result r = RuleUnitTests.run(Path.of("tests/host_test.yml"));
 * r.passed();   // false: r.errors() reads like promtool's FAILED report
 * }</pre>
 */
public final class RuleUnitTests {
  /* promtool 2.42's semantics, reproduced where they surprise:
   * - relative rule_files are resolved against the test file's directory; a pattern that matches
   *   nothing is only a warning;
   * - a test group without interval loads every value at time 0 (load 0s), the first one kept;
   * - groups run in group_eval_order (groups it does not list come first, in file order);
   *   a group named there that does not exist is not an error; a name repeated is;
   * - an alert_rule_test at eval_time t is checked after the evaluation at the step ts with
   *   ts <= t < ts + evaluation_interval, and only firing alerts count;
   * - a rule that fails to evaluate stops its test group;
   * - input samples after the last eval_time are never loaded. */

  /** The outcome of one file: passed, or promtool-style error blocks; and warnings. */
  public record Result(String file, boolean passed, List<String> errors, List<String> warnings) {}

  private static volatile Evaluation.Factory evaluator = ManagerEvaluation.factory();

  private RuleUnitTests() {}

  /** Sets the rule evaluator the runner uses. */
  static void setEvaluator(Evaluation.Factory factory) {
    evaluator = java.util.Objects.requireNonNull(factory);
  }

  /** Runs one unit-test file. */
  public static Result run(Path file) {
    List<String> warnings = new ArrayList<>();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return fail(file, List.of("cannot read " + file + ": " + e.getMessage()), warnings);
    }
    UnitTestFile f;
    try {
      f = UnitTestFile.parse(text);
    } catch (UnitTestFile.FormatException e) {
      return fail(file, List.of(e.getMessage()), warnings);
    }
    // Rule files are named as promtool names them: the test file's directory joined with the
    // pattern, so problems read "rules/x.yml:5: ...".
    Path base = file.getParent() == null ? Path.of("") : file.getParent();
    List<Map.Entry<String, RuleGroupSpec>> groups;
    try {
      groups = loadGroups(f, base, warnings);
    } catch (RuleFileException e) {
      return fail(file, List.of(e.getMessage()), warnings);
    }
    Map<String, Integer> order = new HashMap<>();
    for (int i = 0; i < f.groupEvalOrder().size(); i++) {
      String g = f.groupEvalOrder().get(i);
      if (order.putIfAbsent(g, i) != null) {
        return fail(file, List.of("group name repeated in evaluation order: " + g), warnings);
      }
    }
    groups.sort(Comparator.comparingInt(e -> order.getOrDefault(e.getValue().name(), 0)));
    long evalMs = f.evaluationInterval().isZero() ? 60_000 : f.evaluationInterval().toMillis();
    List<String> errors = new ArrayList<>();
    for (UnitTestFile.TestGroup tg : f.tests()) {
      errors.addAll(runGroup(tg, groups, evalMs));
    }
    return new Result(file.toString(), errors.isEmpty(), errors, warnings);
  }

  private static Result fail(Path file, List<String> errors, List<String> warnings) {
    return new Result(file.toString(), false, errors, warnings);
  }

  private static List<Map.Entry<String, RuleGroupSpec>> loadGroups(
      UnitTestFile f, Path base, List<String> warnings) throws RuleFileException {
    List<Map.Entry<String, RuleGroupSpec>> out = new ArrayList<>();
    for (String pattern : f.ruleFiles()) {
      Path p = base.resolve(pattern).normalize();
      List<Path> files;
      boolean glob =
          pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
      if (!glob) {
        files = Files.isRegularFile(p) ? List.of(p) : List.of();
      } else {
        files = RuleFiles.resolve(List.of(p.toString()), base);
      }
      if (files.isEmpty()) {
        warnings.add("no file match pattern " + p);
      }
      for (Path rf : files) {
        String text;
        try {
          text = Files.readString(rf, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new RuleFileException(
              List.of(
                  new dev.vigil.rules.Problem(
                      rf.toString(), 0, null, 0, null, "cannot read: " + e.getMessage())));
        }
        RuleFile parsed = RuleFiles.parse(rf.toString(), text);
        for (RuleGroupSpec g : parsed.groups()) {
          out.add(Map.entry(rf.toString(), g));
        }
      }
    }
    return out;
  }

  private static List<String> runGroup(
      UnitTestFile.TestGroup tg, List<Map.Entry<String, RuleGroupSpec>> groups, long evalMs) {
    List<String> errs = new ArrayList<>();
    for (UnitTestFile.AlertTest a : tg.alertTests()) {
      if (a.alertname().isEmpty()) {
        String in = tg.name().isEmpty() ? "" : " (in TestGroup " + tg.name() + ")";
        return List.of(
            "an item under alert_rule_test misses required attribute alertname at eval_time "
                + PromDuration.format(a.evalTime())
                + in);
      }
    }
    long maxT = 0;
    for (UnitTestFile.AlertTest a : tg.alertTests()) {
      maxT = Math.max(maxT, a.evalTime().toMillis());
    }
    for (UnitTestFile.ExprTest e : tg.exprTests()) {
      maxT = Math.max(maxT, e.evalTime().toMillis());
    }
    MemoryStorage storage = new MemoryStorage();
    try {
      load(tg, storage, maxT);
    } catch (RuntimeException e) {
      return List.of(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    Engine engine = Engine.builder(storage).build();
    Evaluation.Factory factory = evaluator;
    Evaluation eval =
        groups.isEmpty()
            ? null
            : factory.create(
                groups, storage, engine, evalMs, tg.externalLabels(), tg.externalUrl());

    TreeMap<Long, List<UnitTestFile.AlertTest>> alertTests = new TreeMap<>();
    for (UnitTestFile.AlertTest a : tg.alertTests()) {
      alertTests.computeIfAbsent(a.evalTime().toMillis(), k -> new ArrayList<>()).add(a);
    }
    for (long ts = 0; ts <= maxT; ts += evalMs) {
      if (eval != null) {
        List<String> evalErrs = new ArrayList<>();
        for (Evaluation.Failure fl : eval.evaluate(ts)) {
          evalErrs.add(
              "    rule: "
                  + fl.rule()
                  + ", time: "
                  + PromDuration.format(Duration.ofMillis(ts))
                  + ", err: "
                  + fl.error());
        }
        if (!evalErrs.isEmpty()) {
          errs.addAll(evalErrs);
          return errs;
        }
      }
      for (Map.Entry<Long, List<UnitTestFile.AlertTest>> e :
          alertTests.subMap(ts, true, ts + evalMs, false).entrySet()) {
        for (UnitTestFile.AlertTest a : e.getValue()) {
          String err = checkAlerts(tg, a, eval);
          if (err != null) {
            errs.add(err);
          }
        }
      }
    }
    for (UnitTestFile.ExprTest e : tg.exprTests()) {
      String err = checkExpr(e, engine);
      if (err != null) {
        errs.add(err);
      }
    }
    return errs;
  }

  /** Loads the input series at i·interval, as promtool's {@code load <interval>} does. */
  private static void load(UnitTestFile.TestGroup tg, MemoryStorage storage, long maxT) {
    if (tg.inputSeries().isEmpty()) {
      return;
    }
    StringBuilder script = new StringBuilder("load ");
    script.append(PromDuration.format(tg.interval())).append('\n');
    for (UnitTestFile.InputSeries s : tg.inputSeries()) {
      script.append("  ").append(s.series()).append(' ').append(s.values()).append('\n');
    }
    long step = tg.interval().toMillis();
    for (TestScript.Command c : TestScript.parse(script.toString())) {
      if (!(c instanceof TestScript.Load l)) {
        continue;
      }
      for (TestScript.SeriesValues sv : l.series()) {
        long last = Long.MIN_VALUE;
        for (int i = 0; i < sv.values().size(); i++) {
          Double v = sv.values().get(i);
          long t = i * step;
          // Same bits as TestScript.OMITTED: a "_" in the notation.
          if (Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(TestScript.OMITTED)
              || t <= last
              || t > maxT) {
            continue;
          }
          storage.add(sv.labels(), t, v);
          last = t;
        }
      }
    }
  }

  private static String checkAlerts(
      UnitTestFile.TestGroup tg, UnitTestFile.AlertTest a, Evaluation eval) {
    List<Evaluation.Firing> got =
        new ArrayList<>(eval == null ? List.of() : eval.firing(a.alertname()));
    List<Evaluation.Firing> exp = new ArrayList<>();
    for (UnitTestFile.ExpAlert e : a.expAlerts()) {
      Map<String, String> l = new LinkedHashMap<>(e.labels());
      l.put("alertname", a.alertname());
      exp.add(new Evaluation.Firing(Labels.of(l), e.annotations()));
    }
    Comparator<Evaluation.Firing> byLabels =
        Comparator.comparing((Evaluation.Firing x) -> x.labels())
            .thenComparing(x -> Labels.of(x.annotations()));
    got.sort(byLabels);
    exp.sort(byLabels);
    if (same(exp, got)) {
      return null;
    }
    String name = tg.name().isEmpty() ? "" : "    name: " + tg.name() + ",\n";
    return name
        + "    alertname: "
        + a.alertname()
        + ", time: "
        + PromDuration.format(a.evalTime())
        + ", \n        exp:"
        + indent(alertsString(exp), "            ")
        + ", \n        got:"
        + indent(alertsString(got), "            ");
  }

  private static boolean same(List<Evaluation.Firing> exp, List<Evaluation.Firing> got) {
    if (exp.size() != got.size()) {
      return false;
    }
    for (int i = 0; i < exp.size(); i++) {
      if (!exp.get(i).labels().equals(got.get(i).labels())
          || !new TreeMap<>(exp.get(i).annotations())
              .equals(new TreeMap<>(got.get(i).annotations()))) {
        return false;
      }
    }
    return true;
  }

  private static String alertsString(List<Evaluation.Firing> alerts) {
    if (alerts.isEmpty()) {
      return "[]";
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < alerts.size(); i++) {
      Evaluation.Firing f = alerts.get(i);
      b.append(i == 0 ? "\n" : ",\n").append(i).append(':');
      b.append(
          indent(
              "\nLabels:"
                  + GoText.labels(f.labels())
                  + "\nAnnotations:"
                  + GoText.labels(f.annotations()),
              "  "));
    }
    return b.append("\n]").toString();
  }

  /** promtool's indentLines: every line after the first gets the indent. */
  private static String indent(String s, String indent) {
    return s.replace("\n", "\n" + indent);
  }

  private static String checkExpr(UnitTestFile.ExprTest e, Engine engine) {
    String head = "    expr: " + goQuote(e.expr()) + ", time: " + PromDuration.format(e.evalTime());
    List<Sample> got;
    try {
      QueryResult r = engine.instantQuery(e.expr(), e.evalTime().toMillis());
      got =
          switch (r.type()) {
            case VECTOR -> r.vector();
            case SCALAR -> List.of(new Sample(Labels.EMPTY, 0, r.scalar()));
            default -> throw new IllegalArgumentException("rule result is not a vector or scalar");
          };
    } catch (RuntimeException ex) {
      return head + ", err: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage());
    }
    List<Map.Entry<Labels, Double>> exp = new ArrayList<>();
    for (UnitTestFile.ExpSample s : e.expSamples()) {
      Labels l;
      try {
        l = TestScript.parseLabels(s.labels(), 0);
      } catch (RuntimeException ex) {
        return head + ", err: labels " + goQuote(s.labels()) + ": " + ex.getMessage();
      }
      exp.add(Map.entry(l, s.value()));
    }
    List<Map.Entry<Labels, Double>> have = new ArrayList<>();
    for (Sample s : got) {
      have.add(Map.entry(s.labels(), s.value()));
    }
    Comparator<Map.Entry<Labels, Double>> byLabels = Map.Entry.comparingByKey();
    exp.sort(byLabels);
    have.sort(byLabels);
    boolean same = exp.size() == have.size();
    for (int i = 0; same && i < exp.size(); i++) {
      same =
          exp.get(i).getKey().equals(have.get(i).getKey())
              // reflect.DeepEqual on float64: NaN is never equal, even to NaN.
              && exp.get(i).getValue().doubleValue() == have.get(i).getValue().doubleValue();
    }
    if (same) {
      return null;
    }
    return head + ",\n        exp: " + samplesString(exp) + "\n        got: " + samplesString(have);
  }

  private static String samplesString(List<Map.Entry<Labels, Double>> samples) {
    if (samples.isEmpty()) {
      return "nil";
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<Labels, Double> s : samples) {
      if (!b.isEmpty()) {
        b.append(", ");
      }
      b.append(GoText.labels(s.getKey())).append(' ').append(GoText.floatE(s.getValue()));
    }
    return b.toString();
  }

  private static String goQuote(String s) {
    StringBuilder b = new StringBuilder();
    GoText.quote(b, s);
    return b.toString();
  }
}
