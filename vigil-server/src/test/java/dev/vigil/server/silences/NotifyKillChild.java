package dev.vigil.server.silences;

import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.VigilConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real server in a child JVM for {@link NotifyKillTest}: storage in {@code args[0]}, prints
 * {@code PORT n}; then each stdin line {@code groupKey receiver firingHash} is recorded as a
 * delivery in the notification log and acknowledged with {@code LOGGED}; it runs until killed.
 */
public final class NotifyKillChild {
  private NotifyKillChild() {}

  public static void main(String[] args) throws Exception {
    VigilConfig c =
        VigilConfig.defaults()
            .withListen("127.0.0.1", 0)
            .withStoragePath(Path.of(args[0]))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""))
            .withScrapeConfigs(List.of());
    Vigil vigil = Vigil.start(c);
    System.out.println("PORT " + vigil.port());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] f = line.split(" ");
      vigil.notificationLog().record(f[0], f[1], List.of(Long.parseLong(f[2])), List.of(), null);
      System.out.println("LOGGED");
      System.out.flush();
    }
    Thread.sleep(Long.MAX_VALUE); // until SIGKILL
  }
}
