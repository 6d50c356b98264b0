package dev.vigil.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of the OpenMetrics parser test data in {@code ../shared/openmetrics/} (read in
 * place): each input is accepted or rejected as its {@code test.json} says, and a rejection names a
 * line.
 */
class OpenMetricsConformanceTest {
  private static final Pattern SHOULD_PARSE =
      Pattern.compile("\"shouldParse\"\\s*:\\s*(true|false)");
  private static final Pattern FILE = Pattern.compile("\"file\"\\s*:\\s*\"([^\"]+)\"");

  static Path casesDir() {
    String root = System.getProperty("vigil.root", "..");
    return Path.of(root).resolve("../shared/openmetrics").normalize();
  }

  @TestFactory
  Stream<DynamicTest> everyCaseIsAcceptedOrRejectedAsSpecified() throws IOException {
    Path dir = casesDir();
    assertThat(dir).as("OpenMetrics test data at %s", dir).isDirectory();
    List<Path> cases;
    try (Stream<Path> s = Files.list(dir)) {
      cases = s.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(cases).hasSizeGreaterThan(200);
    return cases.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.getFileName().toString(),
                    () -> {
                      String json = Files.readString(c.resolve("test.json"));
                      Matcher m = SHOULD_PARSE.matcher(json);
                      assertThat(m.find()).as("shouldParse in %s", c).isTrue();
                      boolean shouldParse = Boolean.parseBoolean(m.group(1));
                      Matcher f = FILE.matcher(json);
                      String file = f.find() ? f.group(1) : "metrics";
                      byte[] input = Files.readAllBytes(c.resolve(file));
                      ExpositionParser p = ExpositionParser.openMetrics();
                      if (shouldParse) {
                        p.parse(new java.io.ByteArrayInputStream(input));
                      } else {
                        assertThatThrownBy(() -> p.parse(new java.io.ByteArrayInputStream(input)))
                            .isInstanceOf(ExpositionParseException.class)
                            .hasMessageStartingWith("line ");
                      }
                    }));
  }
}
