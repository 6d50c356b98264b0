package dev.vigil.collectors.recorders;

/**
 * One quality event kept by {@link Recorders#recentQualityEvents()}: a spec violation or a finding.
 *
 * @param timestampMillis when it was recorded, epoch milliseconds
 * @param type {@code violation} or {@code finding}
 * @param agent the agent that reported it
 * @param kind the violation's kind, or the finding's severity
 * @param detail what the caller said about it, at most {@link #MAX_DETAIL_CHARS} characters
 */
public record QualityEvent(
    long timestampMillis, String type, String agent, String kind, String detail) {

  /** Details are cut to this many characters. */
  public static final int MAX_DETAIL_CHARS = 1024;

  public QualityEvent {
    if (detail != null && detail.length() > MAX_DETAIL_CHARS) {
      detail = detail.substring(0, MAX_DETAIL_CHARS);
    }
  }
}
