package dev.vigil.notify.builtin;

/** An invalid {@code notify} section; the message names file, line and key. */
public final class NotifyConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NotifyConfigException(String message) {
    super(message);
  }
}
