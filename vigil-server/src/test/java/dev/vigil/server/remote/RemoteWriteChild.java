package dev.vigil.server.remote;

import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The real server in a child JVM for {@link RealReceiversTest}: the configuration file in {@code
 * args[0]} (storage, listen on a loopback port chosen by the OS, remote_write), prints {@code PORT
 * n}, then serves until it is killed.
 */
public final class RemoteWriteChild {
  private RemoteWriteChild() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Vigil vigil =
        Vigil.builder(ConfigLoader.load(file, Map.of())).configFile(file, Map.of()).start();
    System.out.println("PORT " + vigil.port());
    System.out.flush();
    new CountDownLatch(1).await(); // until SIGKILL
  }
}
