package dev.vigil.server.remote;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Plain-HTTP/1.1 POSTs to one receiver over kept-alive connections, one per sending shard at a
 * time: what remote write needs and no more (no redirects, no HTTP/2 upgrade, no asynchronous
 * pipeline). The JDK's {@code HttpClient} cost more CPU per request than the encoding and
 * compression of the request together in the agent benchmark (docs/BENCHMARKS.md). Thread-safe.
 */
final class Http1Connections implements AutoCloseable {
  /** A receiver's answer: status, Retry-After (or null), the start of the body. */
  record Response(int status, String retryAfter, String body) {}

  private static final int MAX_BODY_KEPT = 1024;

  private final String host;
  private final int port;
  private final byte[] head; // request line and fixed headers, up to Content-Length's value
  private final int timeoutMillis;
  private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  Http1Connections(URI url, Map<String, String> headers, Duration timeout) {
    if (!"http".equalsIgnoreCase(url.getScheme())) {
      throw new IllegalArgumentException("not an http:// URL: " + url);
    }
    this.host = url.getHost();
    this.port = url.getPort() < 0 ? 80 : url.getPort();
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    StringBuilder h = new StringBuilder();
    h.append("POST ").append(path).append(" HTTP/1.1\r\n");
    h.append("Host: ").append(host.contains(":") ? "[" + host + "]" : host);
    if (url.getPort() >= 0) {
      h.append(':').append(port);
    }
    h.append("\r\n");
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (bad(e.getKey()) || bad(e.getValue())) {
        throw new IllegalArgumentException(
            "header " + e.getKey() + ": line breaks are not allowed");
      }
      h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    h.append("Content-Length: ");
    this.head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static boolean bad(String s) {
    return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
  }

  /**
   * Posts {@code body[0..len)}; a kept-alive connection that the receiver closed meanwhile is
   * replaced once, silently.
   */
  Response post(byte[] body, int len) throws IOException {
    Conn c = idle.pollFirst();
    if (c != null) {
      try {
        return exchange(c, body, len);
      } catch (IOException e) {
        c.close(); // most likely closed by the receiver while idle: once more on a new one
      }
    }
    return exchange(open(), body, len);
  }

  private Conn open() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(new InetSocketAddress(host, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      return new Conn(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private Response exchange(Conn c, byte[] body, int len) throws IOException {
    Response r;
    boolean keep;
    try {
      OutputStream out = c.out;
      out.write(head);
      out.write(Integer.toString(len).getBytes(StandardCharsets.ISO_8859_1));
      out.write(CRLF_CRLF);
      out.write(body, 0, len);
      out.flush();
      InputStream in = c.in;
      int status;
      Headers h;
      do { // skip interim 1xx answers
        status = statusLine(readLine(in));
        h = headers(in);
      } while (status / 100 == 1);
      String kept = readBody(in, h, status);
      keep = h.keepAlive && (h.length >= 0 || h.chunked || status == 204 || status == 304);
      r = new Response(status, h.retryAfter, kept);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
    if (keep && !closed) {
      idle.offerFirst(c);
    } else {
      c.close();
    }
    return r;
  }

  private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};

  private static final class Headers {
    long length = -1;
    boolean chunked;
    boolean keepAlive = true;
    String retryAfter;
  }

  private static int statusLine(String line) throws IOException {
    // HTTP/1.1 204 No Content
    if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
      throw new IOException("not an HTTP/1.x answer: " + abbreviate(line));
    }
    try {
      return Integer.parseInt(line.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP/1.x status: " + abbreviate(line));
    }
  }

  private static Headers headers(InputStream in) throws IOException {
    Headers h = new Headers();
    for (int i = 0; ; i++) {
      String line = readLine(in);
      if (line.isEmpty()) {
        return h;
      }
      if (i > 200) {
        throw new IOException("more than 200 response headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> {
          try {
            h.length = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + abbreviate(value));
          }
        }
        case "transfer-encoding" -> h.chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> {
          if (value.toLowerCase(Locale.ROOT).contains("close")) {
            h.keepAlive = false;
          }
        }
        case "retry-after" -> h.retryAfter = value;
        default -> {}
      }
    }
  }

  /** Reads the whole body (so the connection can be reused); keeps its first 1 KiB as text. */
  private static String readBody(InputStream in, Headers h, int status) throws IOException {
    if (status == 204 || status == 304) {
      return "";
    }
    StringBuilder kept = new StringBuilder();
    if (h.chunked) {
      while (true) {
        String size = readLine(in);
        int semi = size.indexOf(';');
        long n;
        try {
          n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size: " + abbreviate(size));
        }
        if (n == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers
          }
          return kept.toString();
        }
        copy(in, n, kept);
        readLine(in);
      }
    }
    if (h.length >= 0) {
      copy(in, h.length, kept);
    } else {
      copy(in, Long.MAX_VALUE, kept); // until the receiver closes: not kept alive
    }
    return kept.toString();
  }

  private static void copy(InputStream in, long n, StringBuilder kept) throws IOException {
    byte[] b = new byte[(int) Math.min(8192, Math.max(1, n))];
    while (n > 0) {
      int r = in.read(b, 0, (int) Math.min(b.length, n));
      if (r < 0) {
        if (n == Long.MAX_VALUE) {
          return; // a body that ends where the connection does
        }
        throw new IOException("the receiver closed the connection in the middle of its answer");
      }
      if (n != Long.MAX_VALUE) {
        n -= r;
      }
      int keep = Math.min(r, MAX_BODY_KEPT - kept.length());
      if (keep > 0) {
        kept.append(new String(b, 0, keep, StandardCharsets.UTF_8));
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the receiver closed the connection");
      }
      if (c == '\n') {
        int l = sb.length();
        if (l > 0 && sb.charAt(l - 1) == '\r') {
          sb.setLength(l - 1);
        }
        return sb.toString();
      }
      if (sb.length() > 16_384) {
        throw new IOException("response line longer than 16 KiB");
      }
      sb.append((char) c);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }

  @Override
  public void close() {
    closed = true;
    for (Conn c; (c = idle.pollFirst()) != null; ) {
      c.close();
    }
  }

  /** One connection. */
  private static final class Conn {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    Conn(Socket s) throws IOException {
      this.socket = s;
      this.in = new BufferedInputStream(s.getInputStream(), 8192);
      this.out = new java.io.BufferedOutputStream(s.getOutputStream(), 65536);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing: nothing to do
      }
    }
  }
}
