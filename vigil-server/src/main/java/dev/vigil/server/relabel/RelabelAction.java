package dev.vigil.server.relabel;

import java.util.Locale;

/** The relabeling actions Prometheus defines, by their YAML names. */
public enum RelabelAction {
  REPLACE,
  KEEP,
  DROP,
  KEEPEQUAL,
  DROPEQUAL,
  HASHMOD,
  LABELMAP,
  LABELDROP,
  LABELKEEP,
  LOWERCASE,
  UPPERCASE;

  /** The name as written in YAML. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the YAML name.
   *
   * @throws IllegalArgumentException listing the valid names
   */
  public static RelabelAction parse(String s) {
    for (RelabelAction a : values()) {
      if (a.yamlName().equals(s)) {
        return a;
      }
    }
    StringBuilder valid = new StringBuilder();
    for (RelabelAction a : values()) {
      valid.append(valid.isEmpty() ? "" : ", ").append(a.yamlName());
    }
    throw new IllegalArgumentException(
        "unknown relabel action \"" + s + "\" (valid: " + valid + ")");
  }
}
