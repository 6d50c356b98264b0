package dev.vigil.notify.silence;

/**
 * A silence that cannot be set or expired, with Alertmanager's message: {@link #notFound()} for an
 * unknown id (API v2 answers 404), otherwise invalid input (400) or an impossible change.
 */
public final class SilenceException extends RuntimeException {
  private final boolean notFound;

  SilenceException(String message, boolean notFound) {
    super(message);
    this.notFound = notFound;
  }

  static SilenceException invalid(String message) {
    return new SilenceException(message, false);
  }

  static SilenceException notFound(String id) {
    return new SilenceException("silence not found", true);
  }

  /** Whether the silence named does not exist. */
  public boolean notFound() {
    return notFound;
  }
}
