package dev.vigil.rules.template;

/**
 * A template that does not parse or fails while executing. The message is Go's, e.g. {@code
 * template: __alert_X:1: function "foo" not defined} or {@code template: __alert_X:1:115: executing
 * "__alert_X" at <humanize "x">: error calling humanize: ...}.
 */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  TemplateException(String message) {
    super(message, null, false, false);
  }
}
