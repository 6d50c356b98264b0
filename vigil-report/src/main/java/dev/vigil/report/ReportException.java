package dev.vigil.report;

/**
 * A report that cannot be defined, run or rendered: an invalid definition (the message names file,
 * line and key), an unknown report, a range or cost over the limits, or a failing query. The
 * message is meant for the person who asked: HTTP answers it as a 400.
 */
public final class ReportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReportException(String message) {
    super(message);
  }

  public ReportException(String message, Throwable cause) {
    super(message, cause);
  }
}
