package dev.vigil.rules.template;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsing and checking of Prometheus alert templates. Prometheus prepends {@link #ALERT_DEFS} to
 * every label and annotation template of an alerting rule and names it {@code __alert_<alert>};
 * error positions therefore count that prefix, as Prometheus' do.
 *
 * <pre>{@code
 * Optional<String> err = Templates.check("HighLatency", "{{ $value | humanizze }}");
 * // Optional[template: __alert_HighLatency:1: function "humanizze" not defined]
 * }</pre>
 *
 * <p>Thread-safe. Parsed templates are cached by (name, text), so each is parsed once.
 */
public final class Templates {
  /** The variable definitions Prometheus prepends to alert templates. */
  public static final String ALERT_DEFS =
      "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}"
          + "{{$externalURL := .ExternalURL}}{{$value := .Value}}";

  /** Parsed templates are cached up to this many; past it the cache starts over. */
  static final int CACHE_LIMIT = 16_384;

  // Keyed by (alert name, text) as given: no concatenation per lookup, and the rule engine passes
  // the same String instances every evaluation, whose hash codes are cached.
  private static final ConcurrentHashMap<Key, Object> ALERT_CACHE = new ConcurrentHashMap<>();

  private record Key(String name, String text) {}

  private Templates() {}

  /** The template name Prometheus gives an alerting rule's templates. */
  public static String alertTemplateName(String alertName) {
    return "__alert_" + alertName;
  }

  /**
   * Checks a label or annotation template of alerting rule {@code alertName} as {@code promtool
   * check rules} does (parse only).
   *
   * @return Go's parse error, e.g. {@code template: __alert_X:1: function "foo" not defined}, or
   *     empty when the template parses
   */
  public static Optional<String> check(String alertName, String text) {
    try {
      alert(alertName, text);
      return Optional.empty();
    } catch (TemplateException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** {@link #check(String, String)} for a template whose rule name does not matter. */
  public static Optional<String> check(String text) {
    return check("", text);
  }

  /** The parsed alert template (definitions prepended), from the cache when seen before. */
  static CompiledTemplate alert(String alertName, String text) throws TemplateException {
    Key key = new Key(alertName, text);
    Object cached = ALERT_CACHE.get(key);
    if (cached == null) {
      try {
        cached = CompiledTemplate.parse(alertTemplateName(alertName), ALERT_DEFS + text);
      } catch (TemplateException e) {
        cached = e;
      } catch (RuntimeException e) {
        // A parser defect must not stop rule loading: the template is refused, saying why.
        cached =
            new TemplateException(
                "template: " + alertTemplateName(alertName) + ": internal parser error: " + e);
      }
      if (ALERT_CACHE.size() >= CACHE_LIMIT) {
        ALERT_CACHE.clear();
      }
      ALERT_CACHE.put(key, cached);
    }
    if (cached instanceof TemplateException e) {
      throw new TemplateException(e.getMessage());
    }
    return (CompiledTemplate) cached;
  }
}
