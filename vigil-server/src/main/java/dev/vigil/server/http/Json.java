package dev.vigil.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * Prometheus' JSON envelope and number formats.
 *
 * <pre>{@code
 * Json.success(ctx, g -> g.writeString("ok"));           // {"status":"success","data":"ok"}
 * Json.formatValue(Double.NaN);                          // "NaN"
 * Json.formatTimestamp(1435781451781L);                  // "1435781451.781"
 * }</pre>
 */
public final class Json {
  /** Shared mapper for plain objects (maps, lists, records). */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private Json() {}

  /** Writes the data part of a response. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** Sends {@code {"status":"success","data":…}} with optional warnings and infos. */
  public static void success(Context ctx, List<String> warnings, List<String> infos, Body data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeFieldName("data");
      data.write(g);
      writeStrings(g, "warnings", warnings);
      writeStrings(g, "infos", infos);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.status(200).contentType("application/json").result(out.toByteArray());
  }

  /** Sends a success response with no warnings. */
  public static void success(Context ctx, Body data) {
    success(ctx, List.of(), List.of(), data);
  }

  /** Sends a success response whose data is a plain object serialized by Jackson. */
  public static void successObject(Context ctx, Object data) {
    success(ctx, g -> MAPPER.writeValue(new NonClosing(g), data));
  }

  /** Sends Prometheus' error envelope with the status of the error type. */
  public static void error(Context ctx, ApiError.Type type, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "error");
      g.writeStringField("errorType", type.wire());
      g.writeStringField("error", message);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.status(type.status()).contentType("application/json").result(out.toByteArray());
  }

  private static void writeStrings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    if (values == null || values.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (String w : values) {
      g.writeString(w);
    }
    g.writeEndArray();
  }

  /**
   * A sample value as Prometheus writes it: Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}
   * (shortest round-trip digits, never an exponent), {@code NaN}, {@code +Inf}, {@code -Inf}.
   */
  public static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** Milliseconds as Prometheus' float seconds: {@code 1435781451.781}, {@code 1435781451}. */
  public static String formatTimestamp(long ms) {
    long sec = Math.floorDiv(ms, 1000);
    int frac = (int) Math.floorMod(ms, 1000);
    if (frac == 0) {
      return Long.toString(sec);
    }
    String f = String.format("%03d", frac);
    int end = f.length();
    while (f.charAt(end - 1) == '0') {
      end--;
    }
    if (sec < 0 && frac != 0) {
      // Go formats the float value; rebuild it from the exact decimal.
      return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
    }
    return sec + "." + f.substring(0, end);
  }

  /** Writes a {@code [ts, "value"]} pair. */
  public static void writeSample(JsonGenerator g, long t, double v) throws IOException {
    g.writeStartArray();
    g.writeNumber(formatTimestamp(t));
    g.writeString(formatValue(v));
    g.writeEndArray();
  }

  /** Lets Jackson write into a generator without closing it. */
  private static final class NonClosing
      extends com.fasterxml.jackson.core.util.JsonGeneratorDelegate {
    NonClosing(JsonGenerator d) {
      super(d, false);
    }

    @Override
    public void close() {}
  }
}
