package dev.vigil.promql.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every eval of Prometheus' own PromQL test files in {@code ../shared/promqltest}. */
class PromqlConformanceTest {
  static Path dir() {
    return Path.of(System.getProperty("vigil.root", "."))
        .resolve("../shared/promqltest")
        .normalize();
  }

  @TestFactory
  Stream<DynamicNode> prometheusTestFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir())) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    assertThat(files).as("test files in " + dir()).isNotEmpty();
    List<DynamicNode> nodes = new ArrayList<>();
    for (Path f : files) {
      List<TestRunner.Outcome> outcomes = TestRunner.runFile(f);
      List<DynamicNode> tests = new ArrayList<>();
      for (TestRunner.Outcome o : outcomes) {
        tests.add(
            DynamicTest.dynamicTest(
                "line " + o.line() + ": " + o.expr(),
                () -> {
                  Assumptions.assumeTrue(
                      o.status() != TestRunner.Status.SKIPPED, "skipped: " + o.message());
                  if (o.status() == TestRunner.Status.FAILED) {
                    fail(o.toString());
                  }
                }));
      }
      nodes.add(DynamicContainer.dynamicContainer(f.getFileName().toString(), tests));
    }
    return nodes.stream();
  }
}
