package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link ScrapeParser} in both formats: any body either parses, or fails with a {@link
 * ScrapeParser.ParseException} whose message names the line; nothing else is thrown and nothing
 * hangs. What parses (samples, labels, values, timestamps, exemplars, metadata) is written back as
 * text of the same format, which must parse to the same entries.
 *
 * <p>{@code scripts/fuzz ScrapeParserFuzzTest} fuzzes each format for the annotated duration;
 * otherwise the saved corpus in {@code ScrapeParserFuzzTestInputs/<method>} runs as a regression
 * test. The {@code seededMutations_} tests mutate the corpus and the OpenMetrics test data in
 * {@code ../shared/openmetrics} (read in place) with a fixed seed in every build.
 */
class ScrapeParserFuzzTest {
  // No JUnit @Timeout on the fuzz methods: in fuzzing mode it would bound the whole campaign.
  @FuzzTest(maxDuration = "5m")
  void openMetrics(FuzzedDataProvider data) {
    check(data.consumeRemainingAsBytes(), ScrapeFormat.OPENMETRICS);
  }

  @FuzzTest(maxDuration = "5m")
  void prometheus(FuzzedDataProvider data) {
    check(data.consumeRemainingAsBytes(), ScrapeFormat.PROMETHEUS_TEXT);
  }

  /** One entry handed to the sink, copied. */
  private record Entry(String kind, String name, List<String> labels, double value, long ts) {
    boolean sameAs(Entry o, boolean om) {
      return kind.equals(o.kind)
          && name.equals(o.name)
          && labels.equals(o.labels)
          && Double.compare(value, o.value) == 0
          && sameTimestamp(ts, o.ts, om);
    }
  }

  /**
   * OpenMetrics timestamps are decimal seconds: beyond 2^53 ms the double loses the last digits.
   */
  private static boolean sameTimestamp(long a, long b, boolean om) {
    if (a == b) {
      return true;
    }
    return om
        && a != Long.MIN_VALUE
        && b != Long.MIN_VALUE
        && Math.abs((double) a - b) <= Math.abs((double) a) * 1e-14;
  }

  private static final class Recorder implements ScrapeParser.Sink {
    final List<Entry> entries = new ArrayList<>();

    @Override
    public void sample(String key, String name, List<String> labels, double value, long ts) {
      assertThat(key).startsWith(name);
      assertThat(labels.size() % 2).isZero();
      entries.add(new Entry("sample", name, List.copyOf(labels), value, ts));
    }

    @Override
    public void exemplar(List<String> labels, double value, long ts) {
      assertThat(labels.size() % 2).isZero();
      entries.add(new Entry("exemplar", "", List.copyOf(labels), value, ts));
    }

    @Override
    public void type(String name, String type) {
      entries.add(new Entry("type", name, List.of(type), 0, 0));
    }

    @Override
    public void help(String name, String help) {
      entries.add(new Entry("help", name, List.of(help), 0, 0));
    }

    @Override
    public void unit(String name, String unit) {
      entries.add(new Entry("unit", name, List.of(unit), 0, 0));
    }
  }

  static void check(byte[] body, ScrapeFormat format) {
    Recorder first = new Recorder();
    try {
      ScrapeParser.parse(body, format, first);
    } catch (ScrapeParser.ParseException e) {
      assertThat(e.getMessage()).matches("(?s)line [1-9][0-9]*: .+");
      return;
    }
    boolean om = format == ScrapeFormat.OPENMETRICS;
    String printed = print(first.entries, om);
    Recorder second = new Recorder();
    try {
      ScrapeParser.parse(printed.getBytes(StandardCharsets.UTF_8), format, second);
    } catch (ScrapeParser.ParseException e) {
      throw new AssertionError(
          "written back, it does not parse: " + e.getMessage() + "\n" + printed, e);
    }
    assertThat(second.entries).as("entries of\n%s", printed).hasSameSizeAs(first.entries);
    for (int i = 0; i < first.entries.size(); i++) {
      Entry a = first.entries.get(i);
      Entry b = second.entries.get(i);
      assertThat(a.sameAs(b, om)).as("entry %s: %s then %s\n%s", i, a, b, printed).isTrue();
    }
  }

  /** Writes entries back as text of the format, escaping as the format says. */
  static String print(List<Entry> entries, boolean om) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      switch (e.kind) {
        case "type", "unit" ->
            sb.append("# ")
                .append(e.kind.toUpperCase(java.util.Locale.ROOT))
                .append(' ')
                .append(e.name)
                .append(' ')
                .append(e.labels.get(0))
                .append('\n');
        case "help" -> {
          sb.append("# HELP ").append(e.name).append(' ');
          String h = e.labels.get(0);
          for (int k = 0; k < h.length(); k++) {
            char c = h.charAt(k);
            sb.append(c == '\\' ? "\\\\" : c == '\n' ? "\\n" : String.valueOf(c));
          }
          sb.append('\n');
        }
        case "sample" -> {
          sb.append(e.name);
          labels(sb, e.labels, false);
          sb.append(' ').append(number(e.value));
          if (e.ts != Long.MIN_VALUE) {
            sb.append(' ').append(timestamp(e.ts, om));
          }
          if (i + 1 < entries.size() && entries.get(i + 1).kind.equals("exemplar")) {
            Entry x = entries.get(++i);
            sb.append(" # ");
            labels(sb, x.labels, true);
            sb.append(' ').append(number(x.value));
            if (x.ts != Long.MIN_VALUE) {
              sb.append(' ').append(timestamp(x.ts, om));
            }
          }
          sb.append('\n');
        }
        default -> throw new AssertionError("exemplar without its sample: " + entries);
      }
    }
    if (om) {
      sb.append("# EOF\n");
    }
    return sb.toString();
  }

  private static void labels(StringBuilder sb, List<String> l, boolean always) {
    if (l.isEmpty() && !always) {
      return;
    }
    sb.append('{');
    for (int k = 0; k < l.size(); k += 2) {
      sb.append(k > 0 ? "," : "").append(l.get(k)).append("=\"");
      String v = l.get(k + 1);
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        sb.append(c == '\\' ? "\\\\" : c == '"' ? "\\\"" : c == '\n' ? "\\n" : String.valueOf(c));
      }
      sb.append('"');
    }
    sb.append('}');
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(v);
  }

  private static String timestamp(long ms, boolean om) {
    return om ? BigDecimal.valueOf(ms, 3).toPlainString() : Long.toString(ms);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_openMetrics_onlyParseExceptionAndRoundTrips() throws Exception {
    mutate("openMetrics", ScrapeFormat.OPENMETRICS, 20261125L);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_prometheus_onlyParseExceptionAndRoundTrips() throws Exception {
    mutate("prometheus", ScrapeFormat.PROMETHEUS_TEXT, 20261126L);
  }

  private static void mutate(String method, ScrapeFormat format, long seed) throws Exception {
    List<byte[]> corpus = seeds(method);
    byte[] alphabet =
        "{}=,\"\\# \t\n.0123456789eE+-_:abcxyzInfNa\0\r".getBytes(StandardCharsets.UTF_8);
    String[] words = {
      "# TYPE ",
      "# HELP ",
      "# UNIT ",
      "# EOF\n",
      "counter",
      "gauge",
      "histogram",
      "summary",
      "gaugehistogram",
      "unknown",
      "untyped",
      "_total",
      "_bucket",
      "_count",
      "_sum",
      " # {a=\"b\"} 1",
      " 1700000000.5",
      " 1e400",
      " -1e400",
      " -9223372036854775808",
      " 9223372036854775808",
      " NaN",
      "\\n",
      "\\\"",
      "\\",
      "\n",
      "{",
      "}",
      "é",
      "\u00ff\u00fe"
    };
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < 20_000; i++) {
      List<Byte> b = new ArrayList<>();
      for (byte x : corpus.get(rnd.nextInt(corpus.size()))) {
        b.add(x);
      }
      int edits = 1 + rnd.nextInt(4);
      for (int k = 0; k < edits; k++) {
        int pos = b.isEmpty() ? 0 : rnd.nextInt(b.size() + 1);
        switch (rnd.nextInt(5)) {
          case 0 -> b.add(pos, alphabet[rnd.nextInt(alphabet.length)]);
          case 1 -> {
            if (pos < b.size()) {
              b.remove(pos);
            }
          }
          case 2 -> {
            if (pos < b.size()) {
              b.set(pos, alphabet[rnd.nextInt(alphabet.length)]);
            }
          }
          case 3 -> {
            if (pos < b.size()) {
              b.set(pos, (byte) rnd.nextInt(256)); // any byte, also invalid UTF-8
            }
          }
          default -> {
            byte[] w = words[rnd.nextInt(words.length)].getBytes(StandardCharsets.UTF_8);
            for (int j = w.length - 1; j >= 0; j--) {
              b.add(pos, w[j]);
            }
          }
        }
      }
      byte[] body = new byte[b.size()];
      for (int j = 0; j < body.length; j++) {
        body[j] = b.get(j);
      }
      try {
        check(body, format);
      } catch (AssertionError | RuntimeException ex) {
        throw new AssertionError(
            "input " + new String(body, StandardCharsets.UTF_8).replace("\0", "\\0"), ex);
      }
    }
  }

  /** The saved corpus of a target plus every input of the OpenMetrics test data. */
  private static List<byte[]> seeds(String method) throws Exception {
    List<byte[]> corpus = new ArrayList<>();
    Path dir =
        Path.of(
            ScrapeParserFuzzTest.class.getResource("ScrapeParserFuzzTestInputs/" + method).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        corpus.add(Files.readAllBytes(p));
      }
    }
    Path shared =
        Path.of(System.getProperty("vigil.root", ".."))
            .resolve("../shared/openmetrics")
            .normalize();
    assertThat(shared).as("OpenMetrics test data at %s", shared).isDirectory();
    try (Stream<Path> cases = Files.list(shared)) {
      for (Path c : cases.sorted().toList()) {
        Path metrics = c.resolve("metrics");
        if (Files.isRegularFile(metrics)) {
          corpus.add(Files.readAllBytes(metrics));
        }
      }
    }
    return corpus;
  }
}
