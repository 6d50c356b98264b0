package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XxHash64Test {
  private static long h(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return XxHash64.hash(b, 0, b.length);
  }

  @Test
  void knownValues_ofTheReferenceImplementation() {
    assertThat(h("")).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(h("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
    assertThat(h("abc")).isEqualTo(0x44BC2CF5AD770999L);
  }

  @Test
  void everyLengthPath_isUsedAndAnOffsetIsHonoured() {
    // 0..70 bytes cover the 1-, 4- and 8-byte tails and one or two 32-byte stripes.
    byte[] b = new byte[80];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int len = 0; len <= 70; len++) {
      byte[] shifted = new byte[len + 5];
      System.arraycopy(b, 0, shifted, 5, len);
      long direct = XxHash64.hash(b, 0, len);
      assertThat(XxHash64.hash(shifted, 5, len)).isEqualTo(direct);
      assertThat(seen.add(direct)).as("length %d collides", len).isTrue();
    }
    // Values of the reference implementation (xxhash-wasm) for the same bytes.
    assertThat(XxHash64.hash(b, 0, 3)).isEqualTo(0x56e6957632a487f9L);
    assertThat(XxHash64.hash(b, 0, 4)).isEqualTo(0xc60d15b1e3ff8f04L);
    assertThat(XxHash64.hash(b, 0, 8)).isEqualTo(0x3da5c7aa269683e0L);
    assertThat(XxHash64.hash(b, 0, 31)).isEqualTo(0x4a74f3a1a39ad4a1L);
    assertThat(XxHash64.hash(b, 0, 32)).isEqualTo(0x8d57d6a4671cc43dL);
    assertThat(XxHash64.hash(b, 0, 33)).isEqualTo(0x62c9fd21ed857664L);
    assertThat(XxHash64.hash(b, 0, 64)).isEqualTo(0x7bbabbc45729d17eL);
    assertThat(XxHash64.hash(b, 0, 70)).isEqualTo(0x383a51c48c4f8f4cL);
  }

  @Test
  void seededHash_matchesTheReferenceImplementation() {
    byte[] b = new byte[80];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    long seed = 0x9E3779B97F4A7C15L;
    // Values of libxxhash 0.8.1 (XXH64(data, len, seed)) for the same bytes and seed.
    assertThat(XxHash64.hash(seed, b, 0, 0)).isEqualTo(0xc4349fc93c010000L);
    assertThat(XxHash64.hash(seed, b, 0, 3)).isEqualTo(0x5acb303e78133c22L);
    assertThat(XxHash64.hash(seed, b, 0, 8)).isEqualTo(0x758848f033fa76a2L);
    assertThat(XxHash64.hash(seed, b, 0, 31)).isEqualTo(0x8137041f5af88413L);
    assertThat(XxHash64.hash(seed, b, 0, 32)).isEqualTo(0x184ebcf3745cd46cL);
    assertThat(XxHash64.hash(seed, b, 0, 70)).isEqualTo(0xf119ddfac3276859L);
    assertThat(XxHash64.hash(1, "abc".getBytes(StandardCharsets.UTF_8), 0, 3))
        .isEqualTo(0xbea9ca8199328908L);
    assertThat(XxHash64.hash(0, b, 0, 70)).isEqualTo(XxHash64.hash(b, 0, 70));
  }

  @Test
  void labelsHash_isOverUtf8NamesAndValues_eachFollowedBy0xff() {
    Labels l = Labels.of("job", "nöde", "__name__", "up");
    java.io.ByteArrayOutputStream want = new java.io.ByteArrayOutputStream();
    for (String s : new String[] {"__name__", "up", "job", "nöde"}) {
      want.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      want.write(0xff);
    }
    byte[] b = want.toByteArray();
    assertThat(l.prometheusHash()).isEqualTo(XxHash64.hash(b, 0, b.length));
    assertThat(l.prometheusHash()).isEqualTo(0xa47152bb584b84e4L);
    assertThat(Labels.of("a", "bc").prometheusHash())
        .isNotEqualTo(Labels.of("ab", "c").prometheusHash());
  }
}
