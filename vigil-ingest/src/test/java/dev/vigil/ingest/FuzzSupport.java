package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Shared pieces of the ingest fuzz targets: reading a target's saved corpus, a deterministic
 * byte-level mutator for the {@code seededMutations_...} tests, the samples of a {@link
 * SampleBatch} in order (for round trips), and a handler harness that checks a response is never a
 * 500 and that a request which stored nothing left storage exactly as it was.
 */
public final class FuzzSupport {
  private FuzzSupport() {}

  /** The files of {@code <Class>Inputs/<method>/}, sorted by name, as bytes. */
  public static List<byte[]> corpus(Class<?> test, String method) throws Exception {
    Path dir = Path.of(test.getResource(test.getSimpleName() + "Inputs/" + method).toURI());
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        out.add(Files.readAllBytes(p));
      }
    }
    assertThat(out).as("corpus of %s#%s", test.getSimpleName(), method).isNotEmpty();
    return out;
  }

  /**
   * Runs {@code check} on {@code iterations} mutants of the corpus (1 to 4 byte-level edits each:
   * insert, delete, overwrite with a random or boundary byte, insert a dictionary token, duplicate
   * or drop a slice, splice two inputs). Deterministic for a given {@code seed}.
   */
  public static void mutate(
      List<byte[]> corpus, long seed, int iterations, byte[][] dictionary, Consumer<byte[]> check) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] boundary = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0xfe, '"', '\\', ',', ' '};
    for (int i = 0; i < iterations; i++) {
      byte[] in = mutant(corpus, rnd, boundary, dictionary);
      try {
        check.accept(in);
      } catch (AssertionError | RuntimeException | StackOverflowError | OutOfMemoryError e) {
        throw new AssertionError(
            "mutant " + i + " (hex " + HexFormat.of().formatHex(in) + ") failed: " + e, e);
      }
    }
  }

  private static byte[] mutant(
      List<byte[]> corpus, SplittableRandom rnd, byte[] boundary, byte[][] dictionary) {
    List<Byte> b = new ArrayList<>();
    for (byte x : corpus.get(rnd.nextInt(corpus.size()))) {
      b.add(x);
    }
    int edits = 1 + rnd.nextInt(4);
    for (int k = 0; k < edits; k++) {
      int pos = b.isEmpty() ? 0 : rnd.nextInt(b.size() + 1);
      boolean inside = pos < b.size();
      switch (rnd.nextInt(8)) {
        case 0 -> b.add(pos, (byte) rnd.nextInt(256));
        case 1 -> {
          if (inside) {
            b.remove(pos);
          }
        }
        case 2 -> {
          if (inside) {
            b.set(pos, (byte) rnd.nextInt(256));
          }
        }
        case 3 -> {
          if (inside) {
            b.set(pos, boundary[rnd.nextInt(boundary.length)]);
          }
        }
        case 4 -> {
          byte[] word = dictionary[rnd.nextInt(dictionary.length)];
          for (int j = word.length - 1; j >= 0; j--) {
            b.add(pos, word[j]);
          }
        }
        case 5 -> {
          int len = inside ? 1 + rnd.nextInt(Math.min(16, b.size() - pos)) : 0;
          List<Byte> slice = new ArrayList<>(b.subList(pos, pos + len));
          b.addAll(pos, slice);
        }
        case 6 -> {
          if (inside) {
            int len = 1 + rnd.nextInt(Math.min(16, b.size() - pos));
            b.subList(pos, pos + len).clear();
          }
        }
        default -> {
          byte[] other = corpus.get(rnd.nextInt(corpus.size()));
          if (other.length > 0) {
            int from = rnd.nextInt(other.length);
            for (int j = other.length - 1; j >= from; j--) {
              b.add(pos, other[j]);
            }
          }
        }
      }
    }
    byte[] out = new byte[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.get(i);
    }
    return out;
  }

  /** Dictionary tokens as UTF-8 bytes. */
  public static byte[][] words(String... words) {
    byte[][] out = new byte[words.length][];
    for (int i = 0; i < words.length; i++) {
      out[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
    }
    return out;
  }

  /** One decoded sample of a batch: its series' labels, time and value. */
  public record Point(Labels labels, long t, double v) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Point p
          && p.labels.equals(labels)
          && p.t == t
          && Double.compare(p.v, v) == 0; // NaN equals NaN here
    }

    @Override
    public int hashCode() {
      return labels.hashCode() * 31 + Long.hashCode(t);
    }
  }

  /** The batch's samples in the order they were added. */
  public static List<Point> points(SampleBatch batch) {
    List<Point> out = new ArrayList<>();
    for (int i = 0; i < batch.sampleCount(); i++) {
      out.add(new Point(batch.labels(batch.sampleSeries(i)), batch.time(i), batch.value(i)));
    }
    return out;
  }

  /** The batch's samples grouped by series (in first-seen order), for re-encoding. */
  public static Map<Labels, List<Point>> bySeries(SampleBatch batch) {
    Map<Labels, List<Point>> out = new LinkedHashMap<>();
    for (Point p : points(batch)) {
      out.computeIfAbsent(p.labels(), k -> new ArrayList<>()).add(p);
    }
    return out;
  }

  /**
   * A fresh in-memory store holding one preexisting series, an {@link Ingester} over it with small
   * limits (64 KiB bodies, 1 MiB decompressed, 1,000 series), and the checks every handler must
   * pass for any body.
   */
  public static final class Harness {
    public static final IngestLimits LIMITS =
        IngestLimits.builder()
            .maxBodyBytes(64 << 10)
            .maxDecompressedBytes(1 << 20)
            .maxSeries(1_000)
            .build();

    public final TestStorage store = new TestStorage();
    public final IngestStats stats = new IngestStats();
    public final Ingester ingester = new Ingester(store.appendable(), LIMITS, stats, () -> 0);
    private final Map<Labels, List<TestStorage.Sample>> before;

    public Harness() {
      SampleBatch b = new SampleBatch();
      int s = b.series(Labels.of("__name__", "preexisting", "job", "fuzz"));
      b.add(s, 1_700_000_000_000L, 42);
      ingester.write("setup", b);
      before = store.series();
    }

    /**
     * Checks a handler's answer: a status from {@code allowed} (never a 5xx: storage does not fail
     * here), a non-empty body naming the problem on errors, nothing stored before lost, and storage
     * unchanged when {@code protocol} accepted no sample.
     */
    public void check(IngestResponse r, String protocol, Set<Integer> allowed) {
      assertThat(r.status()).as("status; body %s", r.bodyText()).isIn(allowed);
      if (r.status() >= 400) {
        assertThat(r.bodyText()).as("error body").isNotBlank();
      }
      Map<Labels, List<TestStorage.Sample>> after = store.series();
      before.forEach(
          (labels, samples) ->
              assertThat(after.get(labels))
                  .as("samples of %s kept", labels)
                  .startsWith(samples.toArray(new TestStorage.Sample[0])));
      if (stats.accepted(protocol) == 0) {
        assertThat(after).as("storage after a request that stored nothing").isEqualTo(before);
      }
    }
  }
}
