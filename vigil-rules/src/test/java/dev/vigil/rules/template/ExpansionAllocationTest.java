package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Expansion runs for every active alert at every evaluation, so its allocation is pinned here
 * (bytes, not time: allocation does not depend on the machine's load). The figures it prints are
 * the ones in docs/rules.md:
 *
 * <pre>
 * ./mvnw -B -o -q -pl vigil-rules -am test -Dtest=ExpansionAllocationTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class ExpansionAllocationTest {
  private static final Labels LABELS =
      Labels.of(
          "__name__",
          "up",
          "instance",
          "host-1:9100",
          "job",
          "node",
          "severity",
          "critical",
          "region",
          "eu-west-1");

  /** Template, and the most bytes one expansion may allocate (about 2x the measured figure). */
  private static final Object[][] CASES = {
    {"plain text without actions", 1_600},
    {
      "{{ $labels.instance }} of job {{ $labels.job }} has been down for more than 5 minutes.",
      2_000
    },
    {"{{ if gt $value 100.0 }}critical{{ else }}warning{{ end }}: {{ humanize $value }}", 3_500},
    {
      "CPU at {{ humanizePercentage $value }} on {{ $labels.instance }}"
          + " (threshold {{ printf \"%.2f\" 0.9 }})",
      4_500
    },
  };

  @Test
  void expansion_allocatesLittlePerAlert() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Expander x = Expander.builder().externalUrl("http://vigil:9090").build();
    for (Object[] c : CASES) {
      String t = (String) c[0];
      int sink = 0;
      for (int i = 0; i < 50_000; i++) { // warm-up: parse once, let the JIT compile
        sink += x.expandAlert("HostDown", t, LABELS, 1234.5 + i, 0).length();
      }
      int n = 50_000;
      long before = mx.getCurrentThreadAllocatedBytes();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += x.expandAlert("HostDown", t, LABELS, 1234.5 + i, 0).length();
      }
      long nanos = System.nanoTime() - t0;
      long bytes = (mx.getCurrentThreadAllocatedBytes() - before) / n;
      System.out.printf(
          "%5d B/expansion, %6.0f ns/expansion (load-dependent): %s%n",
          bytes, nanos / (double) n, t);
      assertThat(sink).isPositive();
      assertThat(bytes).as(t).isLessThanOrEqualTo(((Number) c[1]).longValue());
    }
  }
}
