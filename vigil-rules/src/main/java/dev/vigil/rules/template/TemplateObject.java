package dev.vigil.rules.template;

import java.util.List;
import java.util.Map;

/**
 * A Go value a caller hands to a template as dot (or reachable from it): a struct with fields and
 * methods, optionally also a map or a slice. Alertmanager's notification data implements it; the
 * executor consults {@link #field} for {@code .Name} and {@code .Method arg...}, and {@link #asMap}
 * or {@link #asList} for {@code range}, {@code len}, {@code index}, truth and printing.
 *
 * <p>Values returned by {@link #field} may be {@link String}, {@link Boolean}, {@link Long}, {@link
 * Map Map&lt;String, String&gt;} (a {@code map[string]string}), {@link List} (a slice), another
 * TemplateObject, or null (Go's invalid value).
 */
public interface TemplateObject {
  /** What {@link #field} returns when this type has no field or method of that name. */
  Object NO_SUCH_FIELD = new Object();

  /**
   * The field or method {@code name} applied to {@code args} (empty for a field).
   *
   * @throws IllegalArgumentException with Go's message when the arguments do not fit
   */
  Object field(String name, List<Object> args);

  /** Go's type name, for error messages. */
  String goTypeName();

  /** The map this value is (sorted by key), or null when it is no map. */
  default Map<String, String> asMap() {
    return null;
  }

  /** The slice this value is, or null when it is no slice. */
  default List<?> asList() {
    return null;
  }
}
