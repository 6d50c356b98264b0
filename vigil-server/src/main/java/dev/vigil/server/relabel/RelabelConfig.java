package dev.vigil.server.relabel;

import dev.vigil.model.InvalidRegexException;
import dev.vigil.model.Names;
import dev.vigil.model.Regex;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.Section;
import java.util.List;

/**
 * One relabeling rule, as Prometheus' {@code relabel_config}. Immutable and validated on
 * construction: the rule cannot fail at run time.
 *
 * @param sourceLabels labels whose values are joined with {@code separator}
 * @param separator joins the source values; default {@code ;}
 * @param targetLabel label written by replace, hashmod, lowercase, uppercase; compared by keepequal
 *     and dropequal
 * @param regex the regular expression (default {@code (.*)}), with Prometheus' semantics: RE2
 *     syntax, anchored at both ends, {@code .} matches a newline
 * @param regexText the regular expression as written
 * @param modulus for hashmod
 * @param replacement for replace and labelmap; {@code $1}, {@code ${name}} refer to groups
 * @param action what to do
 */
public record RelabelConfig(
    List<String> sourceLabels,
    String separator,
    String targetLabel,
    Regex regex,
    String regexText,
    long modulus,
    String replacement,
    RelabelAction action) {

  public RelabelConfig {
    sourceLabels = List.copyOf(sourceLabels);
  }

  /**
   * Equal when written the same (the regex by its text). A reload with unchanged rules then keeps
   * its scrape loops (and their staleness tracking) instead of restarting them.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof RelabelConfig r
        && sourceLabels.equals(r.sourceLabels)
        && separator.equals(r.separator)
        && targetLabel.equals(r.targetLabel)
        && regexText.equals(r.regexText)
        && modulus == r.modulus
        && replacement.equals(r.replacement)
        && action == r.action;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        sourceLabels, separator, targetLabel, regexText, modulus, replacement, action);
  }

  /** A rule built from its parts, with Prometheus' defaults for null parts. */
  public static RelabelConfig of(
      RelabelAction action,
      List<String> sourceLabels,
      String separator,
      String targetLabel,
      String regex,
      long modulus,
      String replacement) {
    String re = regex == null ? "(.*)" : regex;
    return new RelabelConfig(
        sourceLabels == null ? List.of() : sourceLabels,
        separator == null ? ";" : separator,
        targetLabel == null ? "" : targetLabel,
        compile(re),
        re,
        modulus,
        replacement == null ? "$1" : replacement,
        action == null ? RelabelAction.REPLACE : action);
  }

  /**
   * Compiles a relabel regex (anchored at both ends by {@link Regex#matches}).
   *
   * @throws InvalidRegexException for a pattern RE2 refuses
   */
  static Regex compile(String re) {
    return Regex.compile(re);
  }

  /**
   * Binds one item of {@code relabel_configs} or {@code metric_relabel_configs}.
   *
   * @throws ConfigException naming file, line and key for a bad value or a missing required key
   */
  public static RelabelConfig bind(Section s) {
    RelabelAction action = s.value("action", RelabelAction.REPLACE, RelabelAction::parse);
    List<String> sources = s.strings("source_labels");
    String separator = s.string("separator", ";");
    String target = s.string("target_label", "");
    String regex = s.string("regex", "(.*)");
    long modulus = s.integer("modulus", 0, 0, Long.MAX_VALUE);
    String replacement = s.string("replacement", "$1");
    s.finish();
    Regex p;
    try {
      p = compile(regex);
    } catch (InvalidRegexException e) {
      throw s.error("regex", e.getMessage());
    }
    for (String src : sources) {
      if (!Names.isValidLabelName(src)) {
        throw s.error("source_labels", "\"" + src + "\" is not a valid label name");
      }
    }
    switch (action) {
      case REPLACE, HASHMOD, LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> {
        if (target.isEmpty()) {
          throw s.error("target_label", "required for action " + action.yamlName());
        }
        if (action != RelabelAction.REPLACE && !Names.isValidLabelName(target)) {
          throw s.error("target_label", "\"" + target + "\" is not a valid label name");
        }
      }
      default -> {}
    }
    if (action == RelabelAction.HASHMOD && modulus == 0) {
      throw s.error("modulus", "required (and above 0) for action hashmod");
    }
    if ((action == RelabelAction.LABELDROP || action == RelabelAction.LABELKEEP)
        && (!sources.isEmpty() || !target.isEmpty())) {
      throw s.error(
          "action", action.yamlName() + " takes only regex (no source_labels or target_label)");
    }
    return new RelabelConfig(sources, separator, target, p, regex, modulus, replacement, action);
  }
}
