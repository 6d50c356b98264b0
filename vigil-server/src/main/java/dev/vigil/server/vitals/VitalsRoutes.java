package dev.vigil.server.vitals;

import dev.vigil.metrics.MetricRegistry;
import dev.vigil.server.config.BrowserVitalsConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Browser metrics: {@code GET /vitals.js}, the snippet a page includes, and {@code POST
 * /api/v1/vitals}, where it sends its beacons (docs/api.md). Both public: a browser has no token.
 *
 * <p>A beacon passes, in this order: the endpoint is on ({@code browser_vitals.enabled}, else 404);
 * its {@code Origin} is Vigil's own, one of {@code allowed_origins}, or absent (not a browser; 403
 * otherwise); its client address has a token left (429 with {@code Retry-After}); it is at most
 * {@code max_body_size} (413); it parses and every field is known and in range (400 naming the
 * field). Only then is any of it recorded, under a page label from {@link Pages} and mark names
 * from a bounded set: nothing a client sends becomes a label as written.
 */
public final class VitalsRoutes implements Routes {
  /*
   * CORS: vitals.js sends text/plain (a CORS-safelisted type) with navigator.sendBeacon, so the
   * browser sends no preflight and reads no answer; the Origin check here is what keeps other
   * sites' pages out. An allowed origin still gets Access-Control-Allow-Origin, for a page that
   * posts with fetch() and wants to see the status.
   */
  private static final String SNIPPET = "dev/vigil/server/vitals/vitals.js";

  static final String DISABLED_SNIPPET =
      "/* Vigil browser vitals are off on this server (browser_vitals.enabled in vigil.yml). */\n"
          + "window.vigil = window.vigil || { mark: function () {}, flush: function () {} };\n";

  private final Supplier<VigilConfig> config;
  private final VitalsMetrics metrics;
  private final LongSupplier nanos;
  private final byte[] snippet;
  private volatile State state;

  /** What one configuration fixes: rebuilt when a reload brings another. */
  private record State(
      VigilConfig source,
      BrowserVitalsConfig c,
      Pages pages,
      RateLimiter limiter,
      Set<String> marks) {}

  public VitalsRoutes(Supplier<VigilConfig> config, MetricRegistry registry, LongSupplier nanos) {
    this.config = config;
    this.nanos = nanos;
    BrowserVitalsConfig c = BrowserVitalsConfig.of(config.get());
    this.metrics = new VitalsMetrics(registry, c.maxPages(), c.maxMarks());
    try (InputStream in = VitalsRoutes.class.getClassLoader().getResourceAsStream(SNIPPET)) {
      if (in == null) {
        throw new IllegalStateException(SNIPPET + " is missing from the classpath");
      }
      this.snippet = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    state(); // the configured pages' series exist from the start
  }

  private State state() {
    VigilConfig now = config.get();
    State s = state;
    return s != null && s.source() == now ? s : rebuild(now);
  }

  /** One rebuild per configuration: two beacons right after a reload share the new state. */
  private synchronized State rebuild(VigilConfig now) {
    State s = state;
    if (s == null || s.source() != now) {
      BrowserVitalsConfig c = BrowserVitalsConfig.of(now);
      // A reload applies max_pages and max_marks: the limits grow to them, and the pages and marks
      // already named keep their labels (a fresh set would admit max_pages more on every reload).
      metrics.resize(c.maxPages(), c.maxMarks());
      s =
          new State(
              now,
              c,
              s == null
                  ? new Pages(c.pages(), c.maxPages())
                  : s.pages().reconfigured(c.pages(), c.maxPages()),
              new RateLimiter(c.ratePerMinute(), c.rateBurst(), nanos),
              s == null ? ConcurrentHashMap.newKeySet() : s.marks());
      if (c.enabled()) {
        c.pages().forEach(metrics::init);
      }
      state = s;
    }
    return s;
  }

  @Override
  public void register(Router r) {
    r.get("/vitals.js", Role.PUBLIC, this::script);
    r.post("/api/v1/vitals", Role.PUBLIC, this::beacon);
  }

  private void script(Context ctx) {
    ctx.contentType("application/javascript; charset=utf-8");
    // Pages of other origins include it; a page with Cross-Origin-Embedder-Policy needs this.
    ctx.header("Cross-Origin-Resource-Policy", "cross-origin");
    ctx.header("Cache-Control", "public, max-age=300");
    ctx.result(state().c().enabled() ? snippet : DISABLED_SNIPPET.getBytes(StandardCharsets.UTF_8));
  }

  private void beacon(Context ctx) {
    State s = state();
    BrowserVitalsConfig c = s.c();
    if (!c.enabled()) {
      metrics.beacon("disabled");
      throw new ApiError(
          ApiError.Type.NOT_FOUND,
          "browser vitals are off on this server: set browser_vitals.enabled: true in vigil.yml");
    }
    String origin = ctx.header("Origin");
    if (origin != null) {
      if (!allowed(c, origin, ctx.header("Host"))) {
        metrics.beacon("forbidden");
        throw new ApiError(
            ApiError.Type.FORBIDDEN,
            "origin "
                + clip(origin)
                + " may not send browser vitals: add it to browser_vitals.allowed_origins");
      }
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Vary", "Origin");
    }
    long wait = s.limiter().acquire(ctx.ip());
    if (wait > 0) {
      metrics.beacon("rate_limited");
      ctx.header("Retry-After", Long.toString(wait));
      Json.error(
          ctx,
          ApiError.Type.TOO_MANY_REQUESTS,
          "too many beacons from this address: at most "
              + c.rateBurst()
              + " at once and "
              + c.ratePerMinute()
              + " per minute (browser_vitals.rate_limit, rate_burst); retry in "
              + wait
              + " s");
      return;
    }
    String len = ctx.header("Content-Length");
    if (len != null && parseLong(len) > c.maxBodyBytes()) {
      throw tooLarge(c);
    }
    // Read at most one byte past the limit: a chunked body has no Content-Length to refuse early.
    byte[] body;
    try (InputStream in = ctx.bodyInputStream()) {
      body = in.readNBytes((int) c.maxBodyBytes() + 1);
    } catch (IOException e) {
      metrics.beacon("invalid");
      throw ApiError.badData("cannot read the beacon: " + e.getMessage());
    }
    if (body.length > c.maxBodyBytes()) {
      throw tooLarge(c);
    }
    Beacon b;
    try {
      b = Beacon.parse(body);
    } catch (Beacon.BadBeacon e) {
      metrics.beacon("invalid");
      throw ApiError.badData("invalid beacon: " + e.getMessage());
    }
    String page = s.pages().of(b.page());
    metrics.record(page, b, name -> markName(s, c, name));
    metrics.beacon("accepted");
    ctx.status(204);
  }

  private ApiError tooLarge(BrowserVitalsConfig c) {
    metrics.beacon("too_large");
    return new ApiError(
        ApiError.Type.TOO_LARGE,
        "beacon larger than " + c.maxBodyBytes() + " bytes (browser_vitals.max_body_size)");
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String markName(State s, BrowserVitalsConfig c, String name) {
    if (s.marks().contains(name)) {
      return name;
    }
    synchronized (s.marks()) {
      if (s.marks().size() < c.maxMarks()) {
        s.marks().add(name);
        return name;
      }
    }
    return Pages.OTHER;
  }

  /** Same origin as the server (the dashboard), listed, or {@code *}. */
  static boolean allowed(BrowserVitalsConfig c, String origin, String host) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    if (c.allowedOrigins().contains("*") || c.allowedOrigins().contains(o)) {
      return true;
    }
    URI u;
    try {
      u = URI.create(o);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (host == null || u.getHost() == null || u.getScheme() == null) {
      return false;
    }
    int dflt = u.getScheme().equals("https") ? 443 : 80;
    int port = u.getPort() < 0 ? dflt : u.getPort();
    String h = host.trim().toLowerCase(Locale.ROOT);
    String hostName = h;
    int hostPort = dflt;
    int colon = h.lastIndexOf(':');
    if (colon > h.lastIndexOf(']')) {
      hostName = h.substring(0, colon);
      try {
        hostPort = Integer.parseInt(h.substring(colon + 1));
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return u.getHost().equals(hostName) && port == hostPort;
  }

  private static String clip(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }
}
