package dev.vigil.cli.export;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An S3 object written as a stream: bytes fill one part buffer; an object that fits in it is sent
 * by one {@code PUT} at {@link #complete()}, a larger one as a multipart upload (created when the
 * buffer first fills, each full buffer an {@code UploadPart}, the rest and {@code
 * CompleteMultipartUpload} at {@link #complete()}). Memory is one part, whatever the size. {@link
 * #abort()} (or {@link #close()} without {@code complete()}) aborts a started multipart upload, so
 * no parts are left billed in the bucket.
 *
 * <p>Not thread-safe: one writer.
 */
/*
 * Each request's payload is hashed and signed (x-amz-content-sha256 is the part's SHA-256, not
 * UNSIGNED-PAYLOAD): the part is in memory anyway, and the server then checks the bytes arrived
 * whole. S3 wants parts of at least 5 MiB but the last; 8 MiB (as the AWS CLI's default chunk
 * size) gives 10,000 parts (S3's maximum) = 78 GiB per object.
 */
final class S3Upload extends OutputStream {
  /** The part size: the AWS CLI's default multipart chunk size. */
  static final int PART_BYTES = 8 << 20;

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern ETAG = Pattern.compile("(?i)^\"?([^\"]*)\"?$");

  private final S3Target target;
  private final SigV4.Credentials credentials;
  private final Clock clock;
  private final HttpClient http;
  private final byte[] buf;
  private int len;
  private String uploadId;
  private final List<String> etags = new ArrayList<>();
  private boolean done;
  private boolean failed;

  S3Upload(S3Target target, SigV4.Credentials credentials, int partBytes, Clock clock) {
    this.target = target;
    this.credentials = credentials;
    this.clock = clock;
    this.buf = new byte[partBytes];
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
  }

  @Override
  public void write(int b) throws IOException {
    checkNotFailed();
    if (len == buf.length) {
      sendPart();
    }
    buf[len++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int n) throws IOException {
    checkNotFailed();
    while (n > 0) {
      if (len == buf.length) {
        sendPart();
      }
      int k = Math.min(n, buf.length - len);
      System.arraycopy(b, off, buf, len, k);
      len += k;
      off += k;
      n -= k;
    }
  }

  /** The number of parts sent so far (0 for a single PUT). */
  int parts() {
    return etags.size();
  }

  /** After a failed request nothing more is sent (the writer's close would resend the part). */
  private void checkNotFailed() throws IOException {
    if (failed) {
      throw new IOException(target + ": the upload failed already");
    }
  }

  /** Sends what is left and makes the object visible; idempotent. */
  void complete() throws IOException {
    if (done) {
      return;
    }
    checkNotFailed();
    if (uploadId == null) {
      request("PUT", "", buf, len, "upload");
    } else {
      if (len > 0) {
        sendPart();
      }
      StringBuilder xml = new StringBuilder("<CompleteMultipartUpload>");
      for (int i = 0; i < etags.size(); i++) {
        xml.append("<Part><PartNumber>")
            .append(i + 1)
            .append("</PartNumber><ETag>\"")
            .append(etags.get(i))
            .append("\"</ETag></Part>");
      }
      xml.append("</CompleteMultipartUpload>");
      byte[] body = xml.toString().getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> r =
          request("POST", "uploadId=" + enc(uploadId), body, body.length, "complete upload");
      // S3 may answer 200 with an <Error> body when completing fails late.
      if (r.body().contains("<Error>")) {
        throw failure("complete upload", 200, r.body());
      }
    }
    done = true;
  }

  /** Aborts a started multipart upload (best effort: the export's own error is what matters). */
  void abort() {
    if (done || uploadId == null) {
      done = true;
      return;
    }
    done = true;
    try {
      request("DELETE", "uploadId=" + enc(uploadId), new byte[0], 0, "abort upload");
    } catch (IOException | RuntimeException e) {
      // Reported by the caller's error; a lifecycle rule on the bucket cleans what is left.
    }
  }

  /** Aborts unless {@link #complete()} succeeded. */
  @Override
  public void close() {
    abort();
  }

  private void sendPart() throws IOException {
    if (uploadId == null) {
      HttpResponse<String> r = request("POST", "uploads=", new byte[0], 0, "create upload");
      Matcher m = Pattern.compile("<UploadId>([^<]+)</UploadId>").matcher(r.body());
      if (!m.find()) {
        throw new IOException(target + ": create upload answered without an UploadId");
      }
      uploadId = m.group(1);
    }
    int number = etags.size() + 1;
    HttpResponse<String> r =
        request(
            "PUT",
            "partNumber=" + number + "&uploadId=" + enc(uploadId),
            buf,
            len,
            "upload part " + number);
    String etag = r.headers().firstValue("ETag").orElse(null);
    if (etag == null) {
      throw new IOException(target + ": upload part " + number + " answered without an ETag");
    }
    Matcher m = ETAG.matcher(etag.strip());
    etags.add(m.matches() ? m.group(1) : etag);
    len = 0;
  }

  /**
   * One signed request; its query must be canonical already (names sorted, values encoded).
   *
   * @throws IOException one line: what failed, the status, S3's error code and message
   */
  private HttpResponse<String> request(String method, String query, byte[] body, int n, String what)
      throws IOException {
    String payloadHash = SigV4.sha256Hex(body, 0, n);
    String amzDate = AMZ_DATE.format(clock.instant());
    Map<String, String> signed = new LinkedHashMap<>();
    signed.put("host", target.hostHeader());
    signed.put("x-amz-content-sha256", payloadHash);
    signed.put("x-amz-date", amzDate);
    if (credentials.sessionToken() != null) {
      signed.put("x-amz-security-token", credentials.sessionToken());
    }
    String auth =
        SigV4.authorization(
            credentials,
            target.region(),
            "s3",
            method,
            target.canonicalPath(),
            query,
            signed,
            payloadHash,
            amzDate);
    URI uri = target.uri(query);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofMinutes(5))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body, 0, n))
            .header("Authorization", auth);
    signed.forEach(
        (k, v) -> {
          if (!k.equals("host")) {
            b.header(k, v);
          }
        });
    HttpResponse<String> r;
    failed = true; // until the answer is a success
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException(target + ": cannot connect to " + uri.getAuthority());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(target + ": interrupted during " + what);
    } catch (IOException e) {
      throw new IOException(
          target + ": " + what + " to " + uri.getAuthority() + " failed: " + e, e);
    }
    if (r.statusCode() / 100 != 2) {
      throw failure(what, r.statusCode(), r.body());
    }
    failed = false;
    return r;
  }

  private IOException failure(String what, int status, String body) {
    String code = tag(body, "Code");
    String message = tag(body, "Message");
    String detail;
    if (code == null && message == null) {
      String s = body == null ? "" : body.strip().replaceAll("\\s+", " ");
      detail = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    } else {
      detail = (code == null ? "" : code + ": ") + (message == null ? "" : message);
    }
    String hint =
        switch (code == null ? "" : code) {
          case "NoSuchBucket" -> " (create the bucket first)";
          case "InvalidAccessKeyId", "SignatureDoesNotMatch" ->
              " (check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)";
          default -> "";
        };
    return new IOException(
        target
            + ": "
            + what
            + " answered "
            + status
            + (detail.isEmpty() ? "" : " " + detail)
            + hint);
  }

  private static String tag(String xml, String name) {
    if (xml == null) {
      return null;
    }
    Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
    return m.find() ? m.group(1).strip() : null;
  }

  private static String enc(String s) {
    return SigV4.uriEncode(s, false);
  }
}
