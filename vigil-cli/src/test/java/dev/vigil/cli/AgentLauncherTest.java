package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./vigil agent} and {@code ./vigil serve --mode agent} as a user runs them: the launcher
 * gives agent mode its own JVM options, and the running agent has started nothing of the query
 * engine, the rules, the dashboard, the reports or the full store (class initialization log, thread
 * list). Tagged "launcher" (it needs the jar {@code package} built): {@code ./mvnw -pl vigil-cli
 * -am verify -Dtest=AgentLauncherTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("launcher")
class AgentLauncherTest {
  private static final Path ROOT = Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Classes (JVM internal names) whose initialization means a part an agent has not started. */
  private static final List<String> NOT_IN_AN_AGENT =
      List.of(
          "dev/vigil/promql/Evaluator",
          "dev/vigil/promql/Functions",
          "dev/vigil/promql/Engine",
          "dev/vigil/rules/RuleManager",
          "dev/vigil/rules/RuleGroup",
          "dev/vigil/report/ReportRunner",
          "dev/vigil/report/ReportScheduler",
          "dev/vigil/report/PdfRenderer",
          "dev/vigil/report/Charts",
          "dev/vigil/tsdb/Tsdb",
          "dev/vigil/tsdb/head/",
          "dev/vigil/server/Vigil",
          "dev/vigil/server/seeds/",
          "dev/vigil/server/api/QueryApi",
          "dev/vigil/notify/",
          "org/jfree/",
          "org/openpdf/",
          "com/lowagie/",
          "org/apache/pdfbox/");

  /** Threads of the parts an agent does not run, and of the JIT and collector it does not use. */
  private static final List<String> NO_SUCH_THREAD =
      List.of(
          "C2 CompilerThread",
          "vigil-rule",
          "vigil-notify",
          "vigil-alert",
          "vigil-push",
          "vigil-export",
          "vigil-file-events",
          "vigil-demo",
          "vigil-storage-open");

  record Agent(List<String> jvmArgs, List<String> threads, List<String> initialized) {}

  @Test
  void agent_runsOnItsOwnJvmOptions_andStartsNoQueryEngineRulesDashboardOrReports(@TempDir Path dir)
      throws Exception {
    Agent a = runAgent(dir, Map.of(), "agent");
    // Without VIGIL_AGENT_HEAP: G1 and no heap cap, so no number of series makes it run out.
    assertThat(a.jvmArgs())
        .contains("-XX:+UseG1GC", "-XX:TieredStopAtLevel=1")
        .noneMatch(
            o ->
                o.startsWith("-XX:AOTCache")
                    || o.startsWith("-Xmx")
                    || o.equals("-XX:+UseSerialGC"));
    assertThat(a.threads())
        .as("the agent's own threads are in the list")
        .anyMatch(t -> t.startsWith("vigil-remote-write-"))
        .contains("vigil-agent-checkpoint");
    for (String t : NO_SUCH_THREAD) {
      assertThat(a.threads()).as("threads").noneMatch(n -> n.startsWith(t));
    }
    assertThat(a.initialized())
        .as("the agent's own classes are in the log")
        .contains("dev/vigil/tsdb/agent/AgentStorage", "dev/vigil/server/agent/VigilAgent");
    for (String c : NOT_IN_AN_AGENT) {
      assertThat(a.initialized()).as("classes initialized").noneMatch(n -> n.startsWith(c));
    }
  }

  @Test
  void serveModeAgent_getsTheAgentsJvmOptions_inBothSpellings_andAHeapCapSwitchesToSerial(
      @TempDir Path dir) throws Exception {
    Agent capped =
        runAgent(dir.resolve("a"), Map.of("VIGIL_AGENT_HEAP", "96m"), "serve", "--mode", "agent");
    assertThat(capped.jvmArgs())
        .contains(
            "-XX:+UseSerialGC", "-Xmx96m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1")
        .doesNotContain("-XX:+UseG1GC");
    assertThat(capped.threads()).as("threads").noneMatch(n -> n.startsWith("G1 "));
    assertThat(runAgent(dir.resolve("b"), Map.of(), "serve", "--mode=agent").jvmArgs())
        .contains("-XX:+UseG1GC", "-XX:TieredStopAtLevel=1")
        .doesNotContain("-XX:+UseSerialGC");
  }

  /**
   * Starts {@code ./vigil <command> --config ...} on a configuration that collects Vigil's own
   * metrics every second and remote-writes to a closed port, waits until its own target was
   * scraped, reads its JVM arguments, threads and initialized classes, and stops it.
   */
  private static Agent runAgent(Path dir, Map<String, String> env, String... command)
      throws Exception {
    Files.createDirectories(dir);
    Path config = dir.resolve("agent.yml");
    Files.writeString(
        config,
        "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: "
            + dir.resolve("data")
            + "\ncollect:\n  interval: 1s\n  self: true\n  system: false\n  jvm: false\n"
            + "  gpu: false\nremote_write:\n  - url: http://127.0.0.1:1/api/v1/write\n");
    Path initLog = dir.resolve("class-init.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("vigil").toString());
    cmd.addAll(List.of(command));
    cmd.addAll(List.of("--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.remove("VIGIL_JAVA_MAJOR");
    e.remove("VIGIL_JAVA_OPTS");
    e.remove("MAVEN_OPTS");
    e.remove("JAVA_TOOL_OPTIONS");
    e.put("JAVA_HOME", System.getProperty("java.home"));
    e.remove("VIGIL_AGENT_HEAP");
    e.putAll(env);
    e.put("VIGIL_AOT", "0");
    // Read by the java launcher beside the options ./vigil passes.
    e.put("JDK_JAVA_OPTIONS", "-Xlog:class+init=info:file=" + initLog);
    Path log = dir.resolve("agent.log");
    Process p = pb.redirectOutput(log.toFile()).start();
    try {
      String url = awaitUrl(p, log);
      awaitOwnTargetScraped(url, p, log);
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      List<String> threads = new ArrayList<>();
      Process dump = new ProcessBuilder(jcmd, Long.toString(p.pid()), "Thread.print").start();
      String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(dump.waitFor(60, TimeUnit.SECONDS)).as("jcmd Thread.print finished").isTrue();
      Matcher m = Pattern.compile("(?m)^\"([^\"]+)\"").matcher(text);
      while (m.find()) {
        threads.add(m.group(1));
      }
      assertThat(threads).as("jcmd Thread.print: " + text).isNotEmpty();
      List<String> jvmArgs =
          List.of(
              Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).split("\0"));
      List<String> initialized = new ArrayList<>();
      Matcher c = Pattern.compile("Initializing '([^']+)'").matcher(Files.readString(initLog));
      while (c.find()) {
        initialized.add(c.group(1));
      }
      return new Agent(jvmArgs, threads, initialized);
    } finally {
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static String awaitUrl(Process p, Path log) throws Exception {
    Pattern ready = Pattern.compile("Metrics: +(http://\\S+)/metrics");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      Matcher m = ready.matcher(Files.readString(log));
      if (m.find()) {
        return m.group(1);
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the agent did not get ready in 180 s:\n" + Files.readString(log));
      }
      Thread.sleep(100); // polling another process's output: nothing to wait on
    }
  }

  private static void awaitOwnTargetScraped(String url, Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/api/v1/targets"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200 && r.body().contains("\"health\":\"up\"")) {
        return;
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "the agent's own target was not scraped in 60 s: "
                + r.body()
                + "\n"
                + Files.readString(log));
      }
      Thread.sleep(100); // polling another process: nothing to wait on
    }
  }
}
