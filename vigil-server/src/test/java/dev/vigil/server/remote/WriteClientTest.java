package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A receiver's Retry-After: seconds or an HTTP date; anything else means "use the backoff". */
class WriteClientTest {
  @Test
  void retryAfter_inSeconds_isThatLong() {
    assertThat(WriteClient.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(WriteClient.retryAfter(" 0 ")).isEqualTo(Duration.ZERO);
  }

  @Test
  void retryAfter_asAPastHttpDate_isNow_andGarbageIsIgnored() {
    assertThat(WriteClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(WriteClient.retryAfter("soon")).isNull();
    assertThat(WriteClient.retryAfter("-3")).isNull();
    assertThat(WriteClient.retryAfter(null)).isNull();
  }
}
