package dev.vigil.rules;

import java.util.List;

/**
 * One or more rule files are invalid. The message lists every {@link Problem}, one a line, each
 * with its file, line, group and rule.
 */
public final class RuleFileException extends Exception {
  private final transient List<Problem> problems;

  public RuleFileException(List<Problem> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file order. Never empty. */
  public List<Problem> problems() {
    return problems;
  }

  private static String format(List<Problem> problems) {
    StringBuilder b = new StringBuilder();
    for (Problem p : problems) {
      if (!b.isEmpty()) {
        b.append('\n');
      }
      b.append(p);
    }
    return b.toString();
  }
}
