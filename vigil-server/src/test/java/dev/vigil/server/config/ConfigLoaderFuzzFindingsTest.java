package dev.vigil.server.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@link ConfigLoaderFuzzTest} found, one case each (the inputs are kept in its corpus under
 * the same names).
 */
class ConfigLoaderFuzzFindingsTest {
  private static void assertRejected(String yaml, String message) {
    assertThatThrownBy(() -> ConfigLoader.parse("vigil.yml", yaml, Map.of()))
        .isExactlyInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void durationWithMoreDigitsThanALong_isTooLong_notForInputString() {
    assertRejected(
        "storage:\n  retention_time: 99999999999999999999y\n",
        "vigil.yml:2: storage.retention_time: duration \"99999999999999999999y\" is too long (at"
            + " most about 292 million years)");
  }

  @Test
  void durationOverflowingMilliseconds_isTooLong_notArithmeticException() {
    assertRejected(
        "collect:\n  interval: 9999999999999y\n",
        "vigil.yml:2: collect.interval: duration \"9999999999999y\" is too long (at most about 292"
            + " million years)");
  }

  @Test
  void sizeWithMoreDigitsThanALong_isTooLarge_notForInputString() {
    assertRejected(
        "storage:\n  retention_size: 99999999999999999999999PB\n",
        "vigil.yml:2: storage.retention_size: size \"99999999999999999999999PB\" is too large");
  }

  @Test
  void storagePathWithANulCharacter_isAConfigException_notInvalidPathException() {
    assertRejected(
        "storage:\n  path: \"data\\0\"\n",
        "vigil.yml:2: storage.path: not a valid directory name: Nul character not allowed");
  }

  @Test
  void passwordFileWithANulCharacter_isAConfigException_notInvalidPathException() {
    assertRejected(
        "scrape_configs:\n  - job_name: a\n    basic_auth:\n      password_file: \"\\0\"\n",
        "vigil.yml:4: scrape_configs[0].basic_auth.password_file: not a valid file name: Nul"
            + " character not allowed");
  }

  @Test
  void caFileWithANulCharacter_isAConfigException_notInvalidPathException() {
    assertRejected(
        "scrape_configs:\n  - job_name: a\n    tls_config:\n      ca_file: \"\\0\"\n",
        "vigil.yml:4: scrape_configs[0].tls_config.ca_file: not a valid file name: Nul"
            + " character not allowed");
  }

  @Test
  void deeplyNestedDocument_isAConfigException_notStackOverflowError() {
    String yaml = "server:\n  listen: " + "[".repeat(100_000) + "\n";
    assertThatThrownBy(() -> ConfigLoader.parse("vigil.yml", yaml, Map.of()))
        .isExactlyInstanceOf(ConfigException.class)
        .hasMessageStartingWith("vigil.yml:2: not valid YAML: ")
        .hasMessageContaining("nesting depth");
  }
}
