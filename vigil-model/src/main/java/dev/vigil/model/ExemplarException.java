package dev.vigil.model;

/**
 * An exemplar the store refuses: older than the newest exemplar of its series, or with a label set
 * longer than {@link Exemplar#MAX_LABEL_SET_CHARS}. The message names the series and the reason.
 */
public final class ExemplarException extends IllegalArgumentException {
  /** Why an exemplar was refused. */
  public enum Reason {
    /** Older than the series' newest exemplar. */
    OUT_OF_ORDER,
    /** Label names and values together longer than 128 characters. */
    LABEL_SET_TOO_LONG
  }

  private final Reason reason;

  public ExemplarException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
