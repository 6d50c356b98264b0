package dev.vigil.bench;

import dev.vigil.collectors.jvm.ThreadGroupCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of per-agent resources ({@link ThreadGroupCollector}): one collection that groups the
 * JVM's threads by name (4 patterns over 64 extra parked threads, 32 of them matching), one
 * collection of 32 threads tracked by reference, and the overhead a task pays when it is measured
 * into its agent ({@code wrap(group, task)}: CPU time and allocated bytes read before and after)
 * against the same task run bare.
 *
 * <p>Run: {@code java -jar vigil-bench/target/benchmarks.jar ThreadGroupBenchmark -f 1 -wi 2 -i 3}.
 * A collection runs once per scrape (every 5 s by default), so tens of microseconds are noise; the
 * task overhead is what an application pays per task.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ThreadGroupBenchmark {
  private static final String[] AGENTS = {"planner", "coder", "reviewer", "indexer"};

  private ThreadGroupCollector byName;
  private ThreadGroupCollector byReference;
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private Runnable bare;
  private Runnable measured;
  private long sink;

  @Setup(Level.Trial)
  public void setUp() {
    byName = new ThreadGroupCollector();
    byReference = new ThreadGroupCollector();
    Map<String, Pattern> patterns = new LinkedHashMap<>();
    for (String a : AGENTS) {
      patterns.put(a, Pattern.compile(a + "-worker-\\d+"));
    }
    byName.matchThreadNames(patterns);
    for (int i = 0; i < 64; i++) {
      // Half named after an agent, half not (an application's other threads).
      String name = i % 2 == 0 ? AGENTS[i % 4] + "-worker-" + i : "other-pool-" + i;
      Thread t =
          new Thread(
              () -> {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              name);
      t.setDaemon(true);
      t.start();
      threads.add(t);
      if (i % 2 == 0) {
        byReference.track(AGENTS[i % 4], t);
      }
    }
    bare = () -> sink += System.identityHashCode(this) & 1;
    measured = byReference.wrap("planner", bare);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    release.countDown();
    for (Thread t : threads) {
      t.join();
    }
  }

  /** One scrape of the groups by thread name (a scan of the JVM's threads). */
  @Benchmark
  public void collectByThreadName(Blackhole bh) {
    bh.consume(byName.collect());
  }

  /** One scrape of threads tracked by reference (threadFactory, track(group, thread)). */
  @Benchmark
  public void collectByReference(Blackhole bh) {
    bh.consume(byReference.collect());
  }

  /** A trivial task run bare: the floor of {@link #taskMeasured}. */
  @Benchmark
  public long taskBare() {
    bare.run();
    return sink;
  }

  /** The same task measured into its agent (track(group, executor) runs each task so). */
  @Benchmark
  public long taskMeasured() {
    measured.run();
    return sink;
  }
}
