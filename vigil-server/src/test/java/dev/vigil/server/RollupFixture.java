package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A running Vigil (HTTP on port 0, no collection) whose store holds 44 h of samples every 30 s from
 * {@code base} (on an hour), already cut into raw blocks with 5 m and 1 h rollups, and whose clock
 * stands 48 h 45 m after {@code base}: what a test reads depends on {@code base} alone, never on
 * the time of day it runs at.
 *
 * <p>Series: {@code saw} (0..9 per 5 m), {@code ticks_total} (+1 per sample) and {@code
 * resetting_total} (+1 per sample, back to 0 every 7 h 10 m, so resets fall inside blocks).
 */
final class RollupFixture implements AutoCloseable {
  static final long HOUR = 3_600_000L;
  static final long SCRAPE = 30_000L;

  final Vigil vigil;
  final long base;
  private final HttpClient client = HttpClient.newHttpClient();

  RollupFixture(Path dir, long base) {
    this.base = base;
    long now = base + 48 * HOUR + 45 * 60_000L;
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    vigil =
        Vigil.builder(
                VigilConfig.defaults()
                    .withServer(sc)
                    .withStoragePath(dir)
                    .withCollect(
                        new CollectConfig(
                            Duration.ofSeconds(1), false, false, false, false, "app_")))
            .clock(() -> now)
            .start();
    Appender app = vigil.storage().appender();
    long gRef = 0;
    long cRef = 0;
    long rRef = 0;
    for (int i = 0; i < 44 * 120; i++) {
      long t = base + i * SCRAPE;
      gRef = app.append(gRef, Labels.of("__name__", "saw"), t, i % 10);
      cRef = app.append(cRef, Labels.of("__name__", "ticks_total"), t, i);
      rRef = app.append(rRef, Labels.of("__name__", "resetting_total"), t, i % 860);
      if (i % 1000 == 999) {
        app.commit();
      }
    }
    app.commit();
    vigil.storage().maintain();
    assertThat(vigil.storage().blocks().stream().map(b -> b.meta().resolution()))
        .contains(0L, 300_000L, 3_600_000L);
  }

  /** {@code /api/v1/query_range} from base + 12 h to base + 36 h. */
  HttpResponse<String> range(String q, long step, String res) throws Exception {
    String url =
        vigil.url()
            + "/api/v1/query_range?query="
            + URLEncoder.encode(q, StandardCharsets.UTF_8)
            + "&start="
            + (base + 12 * HOUR) / 1000
            + "&end="
            + (base + 36 * HOUR) / 1000
            + "&step="
            + step / 1000
            + (res == null ? "" : "&max_source_resolution=" + res);
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The 25 hourly values of the single series a range query returns. */
  List<Double> values(String q, String res) throws Exception {
    HttpResponse<String> r = range(q, HOUR, res);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode result = Json.MAPPER.readTree(r.body()).get("data").get("result");
    assertThat(result).as(r.body()).hasSize(1);
    List<Double> out = new ArrayList<>();
    for (JsonNode p : result.get(0).get("values")) {
      out.add(Double.parseDouble(p.get(1).asText()));
    }
    assertThat(out).hasSize(25);
    return out;
  }

  /** {@code /api/v1/query} at {@code t} (ms); the first result's value. */
  String instant(String q, long t, String params) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        vigil.url()
                            + "/api/v1/query?query="
                            + URLEncoder.encode(q, StandardCharsets.UTF_8)
                            + "&time="
                            + t / 1000
                            + params))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body()).at("/data/result/0/value/1").asText();
  }

  HttpClient client() {
    return client;
  }

  @Override
  public void close() {
    vigil.close();
  }
}
