package dev.vigil.server.rules;

import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The real server in a child JVM for {@link RulesRestartTest}: config file {@code args[0]}, storage
 * {@code args[1]}, a loopback port printed as {@code PORT n}; closes cleanly on SIGTERM, not at all
 * on SIGKILL.
 */
public final class RulesChild {
  private RulesChild() {}

  public static void main(String[] args) throws Exception {
    Path cfg = Path.of(args[0]);
    VigilConfig c =
        ConfigLoader.load(cfg, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(Path.of(args[1]))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
    Vigil vigil = Vigil.builder(c).configFile(cfg).start();
    Runtime.getRuntime().addShutdownHook(new Thread(vigil::close));
    System.out.println("PORT " + vigil.port());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
