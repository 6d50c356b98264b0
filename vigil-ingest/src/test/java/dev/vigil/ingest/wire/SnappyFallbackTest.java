package dev.vigil.ingest.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * snappy-java extracts its native library into a temporary directory before loading it: where that
 * cannot be written, {@link Snappy} runs its pure-Java codec, with the same results and the same
 * limits. Checked in a separate JVM (the native library loads once per JVM).
 */
class SnappyFallbackTest {
  /** Run in the child JVM: prints the codec, then checks a round trip, a bomb and corrupt input. */
  public static void main(String[] args) {
    System.out.println("codec: " + Snappy.codec());
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < 200_000; i++) {
      sb.append("http_requests_total{job=\"api\",instance=\"10.0.0.")
          .append(i % 17)
          .append("\"}\n");
    }
    byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] packed = Snappy.compress(text);
    System.out.println(
        "round trip: " + java.util.Arrays.equals(Snappy.decompress(packed, 1 << 20), text));
    System.out.println("compressed: " + (packed.length < text.length / 3));
    try {
      Snappy.decompress(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, 64 << 20);
    } catch (SnappyException e) {
      System.out.println("bomb: " + e.getMessage());
    }
    try {
      Snappy.decompress(new byte[] {8, 0, 'a', (byte) (2 | (3 << 2)), 5, 0}, 100);
    } catch (SnappyException e) {
      System.out.println("corrupt: " + e.getMessage());
    }
  }

  private static String child(String... props) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(List.of(props));
    cmd.addAll(
        List.of("-cp", System.getProperty("java.class.path"), SnappyFallbackTest.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  @Test
  void unwritableTempDirectory_runsThePureJavaCodec_withTheSameResultsAndLimits(@TempDir Path dir)
      throws Exception {
    // A regular file where the directory should be: not writable, even by root.
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    String tmp = file.resolve("tmp").toString();
    String out = child("-Djava.io.tmpdir=" + tmp, "-Dorg.xerial.snappy.tempdir=" + tmp);
    assertThat(out)
        .contains("codec: pure Java (")
        .contains("round trip: true")
        .contains("compressed: true")
        .contains(
            "bomb: snappy block declares 268435455 uncompressed bytes, over the limit of 67108864")
        .contains("corrupt: corrupt snappy block: copy offset 5 outside the 1 bytes written");
  }

  @Test
  void writableTempDirectory_loadsTheNativeLibrary(@TempDir Path dir) throws Exception {
    String out = child("-Dorg.xerial.snappy.tempdir=" + dir);
    assertThat(out)
        .contains("codec: snappy-java 1.1.10")
        .contains("(native)")
        .contains("round trip: true")
        .contains("bomb: snappy block declares 268435455")
        .contains("corrupt: corrupt snappy block: copy offset 5 outside the 1 bytes written");
  }
}
