package dev.vigil.server.vitals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Page labels stay bounded, and the rate limiter refills by its clock, not the wall's. */
class PagesAndRateLimiterTest {
  @Test
  void templates_replaceIds_andCollapseIntoOther_beyondMaxPages() {
    Pages p = new Pages(List.of(), 3);
    assertThat(p.of("/orders/12345?tab=items#top")).isEqualTo("/orders/:id");
    assertThat(p.of("/orders/4f9a2c1e-1b2c-4d5e-8f90-123456789abc/items"))
        .isEqualTo("/orders/:id/items");
    assertThat(p.of("/")).isEqualTo("/");
    assertThat(p.of("/blobs/deadbeef42")).isEqualTo("other"); // a 4th page
    assertThat(p.of("/orders/7")).isEqualTo("/orders/:id"); // known pages stay
    assertThat(Pages.template(new String[] {"a", "b", "c", "d", "e", "f", "g", "h"}))
        .isEqualTo("/a/b/c/d/e/f/*");
    assertThat(Pages.template(new String[] {"users", "al ice%20"})).isEqualTo("/users/:x");
  }

  @Test
  void routePatterns_nameThePage_andEverythingElseIsOther() {
    Pages p = new Pages(List.of("/", "/products/:id", "/docs/*"), 10);
    assertThat(p.of("/")).isEqualTo("/");
    assertThat(p.of("/products/shoes")).isEqualTo("/products/:id");
    assertThat(p.of("/products/shoes/reviews")).isEqualTo("other");
    assertThat(p.of("/docs")).isEqualTo("/docs/*");
    assertThat(p.of("/docs/a/b/c")).isEqualTo("/docs/*");
    assertThat(p.of("/admin")).isEqualTo("other");
  }

  @Test
  void rateLimiter_allowsTheBurst_thenRefillsAtItsRate_perAddress() {
    long[] now = {0};
    RateLimiter r = new RateLimiter(60, 2, () -> now[0]); // one a second after a burst of 2
    assertThat(r.acquire("a")).isZero();
    assertThat(r.acquire("a")).isZero();
    assertThat(r.acquire("a")).isEqualTo(1); // wait 1 s
    assertThat(r.acquire("b")).isZero(); // another address has its own bucket
    now[0] += 999_000_000L;
    assertThat(r.acquire("a")).isEqualTo(1);
    now[0] += 2_000_000L;
    assertThat(r.acquire("a")).isZero();
    assertThat(r.acquire("a")).isEqualTo(1);
  }

  @Test
  void rateLimiter_staysBounded_underManyAddresses_sharingAnOverflowBucket() {
    long[] now = {0};
    RateLimiter r = new RateLimiter(1, 1, () -> now[0]);
    for (int i = 0; i < RateLimiter.MAX_CLIENTS; i++) {
      assertThat(r.acquire("10.0." + i)).isZero();
    }
    // Full of busy addresses: newcomers share one bucket, so the flood is limited as one client.
    assertThat(r.acquire("newcomer-1")).isZero();
    assertThat(r.acquire("newcomer-2")).isPositive();
    assertThat(r.clients()).isEqualTo(RateLimiter.MAX_CLIENTS + 1);
    // Once the others are idle (refilled), their buckets are dropped for new ones.
    now[0] += 120_000_000_000L;
    assertThat(r.acquire("newcomer-3")).isZero();
    assertThat(r.clients()).isLessThanOrEqualTo(2);
  }
}
