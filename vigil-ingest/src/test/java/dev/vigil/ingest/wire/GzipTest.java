package dev.vigil.ingest.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bounded inflater: a bomb costs a scratch buffer, an accepted body its own size. */
class GzipTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Bytes the current thread allocates while running {@code r}. */
  private static long allocatedBy(Runnable r) {
    long id = Thread.currentThread().threadId();
    long before = THREADS.getThreadAllocatedBytes(id);
    r.run();
    return THREADS.getThreadAllocatedBytes(id) - before;
  }

  @Test
  void bomb_isRefusedNamingTheLimit_withoutAllocatingTowardsIt() {
    byte[] bomb = Gzip.compress(new byte[64 << 20]); // ~64 KB inflating to 64 MiB
    int limit = 8 << 20;
    Gzip.decompress(Gzip.compress(new byte[10]), 100); // warm up class loading
    long allocated =
        allocatedBy(
            () ->
                assertThatThrownBy(() -> Gzip.decompress(bomb, limit))
                    .isInstanceOf(Gzip.TooLargeException.class)
                    .hasMessageContaining("limit of 8388608 bytes"));
    assertThat(allocated).isLessThan(512 << 10);
  }

  @Test
  void acceptedBody_allocatesItsSizeOnce_notAGrowingBuffer() {
    byte[] raw = new byte[4 << 20];
    new Random(7).nextBytes(raw);
    for (int i = 0; i < raw.length; i += 2) {
      raw[i] = 0; // compressible, but not a bomb
    }
    byte[] gz = Gzip.compress(raw);
    Gzip.decompress(Gzip.compress(new byte[10]), 100);
    byte[][] out = new byte[1][];
    long allocated = allocatedBy(() -> out[0] = Gzip.decompress(gz, raw.length));
    assertThat(out[0]).isEqualTo(raw);
    assertThat(allocated).isLessThan(raw.length + (512 << 10));
  }

  @Test
  void bodyOfExactlyTheLimit_isAccepted_andOneByteMoreIsNot() {
    byte[] gz = Gzip.compress(new byte[1000]);
    assertThat(Gzip.decompress(gz, 1000)).hasSize(1000);
    assertThatThrownBy(() -> Gzip.decompress(gz, 999)).isInstanceOf(Gzip.TooLargeException.class);
  }

  @Test
  void concatenatedMembers_inflateToTheirConcatenation() {
    byte[] a = Gzip.compress("ab".getBytes());
    byte[] b = Gzip.compress("cd".getBytes());
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    assertThat(new String(Gzip.decompress(both, 100))).isEqualTo("abcd");
  }

  @Test
  void truncatedBody_isCorrupt() {
    byte[] gz = Gzip.compress(new byte[1000]);
    byte[] cut = java.util.Arrays.copyOf(gz, gz.length - 5);
    assertThatThrownBy(() -> Gzip.decompress(cut, 10_000))
        .isInstanceOf(Gzip.CorruptException.class);
  }
}
