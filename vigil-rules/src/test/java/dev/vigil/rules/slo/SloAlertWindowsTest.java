package dev.vigil.rules.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SloRules#alertWindows}: what {@code GET /api/v1/slos} hands the SLO page for its burn-rate
 * rows, the windows the recordings are named by and the thresholds the alerts compare with.
 */
class SloAlertWindowsTest {
  private static List<String> rows(Slo s) {
    return SloRules.alertWindows(s).stream()
        .map(
            (Map<String, Object> w) ->
                w.get("severity")
                    + " "
                    + w.get("long")
                    + "/"
                    + w.get("short")
                    + " "
                    + w.get("factor"))
        .toList();
  }

  @Test
  void sloth30d_isTheSreWorkbooksTable() throws Exception {
    Slo s =
        SloSpecs.parse(
                "s.yml",
                """
                version: prometheus/v1
                service: checkout
                slos:
                  - name: availability
                    objective: 99.9
                    sli:
                      raw:
                        error_ratio_query: sum(rate(errors_total[{{.window}}])) / sum(rate(requests_total[{{.window}}]))
                    alerting:
                      name: CheckoutAvailability
                """)
            .getFirst();
    assertThat(rows(s))
        .containsExactly(
            "page 1h/5m 14.4", "page 6h/30m 6.0", "ticket 1d/2h 3.0", "ticket 3d/6h 1.0");
  }

  @Test
  void pyrra4w_isPyrrasWindows() throws Exception {
    Slo s = SloSpecs.parse("api.yml", SloSpecsTest.PYRRA_LATENCY).getFirst();
    assertThat(rows(s))
        .containsExactly(
            "page 1h/5m 14.0", "page 6h/30m 7.0", "ticket 1d/2h 2.0", "ticket 4d/6h 1.0");
  }
}
