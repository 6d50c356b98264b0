package dev.vigil.rules;

/**
 * One thing wrong in a rule file, located as precisely as the file allows.
 *
 * @param file the file as given to the parser (a path or a name)
 * @param line 1-based line, or 0 when the problem has no single line (a missing file)
 * @param group the group's name, or null outside a group
 * @param ruleIndex 1-based position of the rule in its group, or 0 outside a rule
 * @param rule the rule's {@code record} or {@code alert} name ("" when it has none), or null
 *     outside a rule
 * @param message what is wrong, worded as promtool words it where it has a wording
 */
public record Problem(
    String file, int line, String group, int ruleIndex, String rule, String message) {

  /**
   * Reads as promtool prints it: {@code rules.yml:12: group "g", rule 2, "HighCPU": could not parse
   * expression: ...}.
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(file);
    if (line > 0) {
      b.append(':').append(line);
    }
    b.append(": ");
    if (group != null) {
      b.append("group \"").append(group).append('"');
      if (rule != null) {
        b.append(", rule ").append(ruleIndex).append(", \"").append(rule).append('"');
      }
      b.append(": ");
    }
    return b.append(message).toString();
  }
}
