package dev.vigil.server.durability;

import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.VigilConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The real server in a child JVM for {@link ServerKillTest}: storage in {@code args[0]}, a loopback
 * port chosen by the OS and printed as {@code PORT n}, then it serves until it is killed.
 */
public final class ServerKillChild {
  private ServerKillChild() {}

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
    new CountDownLatch(1).await(); // until SIGKILL
  }
}
