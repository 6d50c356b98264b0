package dev.vigil.notify.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The hand-written formats on the notification path (rewritten for NotifierLoadBenchmark): Go's RFC
 * 3339 times of the webhook payload, fingerprints and their hex form, label-name validation.
 */
class AlertFormatsTest {
  @Test
  void timesAreGoRfc3339WithTrailingZerosOfTheFractionDropped() {
    assertThat(NotificationData.time(null)).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(NotificationData.time(Instant.parse("2026-12-07T21:04:05Z")))
        .isEqualTo("2026-12-07T21:04:05Z");
    assertThat(NotificationData.time(Instant.parse("2026-01-02T03:04:05.5Z")))
        .isEqualTo("2026-01-02T03:04:05.5Z");
    assertThat(NotificationData.time(Instant.parse("2026-01-02T03:04:05.120Z")))
        .isEqualTo("2026-01-02T03:04:05.12Z");
    assertThat(NotificationData.time(Instant.parse("2026-01-02T03:04:05.000000001Z")))
        .isEqualTo("2026-01-02T03:04:05.000000001Z");
    assertThat(NotificationData.time(Instant.parse("2026-01-02T03:04:05.123456789Z")))
        .isEqualTo("2026-01-02T03:04:05.123456789Z");
    assertThat(NotificationData.time(Instant.parse("0999-12-31T23:59:59.010Z")))
        .isEqualTo("0999-12-31T23:59:59.01Z");
    assertThat(NotificationData.time(Instant.EPOCH.minusSeconds(1)))
        .isEqualTo("1969-12-31T23:59:59Z");
  }

  @Test
  void fingerprintHexIsSixteenDigitsZeroPadded() {
    assertThat(Alert.fingerprintHex(0)).isEqualTo("0000000000000000");
    assertThat(Alert.fingerprintHex(0xabcL)).isEqualTo("0000000000000abc");
    assertThat(Alert.fingerprintHex(-1L)).isEqualTo("ffffffffffffffff");
    assertThat(Alert.fingerprintHex(0x0123456789abcdefL)).isEqualTo("0123456789abcdef");
  }

  @Test
  void fingerprintIsFnv1a64OverTheUtf8OfNamesAndValuesEachFollowedBy0xff() {
    SortedMap<String, String> ascii = new TreeMap<>(Map.of("alertname", "Up", "job", "node"));
    SortedMap<String, String> utf8 = new TreeMap<>(Map.of("alertname", "Ünter €", "job", "nœud"));
    assertThat(Alert.fingerprint(ascii)).isEqualTo(reference(ascii));
    assertThat(Alert.fingerprint(utf8)).isEqualTo(reference(utf8));
    assertThat(Alert.fingerprint(new TreeMap<>())).isEqualTo(0xcbf29ce484222325L);
  }

  /** FNV-1a 64 over the encoded bytes, as Prometheus' model.LabelsToSignature. */
  private static long reference(SortedMap<String, String> labels) {
    long h = 0xcbf29ce484222325L;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      for (String s : new String[] {e.getKey(), e.getValue()}) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
          h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ 0xff) * 0x100000001b3L;
      }
    }
    return h;
  }

  @Test
  void labelNamesAreLettersDigitsAndUnderscoresNotStartingWithADigit() {
    assertThat(AlertsApi.labelName("alertname")).isTrue();
    assertThat(AlertsApi.labelName("_a9_Z")).isTrue();
    assertThat(AlertsApi.labelName("")).isFalse();
    assertThat(AlertsApi.labelName("9lives")).isFalse();
    assertThat(AlertsApi.labelName("a-b")).isFalse();
    assertThat(AlertsApi.labelName("é")).isFalse();
  }
}
