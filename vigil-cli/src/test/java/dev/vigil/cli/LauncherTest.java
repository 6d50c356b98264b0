package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Tsdb;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code vigil} launcher and {@code mvnw} at the repository root, run as a user runs them (a
 * subprocess, the jar that {@code package} built). Tagged "launcher": they run in the
 * integration-test phase, after the jar exists ({@code ./mvnw -pl vigil-cli -am verify
 * -Dtest=LauncherTest -Dsurefire.failIfNoSpecifiedTests=false}).
 */
@Tag("launcher")
class LauncherTest {
  private static final Path ROOT = Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath();
  private static final Path JAR = ROOT.resolve("vigil-cli/target/vigil.jar");

  record Run(int code, String out, String err) {}

  /** Runs a command in a clean environment: JAVA_HOME is this JVM's unless the caller says. */
  private static Run run(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> e = pb.environment();
    // Maven exports these to the tests; a user's shell has none of them.
    e.remove("VIGIL_JAVA_MAJOR");
    e.remove("VIGIL_JAVA_OPTS");
    e.remove("MAVEN_OPTS");
    e.remove("JAVA_TOOL_OPTIONS");
    e.put("JAVA_HOME", System.getProperty("java.home"));
    e.put("VIGIL_AOT", "0");
    for (var kv : env.entrySet()) {
      if (kv.getValue() == null) {
        e.remove(kv.getKey());
      } else {
        e.put(kv.getKey(), kv.getValue());
      }
    }
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " did not finish within 180 s");
      }
      return new Run(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Run vigil(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("vigil").toString());
    cmd.addAll(List.of(args));
    return run(ROOT, Map.of(), cmd.toArray(String[]::new));
  }

  @Test
  void version_isTheSameLineFromEveryCommand() throws Exception {
    Run top = vigil("--version");
    assertThat(top.code()).isZero();
    assertThat(top.out()).matches("vigil \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\n");
    assertThat(top.err()).as("the jar is fresh: no build").isEmpty();
    for (String[] args :
        new String[][] {
          {"serve", "--version"}, {"tsdb", "stats", "--version"}, {"check", "metrics", "-V"}
        }) {
      Run r = vigil(args);
      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).isEqualTo(top.out());
    }
  }

  @Test
  void tsdbOnAStoreInUse_saysSoInOneLine(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("data");
    try (Tsdb server =
        Tsdb.builder(db).backgroundInterval(Duration.ZERO).clock(() -> 1_800_000_000_000L).open()) {
      Appender a = server.appender();
      a.append(0, Labels.of("__name__", "up", "job", "a"), 1_800_000_000_000L, 1);
      a.commit();
      Run stats = vigil("tsdb", "stats", db.toString());
      assertThat(stats.code()).isZero();
      assertThat(stats.out()).contains("series in blocks: 0").contains("head: not read");
      assertThat(stats.err())
          .hasLineCount(1)
          .contains("in use by a running Vigil server (lock file " + db.resolve("lock") + ")");
      Run dump = vigil("tsdb", "dump", db.toString());
      assertThat(dump.code()).isEqualTo(1);
      assertThat(dump.out()).isEmpty();
      assertThat(dump.err())
          .hasLineCount(1)
          .startsWith("vigil tsdb dump: " + db + " is in use by a running Vigil server")
          .doesNotContain("Exception");
    }
  }

  @Test
  void export_piped_writesTheDataWithoutAProgressBar_badInputIsOneLine(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("data");
    long t0 = 1_765_100_000_000L;
    try (Tsdb t = Tsdb.builder(db).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      Appender a = t.appender();
      a.append(0, Labels.of("__name__", "up", "job", "a"), t0, 1);
      a.append(0, Labels.of("__name__", "up", "job", "a"), t0 + 15_000, 0);
      a.commit();
    }
    String start = Long.toString(t0 / 1000);
    Run piped =
        vigil(
            "export",
            "--storage.path",
            db.toString(),
            "--match",
            "up",
            "--start",
            start,
            "--format",
            "openmetrics");
    assertThat(piped.code()).as(piped.err()).isZero();
    assertThat(piped.out())
        .isEqualTo(
            "up{job=\"a\"} 1 " + start + "\nup{job=\"a\"} 0 " + (t0 / 1000 + 15) + "\n# EOF\n");
    assertThat(piped.err()).as("no progress bar when not on a terminal").isEmpty();

    Path file = dir.resolve("up.csv");
    Run toFile =
        vigil(
            "export",
            "--storage.path",
            db.toString(),
            "--match",
            "up",
            "--start",
            start,
            "-o",
            file.toString());
    assertThat(toFile.code()).isZero();
    assertThat(toFile.err()).isEmpty();
    assertThat(Files.readAllLines(file)).hasSize(3);

    Run bad = vigil("export", "--storage.path", db.toString(), "--match", "up", "--start", "soon");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err())
        .hasLineCount(1)
        .startsWith("vigil export: --start: invalid time \"soon\"")
        .doesNotContain("Exception");
    Run selector = vigil("export", "--storage.path", db.toString(), "--match", "up{job=");
    assertThat(selector.code()).isEqualTo(1);
    assertThat(selector.err()).hasLineCount(1).startsWith("vigil export: invalid selector");
    Run help = vigil("export", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--storage.path");
  }

  @Test
  void checkMetrics_refusesAnInvalidEscapeWithItsLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.prom");
    Files.writeString(f, "# HELP a A.\n# TYPE a gauge\na{cpu=\"\\q1\"} 1\n");
    Run r = vigil("check", "metrics", f.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("line 3: invalid escape sequence '\\q'\n");
  }

  /**
   * VIGIL_MAX_HEAP reaches the JVM as its maximum heap; a malformed size is refused in one line.
   */
  @Test
  void maxHeap_isPassedToTheJvm_andAMalformedSizeIsRefused() throws Exception {
    String vigil = ROOT.resolve("vigil").toString();
    Run bad = run(ROOT, Map.of("VIGIL_MAX_HEAP", "12x"), vigil, "serve", "--help");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .isEqualTo("vigil: VIGIL_MAX_HEAP=12x: expected a size such as 256m or 2g\n");
    // Below the JVM's minimum: only a JVM given -Xmx1k refuses to start, so it was passed.
    Run tiny = run(ROOT, Map.of("VIGIL_MAX_HEAP", "1k"), vigil, "serve", "--help");
    assertThat(tiny.code()).isNotZero();
    assertThat(tiny.out() + tiny.err()).containsIgnoringCase("heap");
    Run ok = run(ROOT, Map.of("VIGIL_MAX_HEAP", "96m"), vigil, "serve", "--help");
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).contains("--storage.path");
  }

  /** A JDK older than 21 on this machine (Debian's default 17), or null. */
  private static Path oldJdk() throws Exception {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    try (Stream<Path> s = Files.list(jvms)) {
      return s.filter(p -> p.getFileName().toString().matches(".*-(1[1-9]|8)-.*"))
          .filter(p -> Files.isExecutable(p.resolve("bin/javac")))
          .findFirst()
          .orElse(null);
    }
  }

  @Test
  void importQueryStatus_throughTheLauncher_pipedWithoutProgressBar_exitCodes(@TempDir Path dir)
      throws Exception {
    StringBuilder csv = new StringBuilder("timestamp,name,labels,value\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(1_700_000_000 + i * 15)
          .append(",launched,\"{k=\"\"v\"\"}\",")
          .append(i)
          .append('\n');
    }
    csv.append("1,launched,{},oops\n");
    Path file = dir.resolve("in.csv");
    Files.writeString(file, csv);
    Run r =
        vigil(
            "import",
            "--format",
            "csv",
            "--storage.path",
            dir.resolve("data").toString(),
            file.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("20002 lines, 20000 samples read, 20000 written, 0 refused, 1 bad lines");
    // Piped: the bad line and nothing else; no progress bar (it would draw "%" and "MB").
    assertThat(r.err().strip()).isEqualTo(file + ":20002:15: value \"oops\" is not a number");

    Run help = vigil("import", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--format").contains("--storage.path").contains("--url");
    Run missing =
        vigil("import", "--format", "csv", "--storage.path", "x", dir.resolve("no.csv").toString());
    assertThat(missing.code()).isEqualTo(2);
    Run query = vigil("query", "instant", "http://127.0.0.1:1", "up");
    assertThat(query.code()).isEqualTo(1);
    assertThat(query.err().strip())
        .isEqualTo(
            "vigil query instant: cannot connect to http://127.0.0.1:1 (is the server running?)");
    Run badTime = vigil("query", "range", "--start", "soon", "http://127.0.0.1:1", "up");
    assertThat(badTime.code()).isEqualTo(1);
    assertThat(badTime.err())
        .startsWith("vigil query range: error parsing start time: invalid time \"soon\"");
    Run status = vigil("status", "--url", "http://127.0.0.1:1");
    assertThat(status.code()).isEqualTo(1);
    assertThat(vigil("summary", "--help").code()).isZero();
  }

  @Test
  void mvnw_buildsWithTheJdkTheLauncherFinds_evenWhenJavaHomeIsOld() throws Exception {
    Path old = oldJdk();
    Map<String, String> env = new java.util.HashMap<>();
    // The default java first on the PATH, and JAVA_HOME on an old JDK (or unset when none).
    env.put("PATH", "/usr/bin:/bin");
    env.put("JAVA_HOME", old == null ? null : old.toString());
    Run r = run(ROOT, env, ROOT.resolve("mvnw").toString(), "-v");
    assertThat(r.code()).as(r.err()).isZero();
    String v =
        r.out().lines().filter(l -> l.startsWith("Java version: ")).findFirst().orElseThrow();
    int major = Integer.parseInt(v.replaceFirst("Java version: (\\d+).*", "$1"));
    assertThat(major).isGreaterThanOrEqualTo(21);
    if (old != null) {
      assertThat(r.err()).contains("mvnw: using JDK " + major + " at ");
    }
    // Maven's own start-up (Guice) prints sun.misc.Unsafe warnings on JDK 24+ unless allowed.
    Run validate =
        run(ROOT, env, ROOT.resolve("mvnw").toString(), "-B", "-o", "-q", "-N", "validate");
    assertThat(validate.code()).as(validate.out() + validate.err()).isZero();
    assertThat(validate.out() + validate.err()).doesNotContain("sun.misc.Unsafe");
  }

  /**
   * A copy of the launcher beside a stand-in {@code mvnw} that prints what Maven prints (300 lines,
   * the reactor's "Building X [n/m]" among them) and then exits with {@code status}, after putting
   * the real jar in place when it succeeds.
   */
  private static Path launcherWithFakeMaven(Path dir, int status) throws Exception {
    Files.createDirectories(dir.resolve("scripts"));
    Files.copy(ROOT.resolve("vigil"), dir.resolve("vigil"));
    Files.copy(ROOT.resolve("scripts/find-jdk.sh"), dir.resolve("scripts/find-jdk.sh"));
    StringBuilder sh = new StringBuilder("#!/usr/bin/env bash\n");
    String[] modules = {"Vigil", "vigil-metrics", "vigil-tsdb", "vigil-cli"};
    for (int m = 0; m < modules.length; m++) {
      sh.append(
          String.format(
              "echo '[INFO] Building %s 0.1.0-SNAPSHOT                          [%d/%d]'%n",
              modules[m], m + 1, modules.length));
      sh.append("for i in $(seq 1 75); do echo \"[INFO] noise line $i of ")
          .append(modules[m])
          .append("\"; done\n");
    }
    sh.append("echo 'WARNING: sun.misc.Unsafe::staticFieldBase has been called' >&2\n");
    if (status == 0) {
      sh.append("mkdir -p \"$(dirname \"$0\")/vigil-cli/target\"\n")
          .append("cp '")
          .append(JAR)
          .append("' \"$(dirname \"$0\")/vigil-cli/target/vigil.jar\"\n");
    } else {
      sh.append("echo '[ERROR] COMPILATION ERROR: Foo.java:[3,1] class, interface expected'\n");
    }
    sh.append("exit ").append(status).append('\n');
    Files.writeString(dir.resolve("mvnw"), sh);
    for (String f : new String[] {"vigil", "mvnw", "scripts/find-jdk.sh"}) {
      Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return dir;
  }

  @Test
  void firstBuild_isQuiet_namesTheJdk_andShowsModuleProgress(@TempDir Path dir) throws Exception {
    Path root = launcherWithFakeMaven(dir, 0);
    Run r = run(root, Map.of(), root.resolve("vigil").toString(), "--version");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("vigil ");
    List<String> lines = r.err().lines().toList();
    assertThat(lines.get(0))
        .startsWith("vigil: building vigil-cli/target/vigil.jar with JDK ")
        .contains(System.getProperty("java.home"))
        .contains("log: vigil-cli/target/build.log");
    assertThat(lines)
        .contains("vigil: building 2/4 vigil-metrics", "vigil: building 4/4 vigil-cli")
        .hasSizeLessThanOrEqualTo(6)
        .noneMatch(l -> l.contains("noise") || l.contains("Unsafe"));
    assertThat(lines.get(lines.size() - 1))
        .startsWith("vigil: built vigil-cli/target/vigil.jar in ");
    assertThat(root.resolve("vigil-cli/target/build.log"))
        .content()
        .contains("noise line 75 of vigil-cli");
  }

  @Test
  void failedBuild_showsTheEndOfItsLog(@TempDir Path dir) throws Exception {
    Path root = launcherWithFakeMaven(dir, 1);
    Run r = run(root, Map.of(), root.resolve("vigil").toString(), "--version");
    assertThat(r.code()).isNotZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("vigil: the build failed; the end of its log (")
        .contains("[ERROR] COMPILATION ERROR: Foo.java:[3,1]")
        .contains("noise line 75 of vigil-cli")
        .doesNotContain("noise line 1 of Vigil\n");
    assertThat(new File(root.resolve("vigil-cli/target/vigil.jar").toString())).doesNotExist();
  }

  /**
   * Runs {@code ./vigil serve} in {@code root} until it is ready, stops it and returns its output.
   */
  private static String serveUntilReady(Path root, Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve("vigil").toString(),
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--storage.path",
                root.resolve("data").toString())
            .directory(root.toFile())
            .redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.remove("VIGIL_JAVA_MAJOR");
    e.remove("VIGIL_JAVA_OPTS");
    e.remove("MAVEN_OPTS");
    e.remove("JAVA_TOOL_OPTIONS");
    e.put("JAVA_HOME", System.getProperty("java.home"));
    env.forEach(
        (k, v) -> {
          if (v == null) {
            e.remove(k);
          } else {
            e.put(k, v);
          }
        });
    Path log = Files.createTempFile(root, "serve", ".log");
    Process p = pb.redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (!Files.readString(log).contains("Vigil is ready in ")) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError(
              "./vigil serve not ready within 180 s:\n" + Files.readString(log));
        }
        Thread.sleep(100); // polling a log file: nothing to wait on
      }
    } finally {
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
    return Files.readString(log);
  }

  @Test
  void serve_firstStart_onePerPhase_trainsTheCacheInTheBackground_laterStartsUseIt(
      @TempDir Path dir) throws Exception {
    Path root = launcherWithFakeMaven(dir, 0);
    int major = Runtime.version().feature();
    String jdk = "JDK " + major + " (" + System.getProperty("java.home") + ")";
    Map<String, String> env = new java.util.HashMap<>();
    env.put("VIGIL_AOT", null);
    env.put("VIGIL_AOT_ROUNDS", "1");
    List<String> first = serveUntilReady(root, env).lines().toList();
    List<String> launcher = first.stream().filter(l -> l.startsWith("vigil: ")).toList();
    assertThat(launcher.get(0))
        .isEqualTo(
            "vigil: building vigil-cli/target/vigil.jar with "
                + jdk
                + ", log: vigil-cli/target/build.log (first run: Maven downloads what it needs)");
    assertThat(launcher).contains("vigil: building 4/4 vigil-cli");
    assertThat(launcher.get(launcher.size() - 2))
        .startsWith("vigil: built vigil-cli/target/vigil.jar in ");
    assertThat(first)
        .as("nothing of Maven's or the cache training's own output")
        .noneMatch(
            l -> l.contains("noise") || l.contains("AOTCache") || l.contains("requests answered"));
    Path target = root.resolve("vigil-cli/target");
    if (major < 25) {
      assertThat(launcher.get(launcher.size() - 1)).isEqualTo("vigil: starting with " + jdk);
      return;
    }
    assertThat(launcher.get(launcher.size() - 1))
        .isEqualTo(
            "vigil: starting with "
                + jdk
                + "; training the start-up cache in the background for the next start (log:"
                + " vigil-cli/target/aot-train.log)");
    // The training goes on after the server has stopped; it takes about 15 s on an idle machine.
    Path training = target.resolve("vigil.aot.training");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (Files.exists(training)
        || !(Files.exists(target.resolve("vigil.aot"))
            || Files.exists(target.resolve("vigil.aot.failed")))) {
      assertThat(System.nanoTime()).as("training still running after 300 s").isLessThan(deadline);
      Thread.sleep(100); // another process's pid file: nothing to wait on
    }
    assertThat(target.resolve("aot-train.log"))
        .content()
        .contains("aot-train: 70 requests answered");
    assertThat(target.resolve("vigil.aot")).exists();

    List<String> later = serveUntilReady(root, env).lines().toList();
    assertThat(later.get(0))
        .isEqualTo(
            "vigil: starting with " + jdk + " and the start-up cache vigil-cli/target/vigil.aot");
    assertThat(later.get(1)).doesNotStartWith("vigil: ");
    assertThat(later).anyMatch(l -> l.startsWith("Vigil is ready in "));

    env.put("VIGIL_AOT", "0");
    List<String> without = serveUntilReady(root, env).lines().toList();
    assertThat(without.get(0)).isEqualTo("vigil: starting with " + jdk);

    // A cache trained by another JDK (or this one before an update) is trained again.
    Files.writeString(target.resolve("vigil.aot.jdk"), "/usr/lib/jvm/other 25.0.1+8\n");
    env.put("VIGIL_AOT", null);
    List<String> otherJdk = serveUntilReady(root, env).lines().toList();
    assertThat(otherJdk.get(0)).contains("training the start-up cache in the background");
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    Path trainedBy = target.resolve("vigil.aot.jdk");
    while (Files.exists(training)
        || !Files.readString(trainedBy).startsWith(System.getProperty("java.home") + " ")) {
      assertThat(System.nanoTime()).as("training still running after 300 s").isLessThan(deadline);
      Thread.sleep(100); // another process's pid file: nothing to wait on
    }
    assertThat(target.resolve("vigil.aot")).exists();
  }

  @Test
  void serve_onAJdkBefore25_startsWithoutTheCache_andSaysWhichJdk(@TempDir Path dir)
      throws Exception {
    Path root = launcherWithFakeMaven(dir.resolve("repo"), 0);
    // A JDK whose release file says 21 (this JVM's binaries): the launcher's JDK 21 path.
    Path jdk21 = dir.resolve("jdk-21");
    Files.createDirectories(jdk21.resolve("bin"));
    Path home = Path.of(System.getProperty("java.home"));
    for (String b : new String[] {"java", "javac"}) {
      Files.createSymbolicLink(jdk21.resolve("bin").resolve(b), home.resolve("bin").resolve(b));
    }
    Files.writeString(jdk21.resolve("release"), "JAVA_VERSION=\"21.0.9\"\n");
    Map<String, String> env = new java.util.HashMap<>();
    env.put("JAVA_HOME", jdk21.toString());
    env.put("VIGIL_AOT", null);
    List<String> out = serveUntilReady(root, env).lines().toList();
    assertThat(out.get(0)).startsWith("vigil: building vigil-cli/target/vigil.jar with JDK 21 (");
    assertThat(out).contains("vigil: starting with JDK 21 (" + jdk21 + ")");
    assertThat(out).anyMatch(l -> l.startsWith("Vigil is ready in "));
    assertThat(root.resolve("vigil-cli/target/vigil.aot.training")).doesNotExist();
    assertThat(root.resolve("vigil-cli/target/aot-train.log")).doesNotExist();
  }
}
