package dev.vigil.cli;

/** Whether the command talks to a person at a terminal (progress bars) or to a pipe or file. */
final class Terminal {
  private Terminal() {}

  /**
   * True when standard input and output are a terminal. JDK 21's {@code System.console()} is null
   * otherwise; from JDK 22 it may be a console that is not a terminal, which {@code
   * Console.isTerminal()} (looked up reflectively, as the build targets 21) tells.
   */
  static boolean interactive() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console exists only on a terminal
    }
  }
}
