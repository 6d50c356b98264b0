package dev.vigil.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeriesCacheTest {
  /** 2^12 distinct label encodings made of "Aa" and "BB", which Java's String hash cannot tell. */
  private static byte[][] collidingUnderThe31Polynomial() {
    byte[][] out = new byte[1 << 12][];
    for (int i = 0; i < out.length; i++) {
      StringBuilder v = new StringBuilder("job=");
      for (int bit = 0; bit < 12; bit++) {
        v.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      out[i] = v.toString().getBytes(UTF_8);
    }
    return out;
  }

  @Test
  void keyHash_spreadsLabelBytesThatCollideUnderThe31Polynomial() {
    Set<Integer> hashes = new HashSet<>();
    byte[][] keys = collidingUnderThe31Polynomial();
    for (byte[] b : keys) {
      assertThat(new String(b, UTF_8).hashCode()).isEqualTo(new String(keys[0], UTF_8).hashCode());
      hashes.add(SeriesCache.hash(b, 0, b.length));
    }
    // 4096 random 32-bit values collide with probability ~0.2 %; a flood would give one value.
    assertThat(hashes).hasSizeGreaterThan(4090);
  }

  @Test
  void keyHash_isSeeded_notTheUnseededXxHash() {
    byte[] b = "job=api".getBytes(UTF_8);
    long unseeded = dev.vigil.model.XxHash64.hash(b, 0, b.length);
    assertThat(SeriesCache.hash(b, 0, b.length)).isNotEqualTo((int) (unseeded ^ (unseeded >>> 32)));
  }

  @Test
  void entries_areFoundByTheirBytes_wherever_theyLieInTheBuffer() {
    SeriesCache cache = new SeriesCache(100);
    byte[] enc = "xxjob=apiyy".getBytes(UTF_8);
    SeriesCache.Entry e = cache.put(enc, 2, 7, Labels.of("job", "api"));
    byte[] other = "job=api".getBytes(UTF_8);
    assertThat(cache.get(other, 0, other.length)).isSameAs(e);
    assertThat(cache.get(enc, 2, 6)).isNull();
  }
}
