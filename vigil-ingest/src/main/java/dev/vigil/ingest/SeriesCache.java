package dev.vigil.ingest;

import dev.vigil.model.Labels;
import dev.vigil.model.XxHash64;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps the encoded label bytes of a series, exactly as a sender puts them on the wire, to the
 * decoded {@link Labels}, their 64-bit hash, whether limits already admitted them, and the
 * storage's series ref.
 *
 * <p>Senders repeat the same label bytes for a series in every request, so after the first request
 * a series costs one byte-range hash and lookup instead of string decoding, sorting, validation,
 * cardinality lookup and the storage's label lookup (measured: decode + ingest of a 1,000-series
 * remote-write request about 3x faster with warm entries; see docs/BENCHMARKS.md "Ingest").
 *
 * <p>Thread-safe. Bounded: when more than {@code maxEntries} distinct label encodings are held, the
 * cache is cleared and fills again (entries are pure derivations, so nothing is lost).
 */
public final class SeriesCache {
  /*
   * The keys are bytes any client chooses. With a fixed hash (it was Java's 31-polynomial, where
   * "Aa" and "BB" collide, so 2^k label sets built from those pairs all share one hash) a sender
   * could put every series in one bucket and turn each lookup into a scan of the bucket: hash
   * flooding. The key hash is XXH64 with a seed drawn once per process from SecureRandom, which a
   * client can neither choose nor observe (nothing derived from it leaves the process).
   */

  /** The per-process secret seed of the key hash. */
  private static final long SEED = new SecureRandom().nextLong();

  /** A cached series. {@link #admitted} and {@link #ref} are set by the {@link Ingester}. */
  public static final class Entry {
    final Labels labels;
    final long hash64;
    volatile boolean admitted;
    volatile long ref;

    Entry(Labels labels) {
      this.labels = labels;
      this.hash64 = labels.hash64();
    }

    public Labels labels() {
      return labels;
    }
  }

  /** A byte range used as a key; lookups wrap the request buffer without copying. */
  private static final class Key {
    final byte[] buf;
    final int off;
    final int len;
    final int hash;

    Key(byte[] buf, int off, int len, int hash) {
      this.buf = buf;
      this.off = off;
      this.len = len;
      this.hash = hash;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.len == len
          && k.hash == hash
          && Arrays.equals(buf, off, off + len, k.buf, k.off, k.off + k.len);
    }
  }

  private final int maxEntries;
  private final ConcurrentHashMap<Key, Entry> map = new ConcurrentHashMap<>();

  public SeriesCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** The hash table key of encoded label bytes: seeded XXH64 folded to 32 bits. */
  static int hash(byte[] b, int off, int len) {
    long h = XxHash64.hash(SEED, b, off, len);
    return (int) (h ^ (h >>> 32));
  }

  /** The entry for these encoded label bytes, or null. */
  public Entry get(byte[] buf, int off, int len) {
    return map.get(new Key(buf, off, len, hash(buf, off, len)));
  }

  /** Caches labels decoded from these bytes; returns the entry to use. */
  public Entry put(byte[] buf, int off, int len, Labels labels) {
    if (map.size() >= maxEntries) {
      map.clear();
    }
    byte[] copy = Arrays.copyOfRange(buf, off, off + len);
    Entry e = new Entry(labels);
    Entry prev = map.putIfAbsent(new Key(copy, 0, len, hash(copy, 0, len)), e);
    return prev != null ? prev : e;
  }

  public int size() {
    return map.size();
  }
}
