package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedApplicationTest {
  @Test
  void embeddedVigil_storesWhatTheApplicationRecorded(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    EmbeddedApplication.run(
        1, dir.resolve("data"), new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("recorded (\\d+) API requests; Vigil stored (\\d+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    assertThat(m.group(2)).isEqualTo(m.group(1));
    assertThat(out).contains("dashboard http://127.0.0.1:").contains("targets up: 1");
  }
}
