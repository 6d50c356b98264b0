package dev.vigil.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.export.ExportFormat;
import dev.vigil.export.ExportWriters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signatures themselves, checked by a server: s3rver 3.7.1 (S3DestinationTest) checks only the
 * access key; its maintained fork {@code @20minutes/s3rver} 5.0.0 recomputes every SigV4 signature
 * (canonical request, string to sign, derived key). It ships no command-line entry, so a two-line
 * script starts it. A single PUT and a multipart upload to a key that needs encoding (a space, a
 * plus) are accepted and read back whole; a wrong secret is refused with SignatureDoesNotMatch.
 */
class S3SignatureCheckTest {
  private static final String BUCKET = "signed";
  private static final String RUN_JS =
      """
      const S3rver = require('@20minutes/s3rver');
      new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[2],
          configureBuckets: [{ name: process.argv[3], configs: [] }] })
        .run().then(({ address, port }) => console.log('S3rver listening on %s:%d', address, port))
        .catch(e => { console.error(e); process.exit(1); });
      """;

  @TempDir static Path dir;
  private static S3Server server;
  private static Path store;

  @BeforeAll
  static void start() throws Exception {
    Path data = Files.createDirectories(dir.resolve("s3"));
    server =
        S3Server.start(
            "s3rver-signed",
            "@20minutes/s3rver@5.0.0",
            "node_modules/@20minutes/s3rver/lib/s3rver.js",
            home -> {
              try {
                Files.writeString(home.resolve("run.js"), RUN_JS);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              return List.of("node", "run.js", data.toString(), BUCKET);
            });
    store = S3DestinationTest.seed(dir.resolve("data"));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  private static Map<String, String> env(String secret, String partBytes) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", "S3RVER");
    env.put("AWS_SECRET_ACCESS_KEY", secret);
    env.put("AWS_REGION", "eu-west-1");
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.port());
    if (partBytes != null) {
      env.put(ExportRun.PART_BYTES_ENV, partBytes);
    }
    return env;
  }

  private static void export(String output, Map<String, String> env) throws Exception {
    ExportRequest req =
        new ExportRequest(
            List.of("http_requests_total"),
            null,
            S3DestinationTest.T0,
            S3DestinationTest.T0 + S3DestinationTest.N * 1000L,
            0,
            ExportFormat.CSV,
            ExportWriters.Layout.LONG,
            output,
            null,
            null,
            store);
    ExportRun.run(
        req,
        new ByteArrayOutputStream(),
        new PrintStream(new ByteArrayOutputStream()),
        c -> {},
        env);
  }

  private static byte[] get(String rawKey) throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + server.port() + "/" + BUCKET + "/" + rawKey))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void singlePutAndMultipart_toAnEncodedKey_passTheServersSignatureCheck() throws Exception {
    Path f = dir.resolve("x.csv");
    export(f.toString(), Map.of());
    byte[] expected = Files.readAllBytes(f);
    export("s3://" + BUCKET + "/a b/one+1.csv", env("S3RVER", null));
    assertThat(get("a%20b/one%2B1.csv")).isEqualTo(expected);
    export("s3://" + BUCKET + "/a b/many+1.csv", env("S3RVER", Integer.toString(256 << 10)));
    assertThat(get("a%20b/many%2B1.csv")).isEqualTo(expected);
  }

  @Test
  void wrongSecret_isRefusedWithSignatureDoesNotMatch() {
    assertThatThrownBy(() -> export("s3://" + BUCKET + "/x.csv", env("WRONG", null)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("403 SignatureDoesNotMatch")
        .hasMessageNotContaining("\n");
  }
}
