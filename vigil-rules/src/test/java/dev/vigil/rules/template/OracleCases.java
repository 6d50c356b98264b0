package dev.vigil.rules.template;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads the oracle case files under src/test/resources/template and finds peer binaries. */
final class OracleCases {
  private OracleCases() {}

  static final String EXTERNAL_URL = "http://vigil.example:9090/prom/";
  static final dev.vigil.model.Labels EXTERNAL_LABELS = dev.vigil.model.Labels.of("cluster", "c1");
  static final long EVAL_TIME_MS = 1_700_000_000_000L;
  static final String GOLDEN = "/template/oracle-expected.json";

  private static final String[][] SERIES_LABELS = {
    {"instance", "host:9090"}, {"job", "api"}, {"html", "<b>&'\"x\"</b>"}, {"path", "/a b?c&d=é"}
  };

  /** The alert's expression: vector(value) with the series labels added by label_replace. */
  static String expr(String value) {
    String e = "vector(" + value + ")";
    for (String[] l : SERIES_LABELS) {
      e =
          "label_replace("
              + e
              + ", "
              + promqlString(l[0])
              + ", "
              + promqlString(l[1])
              + ", \"\", \"\")";
    }
    return e;
  }

  private static String promqlString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** One alerting rule per distinct value, named V1, V2... in order of first use. */
  static java.util.Map<String, String> ruleOfValue(List<Case> cases) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (Case c : cases) {
      m.computeIfAbsent(c.value(), v -> "V" + (m.size() + 1));
    }
    return m;
  }

  /** Vigil's expansion of a case: the series from Vigil's PromQL engine, then the expander. */
  static String vigilExpansion(
      dev.vigil.promql.Engine engine, Expander expander, Case c, String ruleName) {
    dev.vigil.promql.Sample s = engine.instantQuery(expr(c.value()), EVAL_TIME_MS).vector().get(0);
    return expander.alert(ruleName, s.labels(), s.value(), EVAL_TIME_MS).expand(c.template());
  }

  static Expander expander(dev.vigil.promql.Engine engine) {
    return Expander.builder()
        .externalLabels(EXTERNAL_LABELS)
        .externalUrl(EXTERNAL_URL)
        .queryFunction(EngineQueryFunction.of(engine))
        .build();
  }

  /** One case: id, the value token (null for check cases) and the template text. */
  record Case(String id, String value, String template) {
    @Override
    public String toString() {
      return id + " " + template.replace("\n", "\\n");
    }
  }

  private static final Pattern VALUED = Pattern.compile("^([a-z]\\d\\d) (\\S+) (.*)$");
  private static final Pattern PLAIN = Pattern.compile("^([a-z]\\d\\d) (.*)$");

  /** Lines "id value template" (withValue) or "id template"; other lines continue a template. */
  static List<Case> load(String resource, boolean withValue) {
    String text;
    try (InputStream in = OracleCases.class.getResourceAsStream(resource)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
    List<Case> cases = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("#") || (line.isEmpty() && cases.isEmpty())) {
        continue;
      }
      Matcher m = (withValue ? VALUED : PLAIN).matcher(line);
      if (m.matches()) {
        cases.add(
            withValue
                ? new Case(m.group(1), m.group(2), m.group(3))
                : new Case(m.group(1), null, m.group(2)));
      } else if (!cases.isEmpty() && !line.isEmpty()) {
        Case last = cases.remove(cases.size() - 1);
        cases.add(new Case(last.id(), last.value(), last.template() + "\n" + line));
      }
    }
    return cases;
  }

  /** The executable on PATH, if installed. */
  static Optional<Path> binary(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
