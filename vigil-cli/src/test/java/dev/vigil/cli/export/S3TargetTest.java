package dev.vigil.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@code s3://} URLs and the AWS_* environment map to an object and its request URI. */
class S3TargetTest {
  @Test
  void awsWithoutEndpoint_isVirtualHosted_inTheRegion_defaultUsEast1() {
    S3Target t = S3Target.parse("s3://metrics/vigil/", "n.csv", Map.of());
    assertThat(t.region()).isEqualTo("us-east-1");
    assertThat(t.key()).isEqualTo("vigil/n.csv");
    assertThat(t.uri("").toString())
        .isEqualTo("https://metrics.s3.us-east-1.amazonaws.com/vigil/n.csv");
    assertThat(t.hostHeader()).isEqualTo("metrics.s3.us-east-1.amazonaws.com");
    S3Target eu =
        S3Target.parse("s3://my.bucket/a b.csv", "n.csv", Map.of("AWS_REGION", "eu-west-1"));
    assertThat(eu.uri("uploads=").toString())
        .isEqualTo("https://s3.eu-west-1.amazonaws.com/my.bucket/a%20b.csv?uploads=");
  }

  @Test
  void customEndpoint_isPathStyle_withItsPort() {
    S3Target t =
        S3Target.parse(
            "s3://bkt", "vigil-export-x.csv", Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9000/"));
    assertThat(t.key()).isEqualTo("vigil-export-x.csv");
    assertThat(t.uri("").toString()).isEqualTo("http://127.0.0.1:9000/bkt/vigil-export-x.csv");
    assertThat(t.canonicalPath()).isEqualTo("/bkt/vigil-export-x.csv");
    assertThat(t.hostHeader()).isEqualTo("127.0.0.1:9000");
  }

  @Test
  void defaultName_isTheRangeInUtc() {
    assertThat(S3Target.defaultName(1_765_100_000_000L, 1_765_186_400_000L, "jsonl"))
        .isEqualTo("vigil-export-20251207T093320Z-20251208T093320Z.jsonl");
  }

  @Test
  void badUrlsAndEndpoints_areNamed() {
    assertThatThrownBy(() -> S3Target.parse("s3://", "n", Map.of()))
        .hasMessageContaining("expected s3://BUCKET/PREFIX/");
    assertThatThrownBy(() -> S3Target.parse("s3://bkt//x", "n", Map.of()))
        .hasMessageContaining("empty path segment");
    assertThatThrownBy(
            () -> S3Target.parse("s3://bkt/x", "n", Map.of("AWS_ENDPOINT_URL", "ftp://h")))
        .hasMessageContaining("AWS_ENDPOINT_URL");
  }
}
