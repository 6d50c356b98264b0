package dev.vigil.notify.builtin;

import com.sun.net.httpserver.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built-in notifier alone in a JVM, for {@link NotifierLoadBenchmark}'s memory figures: starts
 * it on the config file given as the only argument, serves its API v2 on a free loopback port,
 * prints {@code port=N} and runs until its standard input closes.
 */
final class NotifierLoadChild {
  private NotifierLoadChild() {}

  public static void main(String[] args) throws Exception {
    String cfg = Files.readString(Path.of(args[0]));
    try (BuiltinNotifier n = BuiltinNotifier.start(NotifyConfig.parse(args[0], cfg), "http://x")) {
      HttpServer api = TwoNotifiersTest.serveApi(n);
      System.out.println("port=" + api.getAddress().getPort());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the parent closes our stdin
      }
      api.stop(0);
    }
  }
}
