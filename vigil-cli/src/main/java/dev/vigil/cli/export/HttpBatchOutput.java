package dev.vigil.cli.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A line-oriented format sent to an HTTP endpoint in batches: bytes are buffered and, past {@link
 * #BATCH_BYTES}, everything up to the last complete line is POSTed (the rest waits for the next
 * batch), so each request holds whole lines and memory stays bounded. For InfluxDB 1.x's {@code
 * /write}, whose documentation asks for batches of about 5,000 lines: 1 MiB is 10,000-20,000 lines
 * of metric text, well under its default 25 MB body limit.
 */
final class HttpBatchOutput extends OutputStream {
  static final int BATCH_BYTES = 1 << 20;

  private final URI uri;
  private final Map<String, String> headers;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream(BATCH_BYTES + (64 << 10));
  private long requests;

  HttpBatchOutput(URI uri, Map<String, String> headers) {
    this.uri = uri;
    this.headers = Map.copyOf(headers);
  }

  @Override
  public void write(int b) throws IOException {
    pending.write(b);
    maybeSend();
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    pending.write(b, off, len);
    maybeSend();
  }

  private void maybeSend() throws IOException {
    if (pending.size() < BATCH_BYTES) {
      return;
    }
    byte[] all = pending.toByteArray();
    int end = all.length;
    while (end > 0 && all[end - 1] != '\n') {
      end--;
    }
    if (end == 0) {
      return; // one line longer than a batch: sent whole at the next newline
    }
    send(all, end);
    pending.reset();
    pending.write(all, end, all.length - end);
  }

  /** Sends what is buffered (complete lines: the writers end every line). */
  @Override
  public void flush() throws IOException {
    if (pending.size() > 0) {
      send(pending.toByteArray(), pending.size());
      pending.reset();
    }
  }

  /** The number of requests sent. */
  long requests() {
    return requests;
  }

  private void send(byte[] body, int len) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofMinutes(2))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, len));
    headers.forEach(b::header);
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot connect to " + uri.getHost() + ":" + uri.getPort());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending to " + uri.getHost());
    }
    if (r.statusCode() / 100 != 2) {
      String msg = r.body().strip();
      throw new IOException(
          uri.getScheme()
              + "://"
              + uri.getAuthority()
              + uri.getPath()
              + " answered "
              + r.statusCode()
              + ": "
              + (msg.length() > 300 ? msg.substring(0, 300) + "..." : msg));
    }
    requests++;
  }
}
