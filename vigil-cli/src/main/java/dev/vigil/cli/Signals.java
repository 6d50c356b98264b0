package dev.vigil.cli;

/**
 * SIGHUP handling through the JDK's {@code sun.misc.Signal} (module jdk.unsupported, present in
 * every JDK): the only way for a Java program to react to a hangup. Where it is missing the hook is
 * skipped and {@code POST /-/reload} remains.
 */
final class Signals {
  private Signals() {}

  /**
   * Runs {@code action} on every SIGHUP.
   *
   * @return false when SIGHUP cannot reach the handler: the JVM leaves a signal alone that was
   *     ignored when the process started (under {@code nohup}, or {@code env --ignore-signal}), and
   *     where {@code sun.misc.Signal} is missing
   */
  @SuppressWarnings("removal")
  static boolean onHangup(Runnable action) {
    try {
      sun.misc.SignalHandler before =
          sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
      return before != sun.misc.SignalHandler.SIG_IGN;
    } catch (IllegalArgumentException | LinkageError e) {
      System.err.println("vigil: SIGHUP reload is not available here: " + e.getMessage());
      return false;
    }
  }
}
