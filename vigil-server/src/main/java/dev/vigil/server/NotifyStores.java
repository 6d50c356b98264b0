package dev.vigil.server;

import dev.vigil.notify.nflog.NotificationLog;
import dev.vigil.notify.nflog.RecordLog;
import dev.vigil.notify.silence.Silences;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier's persistent state in the data directory: {@code <storage.path>/notify/silences.log}
 * and {@code notify/nflog.log}, opened after the store (whose directory lock guards them too) and
 * closed before it. Every {@link #MAINTENANCE_INTERVAL} both drop what is past retention and
 * compact their files, as Alertmanager's maintenance does.
 */
final class NotifyStores implements AutoCloseable {
  static final String DIR = "notify";

  /** Alertmanager's {@code --data.maintenance-interval} default. */
  static final Duration MAINTENANCE_INTERVAL = Duration.ofMinutes(15);

  private static final Logger LOG = LoggerFactory.getLogger(NotifyStores.class);

  final Silences silences;
  final NotificationLog nflog;
  private final ScheduledExecutorService maintenance;

  private NotifyStores(Silences silences, NotificationLog nflog, Duration every) {
    this.silences = silences;
    this.nflog = nflog;
    this.maintenance =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("vigil-notify-maintenance").factory());
    long ms = every.toMillis();
    maintenance.scheduleWithFixedDelay(this::maintain, ms, ms, TimeUnit.MILLISECONDS);
  }

  void maintain() {
    try {
      int s = silences.gc();
      int n = nflog.gc();
      if (s + n > 0) {
        LOG.info("notify maintenance: dropped {} silences and {} log entries past retention", s, n);
      }
    } catch (RuntimeException e) {
      LOG.warn("notify maintenance failed", e);
    }
  }

  static NotifyStores open(Path dataDir, LongSupplier millis) throws IOException {
    return open(dataDir, millis, MAINTENANCE_INTERVAL);
  }

  static NotifyStores open(Path dataDir, LongSupplier millis, Duration every) throws IOException {
    Clock clock = clock(millis);
    Path dir = dataDir.resolve(DIR);
    Silences s = Silences.open(dir.resolve("silences.log"), clock, Silences.DEFAULT_RETENTION);
    if (s.cutBytes() > 0) {
      LOG.warn(
          "silences: cut {} bytes of a torn or corrupt tail from {} (kept in {}); the silences"
              + " before it are loaded",
          s.cutBytes(),
          dir.resolve("silences.log"),
          RecordLog.cutFile(dir.resolve("silences.log")));
    }
    try {
      NotificationLog n =
          NotificationLog.open(dir.resolve("nflog.log"), clock, NotificationLog.DEFAULT_RETENTION);
      if (n.cutBytes() > 0) {
        LOG.warn(
            "notification log: cut {} bytes of a torn or corrupt tail from {} (kept in {})",
            n.cutBytes(),
            dir.resolve("nflog.log"),
            RecordLog.cutFile(dir.resolve("nflog.log")));
      }
      return new NotifyStores(s, n, every);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The server's clock (the demo's simulated one, or a test's) as a {@link Clock}. */
  static Clock clock(LongSupplier millis) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis.getAsLong());
      }
    };
  }

  @Override
  public void close() throws IOException {
    maintenance.shutdownNow();
    try {
      maintenance.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      silences.close();
    } finally {
      nflog.close();
    }
  }
}
