package dev.vigil.cli;

/**
 * SIGHUP handling through the JDK's {@code sun.misc.Signal} (module jdk.unsupported, present in
 * every JDK): the only way for a Java program to react to a hangup. Where it is missing the hook is
 * skipped and {@code POST /-/reload} remains.
 */
final class Signals {
  private Signals() {}

  /** Runs {@code action} on every SIGHUP. */
  @SuppressWarnings("removal")
  static void onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
    } catch (IllegalArgumentException | LinkageError e) {
      System.err.println("vigil: SIGHUP reload is not available here: " + e.getMessage());
    }
  }
}
