package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.slo.Slo;
import dev.vigil.rules.slo.SloSpecs;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SLO page's guide (shown without SLOs) teaches a spec Vigil accepts: its example, as the page
 * prints it, parses as a Sloth spec with the SLO and alerts it names.
 */
class SloGuideExampleTest {
  @Test
  void guideExample_isASpecVigilReads() throws Exception {
    String js;
    try (InputStream in = getClass().getResourceAsStream("/dashboard/js/pages/slos.js")) {
      js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int from = js.indexOf("# slos/checkout.yml");
    int to = js.indexOf('`', from);
    assertThat(from).isPositive();
    // The example sits in a JS template literal: "\\" and "\`" are its only escapes.
    String spec = js.substring(js.indexOf('\n', from) + 1, to);
    assertThat(spec).doesNotContain("${").doesNotContain("\\");
    List<Slo> slos = SloSpecs.parse("slos/checkout.yml", spec);
    assertThat(slos)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.id()).isEqualTo("checkout-requests-availability");
              assertThat(s.objective()).isEqualTo(99.9);
              assertThat(s.pageAlert()).isEqualTo("CheckoutAvailability");
            });
  }
}
