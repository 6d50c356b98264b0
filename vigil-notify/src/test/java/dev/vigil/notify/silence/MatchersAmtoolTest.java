package dev.vigil.notify.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
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
 * The real {@code amtool check-config} (Alertmanager 0.25) parses a route's {@code matchers} with
 * the parser {@link Matchers} follows: what one refuses the other refuses (with the same message,
 * but for the regex engine's wording), what one accepts the other accepts.
 */
class MatchersAmtoolTest {
  private static final Path AMTOOL = Path.of("/usr/bin/amtool");

  @TempDir Path dir;

  private String amtool(String matcher) throws Exception {
    assumeTrue(Files.isExecutable(AMTOOL), "amtool is not installed (scripts/install-test-deps)");
    Path f = dir.resolve("am.yml");
    String quoted = "'" + matcher.replace("'", "''") + "'";
    Files.writeString(
        f,
        "route: {receiver: r, routes: [{receiver: r, matchers: ["
            + quoted
            + "]}]}\nreceivers: [{name: r}]\n");
    Process p =
        new ProcessBuilder(AMTOOL.toString(), "check-config", f.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void sameVerdicts_andMessages_asAlertmanager() throws Exception {
    for (String m :
        List.of(
            "a=\"b",
            "foo",
            "a=b\"c",
            "1a=b",
            "a=b,c",
            "a==b",
            "a=~\"(\"",
            "a=b",
            "a = b c ",
            "a=",
            "a!~\"\"",
            "{a=\"x,y\",b=~\"x|y\"}",
            "a=\"q\\\"uote\"",
            "a=\"\\d+\"",
            "a=b\\",
            "_:x=é")) {
      String am = amtool(m);
      if (am.contains("SUCCESS")) {
        assertThatCode(() -> Matchers.parse(m)).as(m).doesNotThrowAnyException();
      } else {
        assertThat(am).as(m).contains("FAILED: ");
        String amMessage =
            am.substring(am.indexOf("FAILED: ") + 8).lines().findFirst().orElseThrow();
        if (amMessage.startsWith("error parsing regexp")) {
          assertThatThrownBy(() -> Matchers.parse(m))
              .as(m)
              .hasMessageStartingWith("invalid regular expression");
        } else {
          assertThatThrownBy(() -> Matchers.parse(m)).as(m).hasMessage(amMessage);
        }
      }
    }
  }
}
