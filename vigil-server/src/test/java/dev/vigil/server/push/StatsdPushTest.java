package dev.vigil.server.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.PushConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DogStatsD out: every series a gauge line with its labels and the external labels as tags. */
class StatsdPushTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;

  @Test
  void series_arriveAsDogStatsdGauges_withTags() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Vigil source =
            Vigil.builder(
                    ConfigLoader.parse(
                        "s.yml",
                        "storage:\n  path: "
                            + dir.resolve("src")
                            + "\ncollect:\n  system: false\n  jvm: false\n  gpu: false\n"
                            + "  self: false\n",
                        Map.of()))
                .http(false)
                .start()) {
      socket.setSoTimeout(60_000);
      Appender a = source.storage().appender();
      a.append(0, Labels.of("__name__", "queue_depth", "job", "j", "q", "a:b"), T0, 12);
      a.append(0, Labels.of("__name__", "ratio"), T0, 0.25);
      a.commit();
      String yaml = "push:\n  statsd:\n    - url: udp://127.0.0.1:" + socket.getLocalPort() + "\n";
      try (PushManager p =
          new PushManager(
              PushConfig.bind(ConfigLoader.parse("p.yml", yaml, Map.of()).push(), null),
              source::storage,
              () -> Map.of("site", "lab"),
              () -> T0 + 10_000)) {
        p.pushAll();
      }
      DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
      socket.receive(packet);
      String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
      assertThat(text.lines())
          .containsExactlyInAnyOrder(
              "queue_depth:12|g|#job:j,q:a_b,site:lab", "ratio:0.25|g|#site:lab");
    }
  }
}
