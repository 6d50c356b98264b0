package dev.vigil.bench.ingest;

import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Labels;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A remote write 1.0 load generator: {@code series} series in chunks of {@code batch}, one sample
 * per series per round, each chunk sent by one worker in round order (as Prometheus' shards do, so
 * nothing is out of order). Requests are pre-encoded once; each round patches the timestamps and
 * values in place (fixed-width fields) and compresses with snappy, so the generator stays cheap and
 * identical for every receiver.
 */
public final class RemoteWriteLoad {
  /** What one run achieved. */
  public record Result(
      long okSamples, long failedRequests, double seconds, double cpuSeconds, String firstError) {
    /** Receiver CPU seconds per million samples accepted. */
    public double cpuPerMillion() {
      return cpuSeconds / (okSamples / 1e6);
    }

    public double samplesPerSecond() {
      return okSamples / seconds;
    }
  }

  private final int series;
  private final int batch;
  private final int concurrency;
  private final long t0;
  private final List<Chunk> chunks = new ArrayList<>();

  /** One request's template: the encoded WriteRequest and where each sample's fields are. */
  private record Chunk(byte[] proto, int[] valueAt, int[] timeAt, int firstSeries) {}

  public RemoteWriteLoad(int series, int batch, int concurrency, long t0) {
    this.series = series;
    this.batch = batch;
    this.concurrency = concurrency;
    this.t0 = t0;
    for (int from = 0; from < series; from += batch) {
      chunks.add(chunk(from, Math.min(series, from + batch)));
    }
  }

  /** Bench series i: 100 metric names, 100 instances, an id. */
  static Labels labels(int i) {
    return Labels.of(
        "__name__",
        "bench_metric_" + (i % 100),
        "job",
        "bench",
        "instance",
        "host-" + (i / 100) + ":9100",
        "id",
        Integer.toString(i));
  }

  private Chunk chunk(int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n = to - from;
    int[] valueAt = new int[n];
    int[] timeAt = new int[n];
    for (int i = from; i < to; i++) {
      ByteArrayOutputStream ts = new ByteArrayOutputStream();
      Labels l = labels(i);
      for (int k = 0; k < l.size(); k++) {
        byte[] name = l.name(k).getBytes(StandardCharsets.UTF_8);
        byte[] value = l.value(k).getBytes(StandardCharsets.UTF_8);
        ts.write(0x0a);
        varint(ts, 2 + name.length + 2 + value.length);
        ts.write(0x0a);
        varint(ts, name.length);
        ts.writeBytes(name);
        ts.write(0x12);
        varint(ts, value.length);
        ts.writeBytes(value);
      }
      // Sample: value (tag 0x09, 8 bytes), timestamp (tag 0x10, varint fixed at 7 bytes).
      ts.write(0x12);
      ts.write(1 + 8 + 1 + 7);
      int sampleStart = ts.size();
      ts.write(0x09);
      ts.writeBytes(new byte[8]);
      ts.write(0x10);
      ts.writeBytes(new byte[7]);
      out.write(0x0a);
      varint(out, ts.size());
      int base = out.size();
      out.writeBytes(ts.toByteArray());
      valueAt[i - from] = base + sampleStart + 1;
      timeAt[i - from] = base + sampleStart + 10;
    }
    return new Chunk(out.toByteArray(), valueAt, timeAt, from);
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** Writes {@code v} as a varint padded to exactly 7 bytes (valid protobuf: redundant 0x80s). */
  private static void fixedVarint(byte[] b, int at, long v) {
    for (int i = 0; i < 6; i++) {
      b[at + i] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    b[at + 6] = (byte) (v & 0x7f);
  }

  /** Round {@code r}'s request body for a chunk (fresh copy, then compressed). */
  byte[] body(int chunk, long round, long stepMillis) {
    Chunk c = chunks.get(chunk);
    byte[] p = c.proto.clone();
    long t = t0 + round * stepMillis;
    for (int i = 0; i < c.valueAt.length; i++) {
      double v = round * ((c.firstSeries + i) % 7 + 1) + (round % 3) * 0.25;
      long bits = Double.doubleToRawLongBits(v);
      for (int k = 0; k < 8; k++) {
        p[c.valueAt[i] + k] = (byte) (bits >>> (8 * k));
      }
      fixedVarint(p, c.timeAt[i], t);
    }
    return Snappy.compress(p);
  }

  /**
   * Sends rounds to {@code url} until {@code warmup + measure} elapsed; counts only the measured
   * part.
   */
  public Result run(
      String url,
      Duration warmup,
      Duration measure,
      long stepMillis,
      java.util.function.DoubleSupplier receiverCpuSeconds)
      throws InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    StringBuilder firstError = new StringBuilder();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      int worker = w;
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    long round = 0;
                    while (!stop.get()) {
                      for (int c = worker; c < chunks.size() && !stop.get(); c += concurrency) {
                        byte[] body = body(c, round, stepMillis);
                        int n = chunks.get(c).valueAt.length;
                        HttpRequest req =
                            HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/x-protobuf")
                                .header("Content-Encoding", "snappy")
                                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                                .header("User-Agent", "vigil-bench/1")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build();
                        try {
                          HttpResponse<String> r =
                              client.send(req, HttpResponse.BodyHandlers.ofString());
                          boolean good = r.statusCode() / 100 == 2;
                          if (measuring.get()) {
                            if (good) {
                              ok.addAndGet(n);
                            } else {
                              failed.incrementAndGet();
                            }
                          }
                          if (!good) {
                            synchronized (firstError) {
                              if (firstError.isEmpty()) {
                                firstError.append(r.statusCode()).append(' ').append(r.body());
                              }
                            }
                          }
                        } catch (Exception e) {
                          failed.incrementAndGet();
                          synchronized (firstError) {
                            if (firstError.isEmpty()) {
                              firstError.append(e);
                            }
                          }
                        }
                      }
                      round++;
                    }
                  }));
    }
    Thread.sleep(warmup.toMillis());
    double cpu0 = receiverCpuSeconds.getAsDouble();
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(measure.toMillis());
    measuring.set(false);
    double secs = (System.nanoTime() - start) / 1e9;
    double cpu = receiverCpuSeconds.getAsDouble() - cpu0;
    stop.set(true);
    for (Thread t : workers) {
      t.join();
    }
    return new Result(ok.get(), failed.get(), secs, cpu, firstError.toString());
  }

  public int series() {
    return series;
  }

  public int batch() {
    return batch;
  }
}
