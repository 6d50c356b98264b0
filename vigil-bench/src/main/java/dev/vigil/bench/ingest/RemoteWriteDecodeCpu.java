package dev.vigil.bench.ingest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@link RemoteWriteDecodeBenchmark}'s cases timed in this thread's CPU time rather than wall time,
 * in rounds that alternate between the cases: on a shared, loaded machine (where JMH's wall-clock
 * scores swing by 2-3x between runs) the time a case spends descheduled does not count. Prints the
 * median and the lowest round per case, in µs per operation.
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -cp vigil-bench/target/benchmarks.jar \
 *     dev.vigil.bench.ingest.RemoteWriteDecodeCpu [ROUNDS]
 * }</pre>
 */
public final class RemoteWriteDecodeCpu {
  private RemoteWriteDecodeCpu() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    RemoteWriteDecodeBenchmark b = new RemoteWriteDecodeBenchmark();
    b.setup();
    Map<String, Callable<Object>> cases = new LinkedHashMap<>();
    cases.put("snappyVigil", b::snappyVigil);
    cases.put("snappyJavaNative", b::snappyJavaNative);
    cases.put("decodeVigil", b::decodeVigil);
    cases.put("decodeVigilWarmCache", b::decodeVigilWarmCache);
    cases.put("decodeProtobufJava", b::decodeProtobufJava);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> results = new LinkedHashMap<>();
    Object sink = null;
    for (int round = -3; round < rounds; round++) { // 3 warm-up rounds
      for (var c : cases.entrySet()) {
        int ops = c.getKey().startsWith("snappy") ? 4_000 : 400;
        long t0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < ops; i++) {
          sink = c.getValue().call();
        }
        double us = (threads.getCurrentThreadCpuTime() - t0) / 1e3 / ops;
        if (round >= 0) {
          results.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(us);
        }
      }
    }
    System.out.printf(
        "snappy compressor: %s; %d rounds; µs of CPU per operation%n",
        dev.vigil.ingest.wire.Snappy.codec(), rounds);
    for (var r : results.entrySet()) {
      List<Double> v = r.getValue().stream().sorted().toList();
      System.out.printf(
          "%-22s median %8.1f  lowest %8.1f%n", r.getKey(), v.get(v.size() / 2), v.get(0));
    }
    if (sink == null) {
      throw new AssertionError();
    }
  }
}
