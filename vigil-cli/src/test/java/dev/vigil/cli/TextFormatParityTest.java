package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil check metrics} judges Prometheus text 0.0.4 as {@code promtool check metrics} does.
 *
 * <p>The corpus is {@code src/test/resources/textformat/*.prom}, written for this test: small
 * cases, and expositions in the shape of node_exporter's and Prometheus' own, which the mutations
 * below change one way each. A file's name says the verdict promtool 2.42 gives it (valid: 0,
 * invalid: 1 with a line number, lint: 3 with findings), so the recorded verdicts are checked
 * without promtool; with promtool on the PATH each file and each mutation is also run through it,
 * and the verdict, the parse error's line and text, and the lint findings must be the same.
 */
class TextFormatParityTest extends CapturedOutput {
  private static final Path CORPUS = corpus();

  private static Path corpus() {
    try {
      return Path.of(TextFormatParityTest.class.getResource("/textformat").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> files() throws Exception {
    try (Stream<Path> s = Files.list(CORPUS)) {
      return s.filter(p -> p.toString().endsWith(".prom")).sorted().toList();
    }
  }

  private static String promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "promtool");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  /** Exit code and the lines printed. */
  record Verdict(int code, List<String> lines) {}

  private Verdict vigil(Path file) {
    err.reset();
    int rc = Main.run("check", "metrics", file.toString());
    return new Verdict(rc, lines(err.toString(StandardCharsets.UTF_8)));
  }

  private static Verdict promtool(String promtool, byte[] text) throws Exception {
    Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(text);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // "error while linting: text format parsing error in line 3: ..." -> "line 3: ..."
    List<String> lines = new ArrayList<>();
    for (String l : lines(out)) {
      String parseError = "error while linting: text format parsing error in ";
      lines.add(
          l.startsWith(parseError)
              ? l.substring(parseError.length())
              : l.replaceFirst("^([a-zA-Z_:][a-zA-Z0-9_:]*) ", "$1: "));
    }
    return new Verdict(p.exitValue(), lines);
  }

  private static List<String> lines(String s) {
    return Arrays.stream(s.split("\n")).filter(l -> !l.isBlank()).toList();
  }

  private static int recorded(Path file) {
    String name = file.getFileName().toString();
    if (name.startsWith("valid-")) {
      return 0;
    }
    if (name.startsWith("invalid-")) {
      return 1;
    }
    if (name.startsWith("lint-")) {
      return 3;
    }
    throw new IllegalStateException(name + ": name must start with valid-, invalid- or lint-");
  }

  @Test
  void corpus_isLargeAndCoversEveryVerdict() throws Exception {
    List<Path> files = files();
    assertThat(files).hasSizeGreaterThan(60);
    assertThat(files.stream().map(TextFormatParityTest::recorded).distinct())
        .containsExactlyInAnyOrder(0, 1, 3);
  }

  @TestFactory
  Stream<DynamicTest> eachCorpusFile_getsItsRecordedVerdict() throws Exception {
    return files().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      Verdict v = vigil(f);
                      assertThat(v.code()).as("%s", v.lines()).isEqualTo(recorded(f));
                      if (v.code() == 1) {
                        assertThat(v.lines()).singleElement().asString().matches("line \\d+: .+");
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> eachCorpusFile_isJudgedAsPromtoolJudgesIt() throws Exception {
    String promtool = promtool();
    return files().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      Assumptions.assumeTrue(
                          promtool != null, "promtool not installed (scripts/install-test-deps)");
                      Verdict want = promtool(promtool, Files.readAllBytes(f));
                      assertThat(want.code()).isEqualTo(recorded(f));
                      assertThat(vigil(f)).isEqualTo(want);
                    }));
  }

  /** One change to a real-looking exposition, named after what it does. */
  record Mutation(String name, UnaryOperator<String> change) {}

  private static final List<Mutation> MUTATIONS =
      List.of(
          new Mutation("invalid escape \\q in a label value", t -> first(t, "=\"", "=\"\\q")),
          new Mutation("escaped quote in HELP", t -> first(t, "# HELP ", "# HELP \\\"")),
          new Mutation("valid escapes in a label value", t -> first(t, "=\"", "=\"\\\\\\n\\\"")),
          new Mutation("no newline at the end", t -> t.substring(0, t.length() - 1)),
          new Mutation("CRLF line ends", t -> t.replace("\n", "\r\n")),
          new Mutation(
              "a blank after the first value", t -> first(t, "\n", " \n", afterFirstType(t))),
          new Mutation("tabs between name and value", t -> t.replace("} ", "}\t")),
          new Mutation("a second TYPE line", TextFormatParityTest::secondType),
          new Mutation("TYPE moved after the samples", TextFormatParityTest::typeAfterSamples),
          new Mutation("HELP lines removed", t -> t.replaceAll("(?m)^# HELP .*\n", "")),
          new Mutation("TYPE lines removed", t -> t.replaceAll("(?m)^# TYPE .*\n", "")),
          new Mutation(
              "a value out of range", t -> t.replaceFirst("(?m)^([^#].*) [^ ]+$", "$1 1e999")),
          new Mutation("a float timestamp", t -> t.replaceFirst("(?m)^([^#].*[^ ]) ?$", "$1 17.5")),
          new Mutation(
              "a millisecond timestamp", t -> t.replaceFirst("(?m)^([^#].*)$", "$1 1700000000123")),
          new Mutation("hex value", t -> t.replaceFirst("(?m)^([^#].*) [^ ]+$", "$1 0x1p4")),
          new Mutation(
              "a duplicated label", t -> t.replaceFirst("\\{([a-z_]+)=\"", "{$1=\"x\",$1=\"")),
          new Mutation("a Latin-1 byte in a label value", t -> first(t, "=\"", "=\"caf\u00e9")),
          new Mutation(
              "an unknown type", t -> t.replaceFirst("(?m)^(# TYPE \\S+) \\S+$", "$1 counte")),
          new Mutation("a raw newline in a label value", t -> first(t, "=\"", "=\"a\n")),
          new Mutation("an empty label set", t -> t.replaceFirst("(?m)^([a-z_]+) ", "$1{} ")),
          new Mutation("a trailing comma in labels", t -> t.replaceFirst("\"\\}", "\",}")),
          new Mutation("a comment line at the end, no newline", t -> t + "# the end"),
          new Mutation("a blank line between samples", t -> first(t, "\n", "\n\n", t.length() / 2)),
          new Mutation("__name__ as a label", t -> first(t, "{", "{__name__=\"x\",")));

  private static String first(String t, String what, String with) {
    return first(t, what, with, 0);
  }

  private static String first(String t, String what, String with, int from) {
    int i = t.indexOf(what, from);
    return i < 0 ? t : t.substring(0, i) + with + t.substring(i + what.length());
  }

  private static int afterFirstType(String t) {
    int i = t.indexOf("\n", t.indexOf("# TYPE "));
    return i + 1;
  }

  private static String secondType(String t) {
    int i = t.indexOf("# TYPE ");
    int e = t.indexOf('\n', i) + 1;
    return t.substring(0, e) + t.substring(i, e) + t.substring(e);
  }

  private static String typeAfterSamples(String t) {
    // the first family's TYPE line goes after its first sample
    int type = t.indexOf("# TYPE ");
    int end = t.indexOf('\n', type) + 1;
    String line = t.substring(type, end);
    String rest = t.substring(0, type) + t.substring(end);
    int sample = rest.indexOf('\n', type) + 1;
    return rest.substring(0, sample) + line + rest.substring(sample);
  }

  @TestFactory
  Stream<DynamicTest> mutationsOfRealExpositions_areJudgedAsPromtoolJudgesThem(@TempDir Path dir)
      throws Exception {
    String promtool = promtool();
    List<DynamicTest> tests = new ArrayList<>();
    for (Path base : files()) {
      if (!base.getFileName().toString().contains("exporter")
          && !base.getFileName().toString().contains("prometheus")) {
        continue;
      }
      String text = Files.readString(base);
      for (Mutation m : MUTATIONS) {
        String name = base.getFileName() + ": " + m.name();
        tests.add(
            DynamicTest.dynamicTest(
                name,
                () -> {
                  Assumptions.assumeTrue(
                      promtool != null, "promtool not installed (scripts/install-test-deps)");
                  String mutated = m.change().apply(text);
                  assertThat(mutated).as("the mutation changes the text").isNotEqualTo(text);
                  byte[] bytes =
                      m.name().contains("Latin-1")
                          ? mutated.getBytes(StandardCharsets.ISO_8859_1)
                          : mutated.getBytes(StandardCharsets.UTF_8);
                  Path f = dir.resolve("mutated.prom");
                  Files.write(f, bytes);
                  assertThat(vigil(f)).isEqualTo(promtool(promtool, bytes));
                }));
      }
    }
    return tests.stream();
  }

  private static final String[] INSERTS = {
    "\\", "\"", "\n", " ", "\t", "{", "}", "=", ",", "#", "\r", "\\q", "\\n", "\u00e9", "e", ".",
    "-", "+", "x", "1", "_", "Inf", "NaN", "TYPE", "HELP", ":"
  };

  /**
   * Random edits with a fixed seed (a character inserted anywhere or inside a label value, a
   * character deleted, a line repeated or swapped with another, the text cut short): 120 cases, the
   * same on every run. A campaign of 600 such edits of real node_exporter 1.5 and Prometheus 2.42
   * output found every verdict, line and message the same (docs/cli.md).
   */
  @TestFactory
  Stream<DynamicTest> seededRandomEdits_areJudgedAsPromtoolJudgesThem(@TempDir Path dir)
      throws Exception {
    String promtool = promtool();
    List<byte[]> bases = new ArrayList<>();
    for (Path f : files()) {
      String n = f.getFileName().toString();
      if (n.contains("exporter") || n.contains("prometheus")) {
        bases.add(Files.readAllBytes(f));
      }
    }
    java.util.Random random = new java.util.Random(15);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String text = new String(bases.get(i % bases.size()), StandardCharsets.UTF_8);
      int kind = random.nextInt(6);
      String edited;
      List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
      int at = random.nextInt(text.length());
      String insert = INSERTS[random.nextInt(INSERTS.length)];
      switch (kind) {
        case 0 -> edited = text.substring(0, at) + insert + text.substring(at);
        case 1 -> edited = text.substring(0, at) + text.substring(at + 1);
        case 2 -> {
          int j = random.nextInt(lines.size() - 1);
          lines.add(j, lines.get(j));
          edited = String.join("\n", lines);
        }
        case 3 -> {
          java.util.Collections.swap(
              lines, random.nextInt(lines.size() - 1), random.nextInt(lines.size() - 1));
          edited = String.join("\n", lines);
        }
        case 4 -> {
          int v = text.indexOf("=\"", at);
          v = v < 0 ? text.indexOf("=\"") : v;
          edited = text.substring(0, v + 2) + insert + text.substring(v + 2);
        }
        default -> edited = text.substring(0, at);
      }
      byte[] bytes = edited.getBytes(StandardCharsets.UTF_8);
      String name = String.format("edit %03d (kind %d at %d)", i, kind, at);
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                Assumptions.assumeTrue(
                    promtool != null, "promtool not installed (scripts/install-test-deps)");
                Path f = dir.resolve("edited.prom");
                Files.write(f, bytes);
                assertThat(vigil(f)).isEqualTo(promtool(promtool, bytes));
              }));
    }
    return tests.stream();
  }
}
