package dev.vigil.notify.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real amtool queries Vigil's API v2 unchanged. */
class AmtoolTest {
  static final Path AMTOOL = Path.of("/usr/bin/amtool");

  @Test
  void amtoolAlertQuery_listsVigilsAlerts_withFiltersAndInhibition() throws Exception {
    assumeTrue(Files.isExecutable(AMTOOL), "amtool not installed (scripts/install-test-deps)");
    String yaml =
        """
        route: {receiver: r, group_by: [alertname]}
        inhibit_rules:
          - source_matchers: [severity=critical]
            target_matchers: [severity=warning]
            equal: [instance]
        receivers: [{name: r, log_configs: [{}]}]
        """;
    try (BuiltinNotifier n =
        BuiltinNotifier.start(NotifyConfig.parse("t", yaml), "http://vigil.example")) {
      Instant start = Instant.parse("2026-12-01T10:00:00Z");
      n.post(
          List.of(
              new BuiltinNotifier.PostableAlert(
                  Map.of("alertname", "DiskFull", "instance", "a", "severity", "warning"),
                  Map.of("summary", "disk a full"),
                  start,
                  null,
                  ""),
              new BuiltinNotifier.PostableAlert(
                  Map.of("alertname", "HostDown", "instance", "a", "severity", "critical"),
                  Map.of("summary", "a is down"),
                  start,
                  null,
                  ""),
              new BuiltinNotifier.PostableAlert(
                  Map.of("alertname", "DiskFull", "instance", "b", "severity", "warning"),
                  Map.of("summary", "disk b full"),
                  start,
                  null,
                  "")));
      HttpServer s = TwoNotifiersTest.serveApi(n);
      try {
        String url = "--alertmanager.url=http://127.0.0.1:" + s.getAddress().getPort();
        String all = run(url, "alert", "query", "-o", "extended");
        assertThat(all)
            .contains("HostDown", "disk b full")
            .doesNotContain("disk a full"); // inhibited
        // -i alone: only the inhibited ones (amtool then asks active=false&inhibited=true).
        String inhibited = run(url, "alert", "query", "-i", "-o", "simple");
        assertThat(inhibited).contains("disk a full", "suppressed").doesNotContain("disk b full");
        String both = run(url, "alert", "query", "-a", "-i", "-o", "simple");
        assertThat(both.lines().filter(l -> l.startsWith("DiskFull")).count())
            .as(both)
            .isEqualTo(2);
        String filtered = run(url, "alert", "query", "alertname=DiskFull", "-o", "extended");
        assertThat(filtered).contains("instance=\"b\"").doesNotContain("HostDown");
      } finally {
        s.stop(0);
      }
    }
  }

  private static String run(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = AMTOOL.toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
