package dev.vigil.server.demo;

import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * The exceptions behind the demo's failed requests, so the Errors page has stack traces and cause
 * chains to show: each kind is thrown from its own method, so each has its own fingerprint.
 */
final class DemoFailures {
  private DemoFailures() {}

  /** The exception a client of {@code service} would see for a failed request. */
  static RuntimeException request(String service, String endpoint, int status) {
    return status == 503 ? unavailable(service, endpoint) : timeout(service, endpoint);
  }

  private static RuntimeException unavailable(String service, String endpoint) {
    return new IllegalStateException(
        "POST " + endpoint + " failed",
        new IOException(service + " answered 503 Service Unavailable"));
  }

  private static RuntimeException timeout(String service, String endpoint) {
    return new IllegalStateException(
        "request to " + service + endpoint + " failed",
        new IOException(
            "connection to " + service + " lost", new SocketTimeoutException("Read timed out")));
  }
}
