package dev.vigil.bench;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.function.IntConsumer;

/**
 * Heap bytes per labelled counter child, Vigil against client_java 1.8.0.
 *
 * <p>Method: the label value strings are made first (they belong to the caller and are not
 * counted); then, between two full collections, {@code N} children are created through {@code
 * labelValues(method, user)} and incremented once. Bytes per child = heap growth / N. Everything a
 * child needs is counted: the child, its copy of the label values and its share of the lookup
 * table.
 *
 * <pre>{@code
 * java -Xmx1g -XX:+UseSerialGC -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.ChildMemory
 * }</pre>
 */
public final class ChildMemory {
  private static final int N = 200_000;

  private ChildMemory() {}

  /** Prints bytes per child for each library. */
  public static void main(String[] args) {
    String[] methods = LabelSets.METHODS;
    String[] users = new String[N];
    for (int i = 0; i < N; i++) {
      users[i] = "user-" + i;
    }
    for (int round = 0; round < 2; round++) { // the first round warms up class loading
      dev.vigil.metrics.Counter vigil =
          dev.vigil.metrics.Counter.builder()
              .name("requests_total")
              .labelNames("method", "user")
              .cardinalityLimit(N)
              .build();
      long v =
          measure(
              i -> vigil.labelValues(methods[i % methods.length], users[i]).inc(),
              () -> vigil.collect());
      java.lang.ref.Reference.reachabilityFence(vigil);
      io.prometheus.metrics.core.metrics.Counter prometheus =
          io.prometheus.metrics.core.metrics.Counter.builder()
              .name("requests_total")
              .labelNames("method", "user")
              .register(new PrometheusRegistry());
      long p =
          measure(
              i -> prometheus.labelValues(methods[i % methods.length], users[i]).inc(),
              () -> prometheus.collect());
      if (round == 1) {
        System.out.printf("vigil      %6.1f bytes per labelled counter child%n", (double) v / N);
        System.out.printf("prometheus %6.1f bytes per labelled counter child%n", (double) p / N);
        System.out.printf("ratio      %6.2f%n", (double) v / p);
      }
      java.lang.ref.Reference.reachabilityFence(prometheus);
      if (vigil.childCount() != N) {
        throw new AssertionError("vigil kept " + vigil.childCount() + " children");
      }
    }
  }

  private static long measure(IntConsumer create, Runnable scrape) {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long before = used(mem);
    for (int i = 0; i < N; i++) {
      create.accept(i);
    }
    scrape.run(); // whatever a scrape keeps (Vigil: the sorted child order) is counted too
    long after = used(mem);
    java.lang.ref.Reference.reachabilityFence(create);
    return after - before;
  }

  private static long used(MemoryMXBean mem) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
