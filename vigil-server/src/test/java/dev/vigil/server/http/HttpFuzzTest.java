package dev.vigil.server.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the whole HTTP layer of one running Vigil (Jetty, Javalin, the router's auth, Host and
 * Origin checks, every handler and the ingest decoders behind it) with raw HTTP/1.1 requests over a
 * socket. For every input the server answers with a status within {@link #ANSWER_BOUND} (or closes
 * the connection without one, for bytes it cannot parse); no 5xx but 503 and 507; no Java exception
 * class name or stack frame in the body that the request did not itself contain; and {@code
 * /-/healthy} answers 200 afterwards.
 *
 * <p>The server is started once per class on port 0, with no read tokens (reads are open, so the
 * {@code Host} check of an unauthenticated server applies) and one write and one admin token (so
 * the admin API is enabled, and writes are open only to a request that sends a token). Its query
 * timeout is 5 s so that a costly query is answered within the bound.
 *
 * <p>An input is text, so that seeds can be written by hand:
 *
 * <pre>
 * line 1   the method: one from {@link #METHODS}, or any other text mapped onto that list, or
 *          "!" and the bytes to send as they are
 * line 2   the route: one from {@link #ROUTES}, or any other text mapped onto that list
 * line 3   the query string, sent after "?" as it is (nothing when empty)
 * line 4   options, words separated by spaces: auth=write|admin|bad|basic, chunked=N,M,... (the
 *          body sent in chunks of these sizes, then the rest and a last chunk), cl=D (a
 *          Content-Length D bytes off the truth), nohost, nocl
 * then     header lines as they are, up to an empty line (a Host or Content-Length among them
 *          replaces the one this class would send)
 * then     the body
 * </pre>
 *
 * A missing part is empty. {@code scripts/fuzz HttpFuzzTest} fuzzes for the annotated duration;
 * otherwise the saved corpus in {@code HttpFuzzTestInputs/request} runs as a regression test.
 */
class HttpFuzzTest {
  static final String WRITE = "write-token-fuzz-0123456789";
  static final String ADMIN = "admin-token-fuzz-0123456789";
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);
  static final Duration ANSWER_BOUND = Duration.ofSeconds(15);

  static final List<String> METHODS =
      List.of(
          "GET",
          "POST",
          "PUT",
          "HEAD",
          "DELETE",
          "OPTIONS",
          "PATCH",
          "TRACE",
          "CONNECT",
          "get",
          "PROPFIND",
          "BREW",
          "G\tET",
          "POST ",
          "M-SEARCH",
          "X".repeat(300));

  static final List<String> ROUTES =
      List.of(
          "/api/v1/query",
          "/api/v1/query_range",
          "/api/v1/series",
          "/api/v1/labels",
          "/api/v1/label/job/values",
          "/api/v1/label/__name__/values",
          "/api/v1/parse_query",
          "/api/v1/format_query",
          "/api/v1/query_exemplars",
          "/federate",
          "/api/v1/export",
          "/api/v1/export/csv",
          "/api/v1/write",
          "/write",
          "/api/v2/write",
          "/v1/metrics",
          "/api/v1/import",
          "/api/v1/import/csv",
          "/-/reload",
          "/-/healthy",
          "/-/ready",
          "/api/v1/admin/tsdb/snapshot",
          "/api/v1/admin/tsdb/delete_series",
          "/api/v1/admin/tsdb/clean_tombstones",
          "/api/v1/status/config",
          "/api/v1/status/flags",
          "/api/v1/status/runtimeinfo",
          "/api/v1/status/buildinfo",
          "/api/v1/status/tsdb",
          "/api/v1/targets",
          "/api/v1/targets/metadata",
          "/api/v1/metadata",
          "/metrics",
          "/api/metrics",
          "/api/metrics/realtime",
          "/api/metrics/history",
          "/api/metrics/report",
          "/api/dashboards",
          "/api/dashboard/config",
          "/ws",
          "/",
          "/api/v1/nope");

  /** A Java class name ending in Exception or Error, or a stack frame. */
  private static final Pattern JAVA_LEAK =
      Pattern.compile(
          "\\b[A-Z][A-Za-z0-9]*(Exception|Error)\\b|\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\([\\w$]+\\.java:\\d+\\)"
              + "|\\b(java|javax|jakarta|org\\.eclipse|io\\.javalin|com\\.fasterxml)\\.[a-z]+\\.");

  @TempDir static Path dir;
  static Vigil vigil;
  static String hostPort;
  static int port;

  @BeforeAll
  static void start() {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig.Limits l = d.limits();
    ServerConfig.Limits limits =
        new ServerConfig.Limits(
            l.maxBodyBytes(),
            l.maxHeaderBytes(),
            QUERY_TIMEOUT,
            l.queryMaxSamples(),
            l.queryMaxConcurrency(),
            l.maxPoints(),
            l.queryQueueLength());
    vigil =
        Vigil.start(
            VigilConfig.defaults()
                .withServer(
                    new ServerConfig(
                        "127.0.0.1",
                        0,
                        List.of(),
                        List.of(WRITE),
                        List.of(ADMIN),
                        false,
                        d.tls(),
                        limits))
                .withStoragePath(dir.resolve("data"))
                .withCollect(
                    new CollectConfig(Duration.ofSeconds(1), false, false, false, false, "")));
    URI u = URI.create(vigil.url());
    port = u.getPort();
    hostPort = u.getHost() + ":" + port;
  }

  @AfterAll
  static void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  // No JUnit @Timeout here: in fuzzing mode it would bound the whole campaign, not one input.
  @FuzzTest(maxDuration = "5m")
  void request(byte[] input) throws Exception {
    check(input);
  }

  static void check(byte[] input) throws Exception {
    byte[] request = build(input);
    Response r = exchange(request, ANSWER_BOUND);
    String context = "request:\n" + new String(request, ISO_8859_1) + "\nresponse:\n" + r;
    assertThat(r.timedOut).as("an answer within %s\n%s", ANSWER_BOUND, context).isFalse();
    if (r.status >= 0) {
      assertThat(r.status >= 500 && r.status != 503 && r.status != 507)
          .as("no 5xx but 503 and 507\n%s", context)
          .isFalse();
      String body = new String(r.body, UTF_8);
      String sent = new String(request, UTF_8);
      Matcher m = JAVA_LEAK.matcher(body);
      while (m.find()) {
        assertThat(sent)
            .as("no exception class or stack frame in the body: %s\n%s", m.group(), context)
            .contains(m.group());
      }
    }
    Response health =
        exchange(
            ("GET /-/healthy HTTP/1.1\r\nHost: " + hostPort + "\r\nConnection: close\r\n\r\n")
                .getBytes(ISO_8859_1),
            ANSWER_BOUND);
    assertThat(health.status)
        .as("/-/healthy after\n%s\nhealth: %s", context, health)
        .isEqualTo(200);
  }

  /** The raw request for an input, as described in the class comment. */
  static byte[] build(byte[] input) {
    String text = new String(input, ISO_8859_1);
    String[] lines = text.split("\n", 5);
    String methodLine = lines.length > 0 ? lines[0] : "";
    String routeLine = lines.length > 1 ? lines[1] : "";
    String query = lines.length > 2 ? lines[2] : "";
    String options = lines.length > 3 ? lines[3] : "";
    String rest = lines.length > 4 ? lines[4] : "";
    int split = rest.startsWith("\n") ? 0 : rest.indexOf("\n\n");
    String headerBlock = split < 0 ? rest : rest.substring(0, split);
    String bodyText = split < 0 ? "" : rest.substring(split + (split == 0 ? 1 : 2));
    byte[] body = bodyText.getBytes(ISO_8859_1);

    String method =
        methodLine.startsWith("!")
            ? methodLine.substring(1)
            : METHODS.contains(methodLine) ? methodLine : pick(METHODS, methodLine);
    String route = ROUTES.contains(routeLine) ? routeLine : pick(ROUTES, routeLine);

    String auth = null;
    List<Integer> chunks = null;
    Integer clDelta = null;
    boolean host = true;
    boolean cl = true;
    for (String o : options.split(" ")) {
      if (o.startsWith("auth=")) {
        auth =
            switch (o.substring(5)) {
              case "write" -> "Bearer " + WRITE;
              case "admin" -> "Bearer " + ADMIN;
              case "basic" -> "Basic dXNlcjpwYXNz";
              default -> "Bearer " + o.substring(5);
            };
      } else if (o.startsWith("chunked=")) {
        chunks = new ArrayList<>();
        for (String n : o.substring(8).split(",")) {
          chunks.add(parseSmall(n));
        }
      } else if (o.startsWith("cl=")) {
        clDelta = parseSmall(o.substring(3)) * (o.startsWith("cl=-") ? -1 : 1);
      } else if (o.equals("nohost")) {
        host = false;
      } else if (o.equals("nocl")) {
        cl = false;
      }
    }

    String lower = ("\n" + headerBlock).toLowerCase(Locale.ROOT);
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(route);
    if (!query.isEmpty()) {
      head.append('?').append(query);
    }
    head.append(" HTTP/1.1\r\n");
    if (host && !lower.contains("\nhost:")) {
      head.append("Host: ").append(hostPort).append("\r\n");
    }
    if (auth != null) {
      head.append("Authorization: ").append(auth).append("\r\n");
    }
    for (String h : headerBlock.split("\n")) {
      if (!h.isEmpty()) {
        head.append(h).append("\r\n");
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (chunks != null) {
      if (!lower.contains("\ntransfer-encoding:")) {
        head.append("Transfer-Encoding: chunked\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      out.writeBytes(head.toString().getBytes(ISO_8859_1));
      int at = 0;
      for (int n : chunks) {
        int len = Math.min(n, body.length - at);
        out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
        out.write(body, at, len); // a chunk that claims more than the body holds is cut short
        out.writeBytes("\r\n".getBytes(ISO_8859_1));
        at += len;
      }
      if (at < body.length) {
        out.writeBytes((Integer.toHexString(body.length - at) + "\r\n").getBytes(ISO_8859_1));
        out.write(body, at, body.length - at);
        out.writeBytes("\r\n".getBytes(ISO_8859_1));
      }
      out.writeBytes("0\r\n\r\n".getBytes(ISO_8859_1));
      return out.toByteArray();
    }
    boolean wantsBody =
        body.length > 0 || clDelta != null || method.equals("POST") || method.equals("PUT");
    if (cl && wantsBody && !lower.contains("\ncontent-length:")) {
      int n = body.length + (clDelta == null ? 0 : clDelta);
      head.append("Content-Length: ").append(n).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    out.writeBytes(head.toString().getBytes(ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static String pick(List<String> from, String key) {
    return from.get(Math.floorMod(key.hashCode(), from.size()));
  }

  /** A small non-negative number from fuzzed digits (at most 2^20, 0 when none). */
  private static int parseSmall(String s) {
    int n = 0;
    for (int i = 0; i < s.length() && i < 7; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        n = n * 10 + (c - '0');
      }
    }
    return Math.min(n, 1 << 20);
  }

  /** What came back: a status (-1 when the connection closed without one) and the body. */
  record Response(int status, byte[] body, boolean timedOut, String head) {
    @Override
    public String toString() {
      if (timedOut) {
        return "(no answer; got " + head + ")";
      }
      return status < 0
          ? "(closed without a status)"
          : head + new String(body, 0, Math.min(body.length, 2000), UTF_8);
    }
  }

  /**
   * Sends the bytes, half-closes, and reads one final response: the status line, the headers, and
   * the body by Content-Length, chunks or until the end of the stream; a 101 (WebSocket) ends it at
   * the headers. Informational 1xx responses before the final one are skipped.
   */
  static Response exchange(byte[] request, Duration bound) throws IOException {
    long deadline = System.nanoTime() + bound.toNanos();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout((int) bound.toMillis());
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
        s.shutdownOutput();
      } catch (IOException e) {
        // The server may close (and reset) before it has read everything, e.g. after a 400.
      }
      Reader in = new Reader(s.getInputStream(), deadline);
      try {
        String head;
        int status;
        do {
          head = in.head();
          if (head == null) {
            return new Response(-1, new byte[0], false, "");
          }
          status = parseStatus(head);
          if (status < 0) {
            return new Response(-1, new byte[0], false, head);
          }
        } while (status >= 100 && status < 200 && status != 101);
        if (status == 101 || status == 204 || status == 304 || isHead(request)) {
          return new Response(status, new byte[0], false, head);
        }
        String h = head.toLowerCase(Locale.ROOT);
        Matcher len = Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(h);
        byte[] body;
        if (h.contains("\r\ntransfer-encoding: chunked")) {
          body = in.chunked();
        } else if (len.find()) {
          body = in.exactly(Integer.parseInt(len.group(1)));
        } else {
          body = in.toEnd();
        }
        return new Response(status, body, false, head);
      } catch (SocketTimeoutException e) {
        return new Response(-1, new byte[0], true, in.sofar());
      } catch (IOException e) {
        // Reset by the server: an answer without a status only for bytes it could not parse.
        return new Response(-1, new byte[0], false, in.sofar());
      }
    }
  }

  private static boolean isHead(byte[] request) {
    return request.length >= 5 && new String(request, 0, 5, ISO_8859_1).equals("HEAD ");
  }

  private static int parseStatus(String head) {
    if (!head.startsWith("HTTP/1.1 ") && !head.startsWith("HTTP/1.0 ") || head.length() < 12) {
      return -1;
    }
    try {
      return Integer.parseInt(head.substring(9, 12));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A reader of one response with an overall deadline. */
  private static final class Reader {
    private final InputStream in;
    private final long deadline;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    Reader(InputStream in, long deadline) {
      this.in = in;
      this.deadline = deadline;
    }

    private int read() throws IOException {
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException("past the answer bound");
      }
      int b = in.read();
      if (b >= 0 && seen.size() < 4096) {
        seen.write(b);
      }
      return b;
    }

    String sofar() {
      return seen.toString(ISO_8859_1);
    }

    /** The status line and headers up to the empty line, or null at the end of the stream. */
    String head() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int b; (b = read()) >= 0; ) {
        sb.append((char) b);
        if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
          return sb.toString();
        }
        if (sb.length() > 64 << 10) {
          throw new IOException("response head too long");
        }
      }
      return sb.isEmpty() ? null : sb.toString();
    }

    byte[] exactly(int n) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int i = 0; i < n; i++) {
        int c = read();
        if (c < 0) {
          break;
        }
        b.write(c);
      }
      return b.toByteArray();
    }

    byte[] toEnd() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int c; (c = read()) >= 0; ) {
        b.write(c);
      }
      return b.toByteArray();
    }

    byte[] chunked() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        StringBuilder line = new StringBuilder();
        for (int c; (c = read()) >= 0 && c != '\n'; ) {
          line.append((char) c);
        }
        String size = line.toString().trim();
        int semi = size.indexOf(';');
        if (semi >= 0) {
          size = size.substring(0, semi);
        }
        int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
        if (n == 0) {
          return b.toByteArray();
        }
        b.writeBytes(exactly(n));
        read(); // \r
        read(); // \n
      }
    }
  }
}
