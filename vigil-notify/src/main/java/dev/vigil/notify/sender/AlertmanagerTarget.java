package dev.vigil.notify.sender;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * One Alertmanager to post alerts to.
 *
 * @param url the full URL of its alerts endpoint, e.g. {@code http://am:9093/api/v2/alerts}
 * @param timeout the longest a post may take
 * @param authorization the {@code Authorization} header value, or null
 * @param ssl the TLS context for {@code https}, or null for the JVM's defaults
 * @param sslParameters the TLS parameters (protocol versions), or null
 */
public record AlertmanagerTarget(
    URI url,
    Duration timeout,
    String authorization,
    SSLContext ssl,
    javax.net.ssl.SSLParameters sslParameters) {

  /** Without TLS settings of its own. */
  public AlertmanagerTarget(URI url, Duration timeout, String authorization) {
    this(url, timeout, authorization, null, null);
  }

  @Override
  public String toString() {
    return url.toString();
  }
}
