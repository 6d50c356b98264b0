package dev.vigil.cli.logging;

import dev.vigil.server.config.LogLevel;
import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.event.Level;

/**
 * The level of {@code ./vigil serve}'s log, changeable while it runs: {@code --log.level} and
 * {@code log.level} at start, {@code log.level} again at every reload.
 *
 * <pre>{@code
 * VigilLogging.setLevel(LogLevel.DEBUG); // takes effect for every logger at once
 * }</pre>
 */
public final class VigilLogging {
  /*
   * slf4j-simple, the backend before this one, fixes each logger's level when the logger is
   * created, so a reload could not change it and debug logging needed -D options (through
   * VIGIL_JAVA_OPTS, which dropped the launcher's JVM options). Here every logger reads one
   * volatile threshold per call: one volatile read per disabled debug() costs nothing measurable
   * next to the work around it.
   */
  private static volatile int threshold = Level.INFO.toInt();

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  private VigilLogging() {}

  /** Logs messages at {@code level} and above from now on. */
  public static void setLevel(LogLevel level) {
    threshold =
        switch (level) {
          case DEBUG -> Level.DEBUG.toInt();
          case INFO -> Level.INFO.toInt();
          case WARN -> Level.WARN.toInt();
          case ERROR -> Level.ERROR.toInt();
        };
  }

  /** The least severe level logged now, as SLF4J's integer. */
  static int threshold() {
    return threshold;
  }

  /**
   * The least severe level a logger may ever log, whatever the level: Jetty and Javalin at warn
   * (their debug and info output is per request and connection), and two Jetty classes at error:
   * they warn once per request with a bad authority or a repeated Host header, which any client can
   * send (HttpFuzzTest's campaign wrote hundreds), and the client gets its 400 either way.
   */
  static int floor(String name) {
    if (name.equals("org.eclipse.jetty.util.HostPort")
        || name.equals("org.eclipse.jetty.http.HttpParser")) {
      return Level.ERROR.toInt();
    }
    if (name.startsWith("org.eclipse.jetty") || name.startsWith("io.javalin")) {
      return Level.WARN.toInt();
    }
    return Level.TRACE.toInt();
  }

  /** Writes one line as slf4j-simple did: time, level, short logger name, message. */
  static void write(Level level, String shortName, String message, Throwable t) {
    StringBuilder sb = new StringBuilder(64 + message.length());
    sb.append(ZonedDateTime.now().format(TIME))
        .append(' ')
        .append(level.name())
        .append(' ')
        .append(shortName)
        .append(" - ")
        .append(message);
    PrintStream err = System.err;
    synchronized (err) {
      err.println(sb);
      if (t != null) {
        t.printStackTrace(err);
      }
      err.flush();
    }
  }
}
