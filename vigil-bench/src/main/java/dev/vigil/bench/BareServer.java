package dev.vigil.bench;

import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A bare HTTP server answering "hi" on {@code /}, for {@link MemoryBench}'s {@code http} mode:
 * {@code javalin PORT} (Javalin 7 on Jetty 12, platform threads as VigilHttpServer uses them) or
 * {@code jdk PORT} (the JDK's {@code HttpServer} on a virtual-thread executor).
 */
final class BareServer {
  private BareServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
    if (args[0].equals("javalin")) {
      Javalin.create(
              c -> {
                c.concurrency.useVirtualThreads = false; // as VigilHttpServer
                c.startup.showJavalinBanner = false;
                c.routes.get("/", ctx -> ctx.result("hi"));
                c.jetty.host = "127.0.0.1";
                c.jetty.port = port;
              })
          .start();
    } else {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      s.createContext(
          "/",
          ex -> {
            ex.sendResponseHeaders(200, hi.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(hi);
            }
          });
      s.start();
    }
  }
}
