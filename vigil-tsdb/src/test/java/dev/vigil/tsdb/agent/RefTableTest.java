package dev.vigil.tsdb.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RefTableTest {
  @Test
  void answersAsAHashMapDoes_throughGrowthAndReplacement() {
    RefTable<String> t = new RefTable<>(0);
    Map<Long, String> expected = new HashMap<>();
    Random r = new Random(42);
    for (int i = 0; i < 50_000; i++) {
      // sequential refs as the agent hands them out, and some far apart
      long ref = i % 5 == 0 ? 1 + (r.nextLong() >>> 1) : i + 1;
      t.put(ref, "v" + i);
      expected.put(ref, "v" + i);
    }
    assertThat(t.size()).isEqualTo(expected.size());
    for (var e : expected.entrySet()) {
      assertThat(t.get(e.getKey())).isEqualTo(e.getValue());
    }
    assertThat(t.get(Long.MAX_VALUE - 7)).isNull();
    assertThat(t.get(60_000)).isNull();
  }

  @Test
  void refusesARefThatIsNotPositive() {
    RefTable<String> t = new RefTable<>(4);
    assertThatThrownBy(() -> t.put(0, "x")).hasMessageContaining("positive, got 0");
  }
}
