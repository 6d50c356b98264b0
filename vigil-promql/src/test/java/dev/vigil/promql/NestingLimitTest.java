package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.Printer;
import dev.vigil.promql.test.MemoryStorage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Query nesting is bounded at {@link Parser#MAX_DEPTH}: deeper queries of every shape fail with a
 * {@link ParseException}, never a {@link StackOverflowError}, and queries at the limit parse, print
 * and evaluate within half of the 512 KB thread stack {@code vigil serve} runs with ({@code
 * -Xss512k}).
 */
class NestingLimitTest {
  /** A query of the shape nested {@code depth} levels deep (syntax tree depth). */
  static String nested(String shape, int depth) {
    int n = depth - 1;
    return switch (shape) {
      case "parens" -> "(".repeat(n) + "x" + ")".repeat(n);
      case "chain" -> "x" + " + 1".repeat(n);
      case "unary" -> "-".repeat(n) + "x";
      case "sum" -> "sum(".repeat(n) + "x" + ")".repeat(n);
      case "calls" -> "abs(".repeat(n) + "x" + ")".repeat(n);
      case "power" -> "x" + " ^ 1".repeat(n);
      case "or" -> "x" + " or x".repeat(n);
      default -> throw new IllegalArgumentException(shape);
    };
  }

  @ParameterizedTest
  @CsvSource({
    "parens, 1000",
    "chain, 1000",
    "unary, 3000",
    "sum, 2000",
    "calls, 5000",
    "power, 1000"
  })
  void tooDeep_isAParseErrorNotAStackOverflow(String shape, int depth) {
    assertThatThrownBy(() -> Parser.parse(nested(shape, depth)))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("parse error: expression too deeply nested: more than 128 levels");
  }

  @ParameterizedTest
  @CsvSource({"parens", "chain", "unary", "sum", "calls", "power", "or"})
  void oneLevelTooDeep_isRefused(String shape) {
    assertThatThrownBy(() -> Parser.parse(nested(shape, Parser.MAX_DEPTH + 1)))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("too deeply nested");
  }

  @ParameterizedTest
  @CsvSource({"parens", "chain", "unary", "sum", "calls", "power", "or"})
  void atTheLimit_parsesPrintsAndEvaluatesInTheServersStackLessTheHttpServersShare(String shape)
      throws Exception {
    MemoryStorage db = new MemoryStorage();
    db.add(Labels.of("__name__", "x"), 0, 2);
    db.add(Labels.of("__name__", "x"), 60_000, 2);
    Engine engine = Engine.builder(db).build();
    String q = nested(shape, Parser.MAX_DEPTH);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                Expr e = Parser.parse(q);
                String printed = Printer.print(e);
                assertThat(Printer.print(Parser.parse(printed))).isEqualTo(printed);
                assertThat(engine.instantQuery(q, 60_000).vector()).isNotNull();
                assertThat(engine.rangeQuery(q, 0, 60_000, 15_000).matrix()).isNotNull();
              } catch (Throwable ex) {
                failure.set(ex);
              }
            },
            "half-stack",
            384 * 1024);
    t.start();
    t.join();
    assertThat(failure.get()).isNull();
  }
}
