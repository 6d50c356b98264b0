package dev.vigil.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * The {@code server} section: where to listen, who may do what, TLS, and request limits.
 *
 * @param host the bind address (default {@code 127.0.0.1})
 * @param port the TCP port (default {@value #DEFAULT_PORT}; 0 picks a free one)
 * @param readTokens bearer tokens allowed to query; empty means reads need no token
 * @param writeTokens bearer tokens allowed to push data and reload; they may also read
 * @param adminTokens bearer tokens for the admin API; they may also read and write. With none, the
 *     admin API is disabled
 * @param allowUnauthenticated permits a non-loopback listen address without read tokens
 * @param tls TLS settings; {@link TlsConfig#enabled()} false for plain HTTP
 * @param limits request and query limits
 * @param allowedHosts host names, besides the listen address, {@code localhost} and IP addresses,
 *     that an unauthenticated server (no read tokens) answers in the {@code Host} header; any other
 *     name is refused with 403, so that a web page cannot reach the server by DNS rebinding
 */
public record ServerConfig(
    String host,
    int port,
    List<String> readTokens,
    List<String> writeTokens,
    List<String> adminTokens,
    boolean allowUnauthenticated,
    TlsConfig tls,
    Limits limits,
    List<String> allowedHosts) {

  /** The documented default port. */
  public static final int DEFAULT_PORT = 9470;

  public ServerConfig {
    readTokens = List.copyOf(readTokens);
    writeTokens = List.copyOf(writeTokens);
    adminTokens = List.copyOf(adminTokens);
    allowedHosts = List.copyOf(allowedHosts);
  }

  /** Without extra allowed host names. */
  public ServerConfig(
      String host,
      int port,
      List<String> readTokens,
      List<String> writeTokens,
      List<String> adminTokens,
      boolean allowUnauthenticated,
      TlsConfig tls,
      Limits limits) {
    this(
        host,
        port,
        readTokens,
        writeTokens,
        adminTokens,
        allowUnauthenticated,
        tls,
        limits,
        List.of());
  }

  /** Loopback on the default port, no tokens, no TLS, default limits. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        "127.0.0.1",
        DEFAULT_PORT,
        List.of(),
        List.of(),
        List.of(),
        false,
        TlsConfig.NONE,
        Limits.defaults());
  }

  /** A copy listening elsewhere. */
  public ServerConfig withListen(String host, int port) {
    return new ServerConfig(
        host,
        port,
        readTokens,
        writeTokens,
        adminTokens,
        allowUnauthenticated,
        tls,
        limits,
        allowedHosts);
  }

  /** A copy that also answers these host names (see {@link #allowedHosts()}). */
  public ServerConfig withAllowedHosts(List<String> names) {
    return new ServerConfig(
        host, port, readTokens, writeTokens, adminTokens, allowUnauthenticated, tls, limits, names);
  }

  /** Whether {@link #host()} is a loopback address. */
  public boolean isLoopback() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * TLS from PEM files ({@code cert_file} + {@code key_file}, PKCS#8 key) or a PKCS#12 keystore.
   *
   * @param certFile PEM certificate chain, or null
   * @param keyFile PEM private key (PKCS#8), or null
   * @param keystoreFile PKCS#12 file, or null
   * @param keystorePassword its password (may be empty)
   */
  public record TlsConfig(
      String certFile, String keyFile, String keystoreFile, String keystorePassword) {
    public static final TlsConfig NONE = new TlsConfig(null, null, null, "");

    /** Whether any TLS material is configured. */
    public boolean enabled() {
      return certFile != null || keystoreFile != null;
    }
  }

  /**
   * Request and query limits.
   *
   * @param maxBodyBytes largest accepted request body
   * @param maxHeaderBytes largest accepted request header block
   * @param queryTimeout the longest a query may run (a smaller {@code timeout} parameter wins)
   * @param queryMaxSamples most samples a query may load at once
   * @param queryMaxConcurrency queries evaluating at once, each on a platform thread of its own
   * @param maxPoints most points per series a range query may return (Prometheus: 11000)
   * @param queryQueueLength queries waiting for one of the {@code queryMaxConcurrency} threads;
   *     more are refused at once with 503 and {@code Retry-After}
   */
  public record Limits(
      long maxBodyBytes,
      int maxHeaderBytes,
      Duration queryTimeout,
      long queryMaxSamples,
      int queryMaxConcurrency,
      int maxPoints,
      int queryQueueLength) {
    /** Queries waiting for a query thread by default. */
    public static final int DEFAULT_QUERY_QUEUE_LENGTH = 32;

    /**
     * 10 MiB bodies, 16 KiB headers, 2 m queries, 50 M samples, {@link #defaultQueryConcurrency()}
     * concurrent, 11000 points, 32 queued.
     */
    public static Limits defaults() {
      return new Limits(
          10L << 20,
          16 << 10,
          Duration.ofMinutes(2),
          50_000_000,
          defaultQueryConcurrency(),
          11_000,
          DEFAULT_QUERY_QUEUE_LENGTH);
    }

    /**
     * The number of cores the JVM may use, at least 2: evaluation is CPU-bound and single-threaded,
     * so more queries at once only stretch each one (see {@code QueryPool}).
     */
    public static int defaultQueryConcurrency() {
      return Math.max(2, Runtime.getRuntime().availableProcessors());
    }
  }
}
