package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.promql.test.TestRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code limit_ratio} picks the series Prometheus picks: the expected sets follow from each series'
 * XXH64 label hash over 2^64, computed with the reference xxhash implementation (prod/0 0.1890,
 * canary/0 0.4474, prod/1 0.9014, canary/1 0.3415, prod/2 0.5159, canary/2 0.4035, prod/3 0.1496,
 * canary/3 0.9535).
 */
class LimitRatioTest {
  private static final String SCRIPT =
      """
      load 1m
        http_requests{job="api", instance="0", group="production"} 1+1x10
        http_requests{job="api", instance="0", group="canary"}     2+2x10
        http_requests{job="api", instance="1", group="production"} 3+3x10
        http_requests{job="api", instance="1", group="canary"}     4+4x10
        http_requests{job="api", instance="2", group="production"} 5+5x10
        http_requests{job="api", instance="2", group="canary"}     6+6x10
        http_requests{job="api", instance="3", group="production"} 7+7x10
        http_requests{job="api", instance="3", group="canary"}     8+8x10

      eval instant at 5m limit_ratio(0.4, http_requests)
        http_requests{job="api", instance="0", group="production"} 6
        http_requests{job="api", instance="1", group="canary"}     24
        http_requests{job="api", instance="3", group="production"} 42

      eval instant at 5m limit_ratio(-0.5, http_requests)
        http_requests{job="api", instance="1", group="production"} 18
        http_requests{job="api", instance="2", group="production"} 30
        http_requests{job="api", instance="3", group="canary"}     48

      eval instant at 5m count(limit_ratio(0.5, http_requests) or limit_ratio(-0.5, http_requests))
        {} 8

      eval instant at 5m limit_ratio(0.45, http_requests) and limit_ratio(-0.6, http_requests)
        http_requests{job="api", instance="0", group="canary"}     12
        http_requests{job="api", instance="2", group="canary"}     36

      eval range from 0 to 2m step 1m sum(limit_ratio(0.2, http_requests))
        {} 8 16 24
      """;

  @Test
  void picksTheSameSeriesAsPrometheus() {
    List<TestRunner.Outcome> out = TestRunner.run("limit_ratio", SCRIPT);
    assertThat(out).isNotEmpty();
    assertThat(out)
        .allSatisfy(
            o -> assertThat(o.status()).as(o.toString()).isEqualTo(TestRunner.Status.PASSED));
  }
}
