package dev.vigil.rules;

import dev.vigil.model.Labels;
import dev.vigil.rules.template.Expander;
import dev.vigil.rules.template.TemplateException;
import dev.vigil.rules.template.Templates;
import java.util.Optional;

/** {@link AnnotationExpander} over the Go-template engine of {@code dev.vigil.rules.template}. */
final class GoTemplates implements AnnotationExpander {
  private static final String PREFIX = "__alert_";

  /** Checks only: what the rule file parser uses by default (expansion without query). */
  static final GoTemplates CHECK = new GoTemplates(Expander.builder().build());

  private final Expander expander;

  GoTemplates(Expander expander) {
    this.expander = expander;
  }

  private static String alertName(String templateName) {
    return templateName.startsWith(PREFIX) ? templateName.substring(PREFIX.length()) : templateName;
  }

  @Override
  public void check(String name, String text) {
    Optional<String> err = Templates.check(alertName(name), text);
    if (err.isPresent()) {
      throw new IllegalArgumentException(err.get());
    }
  }

  @Override
  public String expand(String name, String text, Data data) {
    try {
      return expander
          .alert(alertName(name), Labels.of(data.labels()), data.value(), data.evaluationTimeMs())
          .tryExpand(text);
    } catch (TemplateException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }
}
