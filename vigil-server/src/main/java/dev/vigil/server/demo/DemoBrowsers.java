package dev.vigil.server.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated browsers for the demo: the pages of an AgentOS-like web UI ({@code /desktop}, {@code
 * /apps/:id}, {@code /chat}, {@code /settings}) send web-vitals beacons to a Vigil's own {@code
 * POST /api/v1/vitals}, as pages including {@code /vitals.js} do, so the Browser page and the
 * Grafana browser dashboard have data in demo mode. Through the real endpoint: the beacons pass its
 * checks (origin, rate limit, size, fields) and get their page labels from it.
 *
 * <pre>{@code
 * DemoBrowsers browsers = new DemoBrowsers(URI.create(vigil.url()), 42, Duration.ofSeconds(3));
 * browsers.start();
 * }</pre>
 *
 * <p>Thread-safe: one scheduler thread sends.
 */
/*
 * Each beacon is one page view: every vital of web-vitals (FID only where the browser reports one,
 * INP only after an interaction), page load and DOMContentLoaded, a few resource timings and the
 * app's vigil.mark()s. Values are log-normal around a median per page, chosen so that each page
 * grades differently against web vitals' thresholds (apps need improvement on LCP, chat on INP,
 * settings on CLS). One beacon every `every` (3 s by default: 20 a minute, a third of the
 * endpoint's default per-address limit, so real browsers on the same host still get through).
 */
final class DemoBrowsers implements AutoCloseable {
  /** Paths the simulated browsers load, with the page label the endpoint gives each. */
  static final String[][] PAGES = {
    {"/desktop", "/desktop"},
    {"/apps/17", "/apps/:id"},
    {"/apps/42", "/apps/:id"},
    {"/chat", "/chat"},
    {"/settings", "/settings"}
  };

  private final URI endpoint;
  private final Duration every;
  private final SplittableRandom rnd;
  private final HttpClient http;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private ScheduledExecutorService timer;

  /**
   * @param base the Vigil's URL ({@code http://host:port}); beacons go to {@code /api/v1/vitals}
   *     under it
   * @param seed the random sequence, so a seed reproduces the values
   * @param every the time between two beacons
   */
  DemoBrowsers(URI base, long seed, Duration every) {
    this.endpoint = base.resolve("/api/v1/vitals");
    this.every = every;
    this.rnd = new SplittableRandom(seed ^ 0x42524F5753455253L);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Starts sending, the first beacon at once. */
  synchronized void start() {
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofVirtual().name("vigil-demo-browsers").factory());
      timer.scheduleWithFixedDelay(
          this::sendQuietly, 0, Math.max(1, every.toMillis()), TimeUnit.MILLISECONDS);
    }
  }

  /** Beacons the endpoint accepted (204). */
  long sent() {
    return sent.get();
  }

  /** Beacons refused or not delivered (the server not up yet, rate limited, closing). */
  long failed() {
    return failed.get();
  }

  private void sendQuietly() {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(endpoint)
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "text/plain;charset=UTF-8")
                  .POST(HttpRequest.BodyPublishers.ofString(nextBeacon()))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      (r.statusCode() == 204 ? sent : failed).incrementAndGet();
    } catch (java.io.IOException e) {
      failed.incrementAndGet(); // the server is starting or closing: the next one goes on
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next page view's beacon, as {@code vitals.js} writes it. */
  synchronized String nextBeacon() {
    int p = rnd.nextInt(PAGES.length);
    String path = PAGES[p][0];
    String page = PAGES[p][1];
    double lcp = lognormal(page.equals("/apps/:id") ? 2.6 : 1.5, 0.35);
    double ttfb = lognormal(0.25, 0.5);
    double fcp = Math.min(lcp, ttfb + lognormal(0.7, 0.3));
    double dcl = Math.max(fcp, lognormal(0.9, 0.3));
    double load = dcl + lognormal(0.5, 0.4);
    StringBuilder b = new StringBuilder(400);
    b.append("{\"page\":\"").append(path).append("\",\"vitals\":{");
    b.append("\"lcp\":").append(num(lcp));
    b.append(",\"fcp\":").append(num(fcp));
    b.append(",\"ttfb\":").append(num(ttfb));
    b.append(",\"cls\":").append(num(lognormal(page.equals("/settings") ? 0.14 : 0.03, 0.6)));
    b.append(",\"dom_content_loaded\":").append(num(dcl));
    b.append(",\"load\":").append(num(load));
    if (rnd.nextDouble() < 0.8) {
      // An interaction happened: INP, and FID where the browser still reports it.
      b.append(",\"inp\":").append(num(lognormal(page.equals("/chat") ? 0.28 : 0.11, 0.5)));
      if (rnd.nextDouble() < 0.6) {
        b.append(",\"fid\":").append(num(lognormal(0.02, 0.8)));
      }
    }
    b.append("},\"resources\":{\"script\":[")
        .append(num(lognormal(0.12, 0.5)))
        .append(',')
        .append(num(lognormal(0.3, 0.5)))
        .append("],\"css\":[")
        .append(num(lognormal(0.05, 0.5)))
        .append("],\"fetch\":[")
        .append(num(lognormal(0.08, 0.7)))
        .append("]},\"marks\":{\"app_ready\":")
        .append(num(load + lognormal(0.2, 0.5)));
    if (page.equals("/chat")) {
      b.append(",\"first_message\":").append(num(load + lognormal(0.9, 0.4)));
    }
    return b.append("}}").toString();
  }

  private double lognormal(double median, double sigma) {
    double u = Math.max(1e-12, rnd.nextDouble());
    double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    // Capped well inside the endpoint's ranges (CLS at most 100, times at most 600 s).
    return Math.min(60, median * Math.exp(sigma * g));
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      // The beacon in flight finishes (bounded by its 10 s timeout), so sent() is final.
      timer.shutdown();
      try {
        if (!timer.awaitTermination(15, TimeUnit.SECONDS)) {
          timer.shutdownNow();
        }
      } catch (InterruptedException e) {
        timer.shutdownNow();
        Thread.currentThread().interrupt();
      }
      timer = null;
    }
    http.shutdownNow(); // its selector thread
  }
}
