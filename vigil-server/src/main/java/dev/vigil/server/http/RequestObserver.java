package dev.vigil.server.http;

/** Told about every finished request (Vigil's own HTTP metrics). Must not block. */
@FunctionalInterface
public interface RequestObserver {
  /**
   * @param route the matched route pattern ({@code /api/v1/label/{name}/values}), or {@code other}
   *     for unmatched paths, so the label's cardinality stays bounded
   */
  void observe(String method, String route, int status, double seconds);

  /** Does nothing. */
  RequestObserver NONE = (m, r, s, d) -> {};
}
