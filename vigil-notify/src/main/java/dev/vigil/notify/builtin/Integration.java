package dev.vigil.notify.builtin;

/**
 * One configured delivery of a receiver (a webhook URL, a Slack channel, a mail address, the log).
 * Implementations are thread-safe; {@link #send} blocks up to its own timeout.
 */
interface Integration {
  /** For metrics and logs: webhook, slack, email or log. */
  String kind();

  boolean sendResolved();

  /**
   * Delivers one notification.
   *
   * @return null on success; otherwise why it failed, and whether a retry may help
   */
  Failure send(NotificationData data) throws InterruptedException;

  record Failure(String reason, boolean retryable) {}
}
