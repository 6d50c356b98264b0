package dev.vigil.promql.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Development helper: prints failures of all promqltest files and the totals. */
public final class RunAll {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/promqltest");
    int p = 0;
    int f = 0;
    int s = 0;
    try (var st = Files.list(dir)) {
      for (Path file : st.filter(x -> x.toString().endsWith(".test")).sorted().toList()) {
        List<TestRunner.Outcome> out;
        try {
          out = TestRunner.runFile(file);
        } catch (RuntimeException e) {
          System.out.println(file + ": CRASH " + e);
          e.printStackTrace();
          continue;
        }
        for (TestRunner.Outcome o : out) {
          switch (o.status()) {
            case PASSED -> p++;
            case FAILED -> {
              f++;
              System.out.println(o);
            }
            case SKIPPED -> {
              s++;
              if (System.getenv("SHOW_SKIPS") != null) {
                System.out.println(o);
              }
            }
          }
        }
      }
    }
    System.out.println(p + " passed, " + f + " failed, " + s + " skipped");
  }
}
