package dev.vigil.server.scrape;

import dev.vigil.ingest.wire.Gzip;
import dev.vigil.server.config.ScrapeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fetches one target's exposition: the HTTP client side of a scrape, with nothing of the cache or
 * the schedule.
 *
 * <pre>{@code
 * TargetScraper s = TargetScraper.http(target, client);
 * TargetScraper.Body body = s.scrape();   // within the job's scrape_timeout, or IOException
 * }</pre>
 *
 * <p>One deadline, the job's {@code scrape_timeout}, covers connecting, the response headers and
 * the whole body (Prometheus' {@code targetScraper}): a target that stalls at any point fails the
 * scrape at the deadline with "context deadline exceeded", and its connection is aborted. The body
 * is limited by {@code body_size_limit} (uncompressed; 0 for no limit) and refused as soon as it
 * passes it. Thread-safe; a scrape that the calling thread's interrupt cuts short throws {@link
 * InterruptedException} and aborts the exchange.
 */
abstract class TargetScraper {
  /*
   * Why the response is read by a subscriber and waited for with Future.get(timeout): the old
   * reader put a timeout on the request (which the JDK client applies to the headers only) and
   * checked the deadline after each read() returned, so a target that sent headers and then
   * stalled blocked the read for as long as it stalled (9 s into a 1 s timeout, no up 0, no
   * further scrapes). Here the whole exchange is one CompletableFuture: get() waits at most until
   * the deadline, and cancel(true) aborts the exchange (JDK 16+), closing the connection.
   */

  /**
   * An exposition as fetched: the first {@code length} bytes of {@code bytes} (gzip already
   * inflated) and its format. The array may be the scraper's reused buffer: give it back with
   * {@link #release} once parsed, and keep no reference to it.
   */
  record Body(byte[] bytes, int length, ScrapeFormat format) {
    Body(byte[] bytes, ScrapeFormat format) {
      this(bytes, bytes.length, format);
    }
  }

  /**
   * Fetches the exposition.
   *
   * @throws IOException for a failed scrape (connection, status, deadline, body size); the message
   *     is what {@code /api/v1/targets} shows as the last error
   * @throws InterruptedException when the calling thread is interrupted (the exchange is aborted)
   */
  abstract Body scrape() throws IOException, InterruptedException;

  /**
   * Aborts the scrape in flight, if any, and every later one: they throw {@link IOException} at
   * once. For stopping a loop without interrupting its thread.
   */
  void abort() {}

  /** Hands a parsed body's buffer back for the next scrape to reuse. */
  void release(Body body) {}

  /** An in-process source: no HTTP, no deadline. */
  static TargetScraper local(LocalSource source) {
    return new TargetScraper() {
      @Override
      Body scrape() throws IOException {
        return new Body(source.scrape(), source.format());
      }
    };
  }

  /** A scraper that always fails with {@code error} (a job whose HTTP client could not be made). */
  static TargetScraper failing(String error) {
    return new TargetScraper() {
      @Override
      Body scrape() throws IOException {
        throw new IOException(error);
      }
    };
  }

  /** An HTTP(S) scraper of {@code target} through {@code client}. */
  static TargetScraper http(Target target, HttpClient client) {
    return new Http(target, client);
  }

  private static final class Http extends TargetScraper {
    private final Target target;
    private final HttpClient client;
    private final String authHeader;
    private volatile boolean aborted;
    private volatile CompletableFuture<?> inflight;
    // The body buffer of the last scrape, reused by the next (a 20,000-series body collected into
    // a growing array and copied was ~6 MiB of garbage per scrape). Taken by one exchange at a
    // time: one abandoned on a deadline keeps its own, the next scrape makes a new one.
    private final AtomicReference<byte[]> spare = new AtomicReference<>();

    Http(Target target, HttpClient client) {
      this.target = target;
      this.client = client;
      ScrapeConfig job = target.job();
      if (job.bearerToken() != null) {
        authHeader = "Bearer " + job.bearerToken();
      } else if (job.basicAuth() != null) {
        String up = job.basicAuth().username() + ":" + job.basicAuth().password();
        authHeader =
            "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
      } else {
        authHeader = null;
      }
    }

    @Override
    void abort() {
      aborted = true;
      CompletableFuture<?> f = inflight;
      if (f != null) {
        f.cancel(true);
      }
    }

    @Override
    Body scrape() throws IOException, InterruptedException {
      ScrapeConfig job = target.job();
      Duration timeout = job.timeout();
      long deadline = System.nanoTime() + timeout.toNanos();
      HttpRequest.Builder rb =
          HttpRequest.newBuilder(URI.create(target.url()))
              .header("Accept", ScrapeFormat.ACCEPT)
              .header("Accept-Encoding", "gzip")
              .header("User-Agent", "Vigil/" + dev.vigil.server.api.StatusApi.vigilVersion())
              .header(
                  "X-Prometheus-Scrape-Timeout-Seconds",
                  Double.toString(timeout.toMillis() / 1000.0))
              .GET();
      if (authHeader != null) {
        rb.header("Authorization", authHeader);
      }
      long limit = job.bodySizeLimit() > 0 ? job.bodySizeLimit() : Long.MAX_VALUE;
      CompletableFuture<HttpResponse<Filled>> exchange =
          client.sendAsync(
              rb.build(),
              info -> new LimitedBody(info.statusCode(), limit, job, spare.getAndSet(null)));
      inflight = exchange;
      if (aborted) { // abort() ran before inflight was set
        exchange.cancel(true);
      }
      HttpResponse<Filled> resp;
      try {
        resp = exchange.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        exchange.cancel(true);
        throw new IOException(
            "context deadline exceeded (scrape_timeout " + timeout.toMillis() + "ms)");
      } catch (InterruptedException e) {
        exchange.cancel(true);
        throw e;
      } catch (CancellationException e) {
        throw new IOException("scrape aborted", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof IOException io) {
          throw io;
        }
        throw new IOException(c.getMessage() == null ? c.toString() : c.getMessage(), c);
      } finally {
        inflight = null;
      }
      if (resp.statusCode() != 200) {
        throw new IOException("server returned HTTP status " + resp.statusCode());
      }
      byte[] bytes = resp.body().buf();
      int length = resp.body().size();
      boolean gzip =
          resp.headers()
              .firstValue("Content-Encoding")
              .map(v -> v.trim().equalsIgnoreCase("gzip"))
              .orElse(false);
      if (gzip) {
        int max = (int) Math.min(limit, Integer.MAX_VALUE - 8);
        try {
          byte[] compressed = Arrays.copyOf(bytes, length);
          release(new Body(bytes, length, null));
          bytes = Gzip.decompress(compressed, max);
          length = bytes.length;
        } catch (Gzip.TooLargeException e) {
          throw bodyTooLarge(limit, job);
        } catch (Gzip.CorruptException e) {
          throw new IOException(e.getMessage(), e);
        }
      }
      return new Body(
          bytes, length, ScrapeFormat.of(resp.headers().firstValue("Content-Type").orElse(null)));
    }

    @Override
    void release(Body body) {
      spare.set(body.bytes());
    }
  }

  static IOException bodyTooLarge(long limit, ScrapeConfig job) {
    return new IOException(
        "body size limit exceeded ("
            + limit
            + " bytes, body_size_limit of job "
            + job.jobName()
            + ")");
  }

  /**
   * Collects a 200 response's body, failing as soon as it passes {@code limit} bytes; the body of
   * any other status is not read (the exchange completes with an empty body and is closed).
   */
  private record Filled(byte[] buf, int size) {}

  private static final class LimitedBody implements HttpResponse.BodySubscriber<Filled> {
    private final CompletableFuture<Filled> result = new CompletableFuture<>();
    private final int status;
    private final long limit;
    private final ScrapeConfig job;
    private Flow.Subscription subscription;
    private byte[] buf;
    private int size;

    LimitedBody(int status, long limit, ScrapeConfig job, byte[] reuse) {
      this.status = status;
      this.limit = limit;
      this.job = job;
      this.buf = reuse != null ? reuse : new byte[16 << 10];
    }

    @Override
    public CompletionStage<Filled> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (status != 200) {
        s.cancel();
        result.complete(new Filled(new byte[0], 0));
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        int n = b.remaining();
        if ((long) size + n > limit) {
          subscription.cancel();
          buf = null;
          result.completeExceptionally(bodyTooLarge(limit, job));
          return;
        }
        if (size + n > buf.length) {
          long grown = Math.max((long) buf.length * 2, (long) size + n);
          buf = Arrays.copyOf(buf, (int) Math.min(grown, Integer.MAX_VALUE - 8));
        }
        b.get(buf, size, n);
        size += n;
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      if (!result.isDone()) {
        result.complete(new Filled(buf, size));
      }
    }
  }
}
