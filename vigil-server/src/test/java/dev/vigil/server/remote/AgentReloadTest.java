package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.agent.VigilAgent;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.LogLevel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload of an agent: the start's flags ({@code VIGIL_…} overrides) still apply to the re-read
 * file, {@code log.level} is applied, and what needs a restart ({@code collect}) is kept and named
 * in the reload's answer instead of silently running as before.
 */
class AgentReloadTest {
  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  private Path write(String receiverUrl, String collectInterval, String level) throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(
        file,
        "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: from-the-file\n"
            + "log:\n  level: "
            + level
            + "\ncollect:\n  interval: "
            + collectInterval
            + "\n  self: false\n  system: false\n  jvm: false\n  gpu: false\n"
            + "remote_write:\n  - url: "
            + receiverUrl
            + "\n    name: central\n");
    return file;
  }

  private HttpResponse<String> reload(VigilAgent a) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(a.url() + "/-/reload"))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void reload_keepsTheStartsOverrides_appliesTheLogLevel_andNamesWhatNeedsARestart()
      throws Exception {
    // --storage.path travels as this override, as `vigil agent` passes it.
    Map<String, String> env =
        Map.of("VIGIL_STORAGE_PATH", dir.resolve("agent").toString().replace("\\", "/"));
    List<LogLevel> levels = new CopyOnWriteArrayList<>();
    try (TestReceiver receiver = new TestReceiver()) {
      Path file = write(receiver.url(), "5s", "info");
      try (VigilAgent agent =
          VigilAgent.start(ConfigLoader.load(file, env), file, env, levels::add)) {
        assertThat(levels).containsExactly(LogLevel.INFO);

        // Only the level changed: applied, nothing kept.
        write(receiver.url(), "5s", "debug");
        HttpResponse<String> r = reload(agent);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(levels).containsExactly(LogLevel.INFO, LogLevel.DEBUG);
        assertThat(agent.config().storage().path()).isEqualTo(dir.resolve("agent"));

        // collect needs a restart: kept, and the answer says so.
        write(receiver.url(), "9s", "debug");
        r = reload(agent);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("collect").contains("restart");
        assertThat(agent.config().collect().interval()).isEqualTo(Duration.ofSeconds(5));
      }
    }
  }
}
