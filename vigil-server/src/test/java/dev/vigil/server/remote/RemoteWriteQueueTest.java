package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write out through the running server: samples committed to the store are read from its WAL
 * and reach a receiver by value, with external labels and write_relabel_configs applied; 5xx and
 * 429 are retried, other 4xx dropped and counted; a restart while the receiver refuses loses
 * nothing.
 */
class RemoteWriteQueueTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;

  private final TestReceiver receiver = newReceiver();

  private static TestReceiver newReceiver() {
    try {
      return new TestReceiver();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private Vigil start(String extra) throws Exception {
    Path file = dir.resolve("vigil.yml");
    String data = dir.resolve("data").toString().replace("\\", "/");
    Files.writeString(
        file,
        "global:\n  external_labels:\n    site: lab\n"
            + "storage:\n  path: \""
            + data
            + "\"\n"
            + "collect:\n  self: false\n  system: false\n  jvm: false\n  gpu: false\n"
            + "remote_write:\n  - url: "
            + receiver.url()
            + "\n    name: test\n    queue_config:\n      batch_send_deadline: 10ms\n"
            + "      min_backoff: 5ms\n      max_backoff: 20ms\n"
            + extra);
    return Vigil.builder(ConfigLoader.load(file, Map.of()))
        .http(false)
        .configFile(file, Map.of())
        .start();
  }

  private static void write(Vigil v, String name, int from, int to) {
    Appender a = v.storage().appender();
    for (int i = from; i < to; i++) {
      a.append(0, Labels.of("__name__", name, "job", "j"), T0 + i * 1000L, i + 0.5);
    }
    a.commit();
  }

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(10); // polling another thread's progress over HTTP
    }
  }

  private Map<Long, Double> received(String name) {
    return receiver.samples.getOrDefault(
        Labels.of("__name__", name, "job", "j", "site", "lab"),
        new java.util.concurrent.ConcurrentSkipListMap<>());
  }

  @Test
  void committedSamples_reachTheReceiver_byValue_withExternalLabels() throws Exception {
    try (Vigil v = start("")) {
      for (int i = 0; i < 50; i++) {
        write(v, "rw_a", i * 10, i * 10 + 10);
      }
      await("500 samples arrived", () -> received("rw_a").size() == 500);
      for (int i = 0; i < 500; i++) {
        assertThat(received("rw_a").get(T0 + i * 1000L)).isEqualTo(i + 0.5);
      }
      var s = v.remoteWriteStatus().get(0);
      assertThat(s.name()).isEqualTo("test");
      await("sent counted", () -> v.remoteWriteStatus().get(0).samplesSent() == 500);
      assertThat(v.remoteWriteStatus().get(0).highestSentSeconds())
          .isEqualTo((T0 + 499_000) / 1000.0);
      assertThat(receiver.headers.get(0))
          .containsEntry("content-encoding", "snappy")
          .containsEntry("x-prometheus-remote-write-version", "0.1.0");
    }
  }

  @Test
  void writeRelabelConfigs_dropSeries_andTheDropIsCounted() throws Exception {
    try (Vigil v =
        start(
            "    write_relabel_configs:\n      - source_labels: [__name__]\n"
                + "        regex: rw_secret\n        action: drop\n")) {
      write(v, "rw_secret", 0, 20);
      write(v, "rw_public", 0, 20);
      await("public samples arrived", () -> received("rw_public").size() == 20);
      await("dropped counted", () -> v.remoteWriteStatus().get(0).samplesDropped() == 20);
      assertThat(receiver.samples.keySet()).noneMatch(l -> "rw_secret".equals(l.get("__name__")));
    }
  }

  @Test
  void receiverAnswering503_isRetriedUntilItTakesEverySample() throws Exception {
    for (int i = 0; i < 5; i++) {
      receiver.statuses.add(503);
    }
    try (Vigil v = start("")) {
      write(v, "rw_retry", 0, 100);
      await("100 samples arrived", () -> received("rw_retry").size() == 100);
      assertThat(v.remoteWriteStatus().get(0).samplesRetried()).isGreaterThanOrEqualTo(5);
      assertThat(v.remoteWriteStatus().get(0).samplesFailed()).isZero();
      assertThat(v.remoteWriteStatus().get(0).lastError()).contains("HTTP 503");
    }
  }

  @Test
  void receiverAnswering400_dropsTheRequest_countsItFailed_andGoesOn() throws Exception {
    receiver.statuses.add(400);
    try (Vigil v = start("")) {
      write(v, "rw_bad", 0, 10);
      await("failed counted", () -> v.remoteWriteStatus().get(0).samplesFailed() == 10);
      write(v, "rw_good", 0, 10);
      await("later samples arrived", () -> received("rw_good").size() == 10);
      assertThat(received("rw_bad")).isEmpty();
      assertThat(v.remoteWriteStatus().get(0).lastError()).contains("HTTP 400");
    }
  }

  @Test
  void http429_isDropped_whenRetryOnHttp429IsOff() throws Exception {
    receiver.statuses.add(429);
    try (Vigil v = start("      retry_on_http_429: false\n")) {
      write(v, "rw_429", 0, 10);
      await("failed counted", () -> v.remoteWriteStatus().get(0).samplesFailed() == 10);
      assertThat(v.remoteWriteStatus().get(0).samplesRetried()).isZero();
    }
  }

  @Test
  void restartWhileTheReceiverRefuses_losesNothing() throws Exception {
    for (int i = 0; i < 1_000_000; i++) {
      receiver.statuses.add(503);
    }
    try (Vigil v = start("")) {
      write(v, "rw_restart", 0, 100);
      await("retrying", () -> v.remoteWriteStatus().get(0).samplesRetried() > 0);
    }
    try (Vigil v = start("")) {
      write(v, "rw_restart", 100, 200);
      receiver.statuses.clear();
      await("200 samples arrived", () -> received("rw_restart").size() == 200);
      for (int i = 0; i < 200; i++) {
        assertThat(received("rw_restart").get(T0 + i * 1000L)).isEqualTo(i + 0.5);
      }
    }
  }

  @Test
  void remoteWrite2_isDecodedByVigilsOwnReceiver_byValue() throws Exception {
    Path rdir = dir.resolve("receiver");
    Files.createDirectories(rdir);
    Path rfile = rdir.resolve("vigil.yml");
    Files.writeString(
        rfile,
        "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: \""
            + rdir.resolve("data").toString().replace("\\", "/")
            + "\"\ncollect:\n  self: false\n  system: false\n  jvm: false\n  gpu: false\n");
    try (Vigil receiving = Vigil.builder(ConfigLoader.load(rfile, Map.of())).start()) {
      Path file = dir.resolve("sender.yml");
      Files.writeString(
          file,
          "storage:\n  path: \""
              + dir.resolve("sender").toString().replace("\\", "/")
              + "\"\ncollect:\n  self: false\n  system: false\n  jvm: false\n  gpu: false\n"
              + "remote_write:\n  - url: "
              + receiving.url()
              + "/api/v1/write\n    protobuf_message: io.prometheus.write.v2.Request\n"
              + "    queue_config: {batch_send_deadline: 10ms}\n");
      try (Vigil v = Vigil.builder(ConfigLoader.load(file, Map.of())).http(false).start()) {
        write(v, "rw_v2", 0, 30);
        java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
        String q =
            receiving.url() + "/api/v1/query?query=rw_v2%5B1h%5D&time=" + (T0 + 29_000) / 1000.0;
        await(
            "30 samples stored by the receiving Vigil",
            () -> {
              try {
                String body =
                    c.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(q)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
                return dev.vigil.server.http.Json.MAPPER
                        .readTree(body)
                        .path("data")
                        .path("result")
                        .path(0)
                        .path("values")
                        .size()
                    == 30;
              } catch (Exception e) {
                return false;
              }
            });
        String body =
            c.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(q)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        var values =
            dev.vigil.server.http.Json.MAPPER
                .readTree(body)
                .path("data")
                .path("result")
                .path(0)
                .path("values");
        for (int i = 0; i < 30; i++) {
          assertThat(values.get(i).get(1).asDouble()).isEqualTo(i + 0.5);
        }
      }
    }
  }

  @Test
  void sendExemplars_sendsTheExemplarsLoggedInTheWal() throws Exception {
    try (Vigil v = start("    send_exemplars: true\n")) {
      Appender a = v.storage().appender();
      Labels l = Labels.of("__name__", "rw_ex_total", "job", "j");
      a.append(0, l, T0, 1);
      a.appendExemplar(0, l, new dev.vigil.model.Exemplar(Labels.of("trace_id", "abc"), 1, T0));
      a.commit();
      // Sample and exemplar may travel in different requests: wait for both.
      await(
          "the exemplar and the sample arrived",
          () ->
              receiver.exemplars.contains("trace_id=abc=1.0@" + T0)
                  && received("rw_ex_total").containsKey(T0));
      assertThat(received("rw_ex_total")).containsEntry(T0, 1.0);
    }
  }

  @Test
  void reload_startsANewQueue_stopsARemovedOne_andForgetsItsPosition() throws Exception {
    try (Vigil v = start("")) {
      write(v, "rw_reload", 0, 5);
      await("first queue sent", () -> received("rw_reload").size() == 5);
      Path positions = dir.resolve("data").resolve("wal_readers");
      assertThat(positions.resolve("test")).exists();
      Path file = dir.resolve("vigil.yml");
      Files.writeString(file, Files.readString(file).replace("name: test", "name: renamed"));
      assertThat(v.reload()).isNull();
      assertThat(v.remoteWriteStatus()).extracting(s -> s.name()).containsExactly("renamed");
      assertThat(positions.resolve("test")).doesNotExist();
      write(v, "rw_reload", 5, 10);
      await(
          "the new queue sends what is written after the reload",
          () -> received("rw_reload").size() == 10);
      Files.writeString(
          file, Files.readString(file).replace("remote_write:", "remote_write_gone:"));
      assertThat(v.reload()).contains("remote_write_gone");
      assertThat(v.remoteWriteStatus()).hasSize(1);
    }
  }
}
