package dev.vigil.server.notify;

import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real server with a {@code notify} section in a child JVM for {@link NotifierKillDedupTest}:
 * configuration file {@code args[0]}, storage {@code args[1]}; prints {@code PORT n} and runs until
 * killed.
 */
public final class NotifierKillChild {
  private NotifierKillChild() {}

  public static void main(String[] args) throws Exception {
    Vigil vigil =
        Vigil.start(
            ConfigLoader.load(Path.of(args[0]), Map.of())
                .withListen("127.0.0.1", 0)
                .withStoragePath(Path.of(args[1])));
    System.out.println("PORT " + vigil.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // until SIGKILL
  }
}
