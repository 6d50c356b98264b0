package dev.vigil.server;

import dev.vigil.notify.nflog.NotificationLog;
import dev.vigil.notify.silence.Silences;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * The notifier's persistent state in the data directory: {@code <storage.path>/notify/silences.log}
 * and {@code notify/nflog.log}, opened after the store (whose directory lock guards them too) and
 * closed before it.
 */
final class NotifyStores implements AutoCloseable {
  static final String DIR = "notify";

  final Silences silences;
  final NotificationLog nflog;

  private NotifyStores(Silences silences, NotificationLog nflog) {
    this.silences = silences;
    this.nflog = nflog;
  }

  static NotifyStores open(Path dataDir, LongSupplier millis) throws IOException {
    Clock clock = clock(millis);
    Path dir = dataDir.resolve(DIR);
    Silences s = Silences.open(dir.resolve("silences.log"), clock, Silences.DEFAULT_RETENTION);
    try {
      return new NotifyStores(
          s,
          NotificationLog.open(dir.resolve("nflog.log"), clock, NotificationLog.DEFAULT_RETENTION));
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
    try {
      silences.close();
    } finally {
      nflog.close();
    }
  }
}
