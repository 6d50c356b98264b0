package dev.vigil.notify.timeinterval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code amtool check-config} (Alertmanager 0.25) as the oracle: every interval Vigil
 * refuses, Alertmanager refuses with the same message, and what Vigil accepts, it accepts.
 */
class TimeIntervalsAmtoolTest {
  private static final Path AMTOOL = Path.of("/usr/bin/amtool");

  @TempDir Path dir;

  private String amtool(String intervalBody) throws Exception {
    assumeTrue(Files.isExecutable(AMTOOL), "amtool is not installed (scripts/install-test-deps)");
    Path f = dir.resolve("am.yml");
    Files.writeString(
        f,
        "route: {receiver: r}\nreceivers: [{name: r}]\ntime_intervals:\n"
            + TimeIntervalsTest.one(intervalBody).indent(2));
    Process p =
        new ProcessBuilder(AMTOOL.toString(), "check-config", f.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void refused_sameMessageAsAlertmanager() throws Exception {
    for (String bad :
        List.of(
            "times: [{start_time: '22:00', end_time: '02:00'}]",
            "times: [{start_time: '9:00', end_time: '10:00'}]",
            "times: [{start_time: '10:00'}]",
            "weekdays: ['friday:monday']",
            "weekdays: [funday]",
            "days_of_month: ['-3:5']",
            "days_of_month: ['0']",
            "days_of_month: ['10:-25']",
            "months: ['march:january']",
            "years: ['2027:2026']",
            "location: Mars/Olympus")) {
      String am = amtool(bad);
      assertThat(am).as(bad).contains("FAILED: ");
      String amMessage = am.substring(am.indexOf("FAILED: ") + 8).lines().findFirst().orElseThrow();
      assertThatThrownBy(() -> TimeIntervals.parseYaml(TimeIntervalsTest.one(bad)))
          .as(bad)
          .hasMessageEndingWith(amMessage);
    }
  }

  @Test
  void accepted_byBoth() throws Exception {
    for (String good :
        List.of(
            "times: [{start_time: '00:00', end_time: '24:00'}]",
            "weekdays: ['monday:friday', sunday]\nlocation: Europe/Berlin",
            "days_of_month: ['1:5', '-3:-1', '31']",
            "months: ['january:march', '12']",
            "years: ['2026:2030']")) {
      assertThat(amtool(good)).as(good).contains("SUCCESS");
      assertThat(TimeIntervals.parseYaml(TimeIntervalsTest.one(good))).containsKey("w");
    }
  }
}
