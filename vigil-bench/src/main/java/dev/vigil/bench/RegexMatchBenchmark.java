package dev.vigil.bench;

import dev.vigil.model.Regex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Label-matcher throughput: one pass of a regex matcher over every distinct label value (metric
 * names included) of a real node-exporter + Prometheus scrape ({@code
 * ../shared/datasets/host-1s-a.om.gz}), as postings selection does. Engines: {@code jdk}, the
 * previous engine ({@code java.util.regex}, DOTALL, {@code matches()}); {@code re2j}, RE2/J alone;
 * {@code vigil}, {@link Regex} (RE2/J behind Prometheus' fast paths for literals, sets, prefixes,
 * suffixes, {@code .*} and {@code .+}).
 *
 * <pre>
 * ./mvnw -B -q -pl vigil-bench -am package -DskipTests
 * java -jar vigil-bench/target/benchmarks.jar RegexMatchBenchmark -f 1 -wi 2 -w 1 -i 3 -r 1
 * </pre>
 *
 * <p>{@code -Dvigil.dataset=<file.om.gz>} reads another OpenMetrics file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RegexMatchBenchmark {
  @Param({
    "node_.*",
    ".*_total",
    ".*cpu.*",
    ".+",
    "node|prometheus",
    "GET|POST|PUT|DELETE",
    "node_(cpu|memory)_.*",
    "(?i)NODE_CPU.*",
    "[a-z]+_seconds_(total|count)"
  })
  public String pattern;

  @Param({"jdk", "re2j", "vigil"})
  public String engine;

  private String[] values;
  private Predicate<String> matcher;

  @Setup
  public void setup() throws IOException {
    values = labelValues(Path.of(System.getProperty("vigil.dataset", defaultDataset())));
    matcher =
        switch (engine) {
          case "jdk" -> {
            java.util.regex.Pattern p =
                java.util.regex.Pattern.compile(
                    "(?:" + pattern + ")", java.util.regex.Pattern.DOTALL);
            yield v -> p.matcher(v).matches();
          }
          case "re2j" -> {
            com.google.re2j.Pattern p =
                com.google.re2j.Pattern.compile(pattern, com.google.re2j.Pattern.DOTALL);
            yield p::matches;
          }
          case "vigil" -> Regex.compile(pattern)::matches;
          default -> throw new IllegalArgumentException(engine);
        };
  }

  private static String defaultDataset() {
    Path here = Path.of("../shared/datasets/host-1s-a.om.gz");
    return Files.exists(here) ? here.toString() : "../../shared/datasets/host-1s-a.om.gz";
  }

  /** Every distinct metric name and label value of an OpenMetrics file, sorted. */
  static String[] labelValues(Path file) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty() || line.charAt(0) == '#') {
          continue;
        }
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        int nameEnd = brace >= 0 && brace < space ? brace : space;
        out.add(line.substring(0, nameEnd));
        if (nameEnd != brace) {
          continue;
        }
        // name="value",... with \" and \\ escapes inside values
        int i = brace + 1;
        while (i < line.length() && line.charAt(i) != '}') {
          int q = line.indexOf('"', i);
          StringBuilder v = new StringBuilder();
          int j = q + 1;
          for (; line.charAt(j) != '"'; j++) {
            char c = line.charAt(j);
            if (c == '\\') {
              c = line.charAt(++j);
              v.append(c == 'n' ? '\n' : c);
            } else {
              v.append(c);
            }
          }
          out.add(v.toString());
          i = j + 1;
          if (i < line.length() && line.charAt(i) == ',') {
            i++;
          }
        }
      }
    }
    return out.toArray(String[]::new);
  }

  /** One pass over all values; returns the number matched so the JIT cannot drop the work. */
  @Benchmark
  public int matchAllValues() {
    int n = 0;
    for (String v : values) {
      if (matcher.test(v)) {
        n++;
      }
    }
    return n;
  }
}
