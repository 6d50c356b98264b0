package dev.vigil.cli.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One named logger: enabled when its level reaches both the current level and its floor. */
final class VigilLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  private final int floor;
  private final String shortName;

  VigilLogger(String name) {
    this.name = name;
    this.floor = VigilLogging.floor(name);
    this.shortName = name.substring(name.lastIndexOf('.') + 1);
  }

  private boolean enabled(Level level) {
    int l = level.toInt();
    return l >= floor && l >= VigilLogging.threshold();
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] args, Throwable t) {
    // AbstractLogger checked the level already; the level may have changed since, which is fine.
    String message = MessageFormatter.basicArrayFormat(pattern, args);
    VigilLogging.write(level, shortName, message == null ? "null" : message, t);
  }
}
