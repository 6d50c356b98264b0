package dev.vigil.metrics.exposition;

import dev.vigil.metrics.MetricNames;
import dev.vigil.metrics.model.MetricFamily;
import dev.vigil.metrics.model.MetricType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the two text exposition formats into {@link MetricFamily} lists, checking them the way a
 * conforming reader must.
 *
 * <pre>{@code
 * List<MetricFamily> families = ExpositionParser.openMetrics().parse(text);
 * ExpositionParser p = ExpositionParser.forContentType(response.contentType());
 * }</pre>
 *
 * <p>OpenMetrics 1.0 ({@link #openMetrics()}) is checked strictly: the {@code # EOF} line, no blank
 * lines, metadata before samples and never repeated, samples of a family together and of a group
 * together, suffixes and values each type allows, histogram bucket order and counts, summary
 * quantiles, exemplars only on counters and buckets (at most 128 characters of labels), timestamps
 * in seconds that never go back within a series. Prometheus text 0.0.4 ({@link #prometheus()}) is
 * read the way Prometheus reads it: comments and blank lines allowed, timestamps in milliseconds,
 * no exemplars, no {@code # EOF} needed.
 *
 * <p>Every error is an {@link ExpositionParseException} whose message starts with {@code line N:}.
 * Instances are immutable and thread safe.
 */
public final class ExpositionParser {
  /** Largest exposition read from a stream by default (64 MiB). */
  public static final int DEFAULT_MAX_BYTES = 64 << 20;

  private final boolean strict;
  private final int maxBytes;

  private ExpositionParser(boolean strict, int maxBytes) {
    this.strict = strict;
    this.maxBytes = maxBytes;
  }

  /** A strict OpenMetrics 1.0 text parser. */
  public static ExpositionParser openMetrics() {
    return new ExpositionParser(true, DEFAULT_MAX_BYTES);
  }

  /** A Prometheus text 0.0.4 parser. */
  public static ExpositionParser prometheus() {
    return new ExpositionParser(false, DEFAULT_MAX_BYTES);
  }

  /**
   * The parser for a response's Content-Type: OpenMetrics for {@code application/openmetrics-text},
   * Prometheus text otherwise (also when null).
   */
  public static ExpositionParser forContentType(String contentType) {
    if (contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("application/openmetrics-text")) {
      return openMetrics();
    }
    return prometheus();
  }

  /** A copy reading at most {@code maxBytes} from a stream. */
  public ExpositionParser withMaxBytes(int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    return new ExpositionParser(strict, maxBytes);
  }

  /** True for the OpenMetrics parser. */
  public boolean isOpenMetrics() {
    return strict;
  }

  /**
   * Reads the whole stream (UTF-8) and parses it.
   *
   * @throws ExpositionParseException when the text is invalid, not UTF-8, or longer than the limit
   */
  public List<MetricFamily> parse(InputStream in) throws IOException, ExpositionParseException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(chunk)) > 0) {
      total += n;
      if (total > maxBytes) {
        throw new ExpositionParseException(
            0, 0, "exposition is larger than the limit of " + maxBytes + " bytes");
      }
      buf.write(chunk, 0, n);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(buf.toByteArray()))
              .toString();
    } catch (CharacterCodingException e) {
      throw new ExpositionParseException(0, 0, "exposition is not valid UTF-8");
    }
    return parse(text);
  }

  /** Parses a whole exposition. */
  public List<MetricFamily> parse(String text) throws ExpositionParseException {
    ParseRun run = strict ? new OpenMetricsRun() : new PrometheusRun();
    int lineNo = 0;
    int start = 0;
    boolean eof = false;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      boolean lastLine = end < 0;
      if (lastLine) {
        end = text.length();
      }
      String line = text.substring(start, end);
      lineNo++;
      if (eof) {
        throw new ExpositionParseException(lineNo, 1, "text after '# EOF'");
      }
      if (strict && line.equals("# EOF")) {
        eof = true;
      } else {
        run.line(line, lineNo);
      }
      start = end + 1;
    }
    if (strict && !eof) {
      throw new ExpositionParseException(
          Math.max(1, lineNo), 0, "missing '# EOF' at the end of an OpenMetrics exposition");
    }
    return run.finish(lineNo);
  }

  /** One parse of one text, line by line. */
  abstract static class ParseRun {
    abstract void line(String line, int lineNo) throws ExpositionParseException;

    abstract List<MetricFamily> finish(int lastLine) throws ExpositionParseException;

    static String metadataName(String rest, int lineNo, int col, String keyword)
        throws ExpositionParseException {
      int i = 0;
      while (i < rest.length() && rest.charAt(i) != ' ' && rest.charAt(i) != '\t') {
        i++;
      }
      String name = rest.substring(0, i);
      if (name.isEmpty()) {
        throw new ExpositionParseException(lineNo, col, keyword + " needs a metric name");
      }
      if (!MetricNames.isValidMetricName(name)) {
        throw new ExpositionParseException(
            lineNo, col, "invalid metric name '" + name + "' in " + keyword);
      }
      return name;
    }

    static List<MetricFamily> build(List<FamilyState> families) {
      List<MetricFamily> out = new ArrayList<>(families.size());
      for (FamilyState f : families) {
        out.add(f.build());
      }
      return out;
    }
  }

  /** Shared per-family state. */
  static final class FamilyState {
    final String name;
    MetricType type;
    String help;
    String unit;
    final List<dev.vigil.metrics.model.Sample> samples = new ArrayList<>();
    boolean typeSeen;
    int typeLine;
    int unitLine;

    FamilyState(String name, MetricType type) {
      this.name = name;
      this.type = type;
    }

    MetricFamily build() {
      return new MetricFamily(
          new dev.vigil.metrics.model.MetricMetadata(name, help, unit), type, samples);
    }
  }

  static MetricType prometheusType(String t) {
    return switch (t) {
      case "counter" -> MetricType.COUNTER;
      case "gauge" -> MetricType.GAUGE;
      case "histogram" -> MetricType.HISTOGRAM;
      case "summary" -> MetricType.SUMMARY;
      case "untyped" -> MetricType.UNKNOWN;
      default -> null;
    };
  }
}
