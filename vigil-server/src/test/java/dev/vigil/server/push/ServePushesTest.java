package dev.vigil.server.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server started from a file with a {@code push} section pushes on its own at the interval: the
 * receiver gets the sample, {@code /metrics} counts it, and the effective configuration shows the
 * section with its secrets redacted.
 */
class ServePushesTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;

  private static final String COMMON =
      "collect:\n  system: false\n  jvm: false\n  gpu: false\n  self: false\n";

  @Test
  void aConfiguredOtlpTarget_isPushedAtItsInterval_andCounted() throws Exception {
    try (Vigil receiver =
        Vigil.start(
            ConfigLoader.parse(
                "r.yml",
                "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: "
                    + dir.resolve("dst")
                    + "\n"
                    + COMMON,
                Map.of()))) {
      Path file = dir.resolve("vigil.yml");
      Files.writeString(
          file,
          "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: "
              + dir.resolve("src")
              + "\n"
              + COMMON
              + "push:\n  otlp:\n    - url: "
              + receiver.url()
              + "/v1/metrics\n      name: back\n      interval: 2s\n      timeout: 2s\n"
              + "      match: [pushed_gauge]\n"
              + "      authorization: {credentials: s3cret}\n");
      try (Vigil source =
          Vigil.builder(ConfigLoader.load(file, Map.of()))
              .configFile(file, Map.of())
              .clock(() -> T0 + 10_000)
              .start()) {
        Appender a = source.storage().appender();
        a.append(0, Labels.of("__name__", "pushed_gauge", "job", "j"), T0, 7.25);
        a.commit();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (value(receiver) == null) {
          assertThat(System.nanoTime()).as("the push arrived").isLessThan(deadline);
          Thread.sleep(20); // waiting on the server's own schedule, over HTTP
        }
        assertThat(value(receiver)).isEqualTo(7.25);
        HttpClient http = HttpClient.newHttpClient();
        // A push that timed out on a loaded machine may still have been stored: then the next
        // interval sends it again and counts it.
        String sent = "vigil_push_samples_sent_total{kind=\"otlp\",name=\"back\"} 1\n";
        while (!metrics(http, source).contains(sent)) {
          assertThat(System.nanoTime()).as("the push was counted").isLessThan(deadline);
          Thread.sleep(20);
        }
        String config =
            http.send(
                    HttpRequest.newBuilder(URI.create(source.url() + "/api/v1/status/config"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(config).contains("push:").contains("/v1/metrics").doesNotContain("s3cret");
      }
    }
  }

  private static String metrics(HttpClient http, Vigil v) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(v.url() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Double value(Vigil receiver) {
    try (Querier q = receiver.storage().querier(0, Long.MAX_VALUE)) {
      SeriesSet s =
          q.select(
              SelectHints.range(0, Long.MAX_VALUE),
              List.of(LabelMatcher.equal("__name__", "pushed_gauge")));
      Double v = null;
      while (s.next()) {
        SampleIterator it = s.at().iterator();
        while (it.next()) {
          v = it.value();
        }
      }
      return v;
    }
  }
}
