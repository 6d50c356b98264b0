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
