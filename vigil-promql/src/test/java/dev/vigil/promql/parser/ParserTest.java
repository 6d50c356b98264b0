package dev.vigil.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.promql.parser.Expr.AggregateExpr;
import dev.vigil.promql.parser.Expr.BinaryExpr;
import dev.vigil.promql.parser.Expr.MatrixSelector;
import dev.vigil.promql.parser.Expr.NumberLiteral;
import dev.vigil.promql.parser.Expr.SubqueryExpr;
import dev.vigil.promql.parser.Expr.VectorMatching.Cardinality;
import dev.vigil.promql.parser.Expr.VectorSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParserTest {
  @Test
  void precedence_powerIsRightAssociativeAndBindsTighterThanUnaryMinus() {
    Expr e = Parser.parse("-2 ^ 3 ^ 2");
    assertThat(Printer.print(e)).isEqualTo("-2 ^ 3 ^ 2");
    assertThat(e).isInstanceOf(Expr.UnaryExpr.class);
    BinaryExpr pow = (BinaryExpr) ((Expr.UnaryExpr) e).expr();
    assertThat(pow.rhs()).isInstanceOf(BinaryExpr.class);
  }

  @Test
  void precedence_andBindsTighterThanOr() {
    BinaryExpr e = (BinaryExpr) Parser.parse("a or b and c");
    assertThat(e.op()).isEqualTo("or");
    assertThat(((BinaryExpr) e.rhs()).op()).isEqualTo("and");
  }

  @Test
  void selector_withOffsetAtAndRange() {
    MatrixSelector m =
        (MatrixSelector) Parser.parse("http_requests_total{job=\"api\"}[5m] offset -1h @ 100");
    VectorSelector vs = m.selector();
    assertThat(m.rangeMs()).isEqualTo(300_000);
    assertThat(vs.offsetMs()).isEqualTo(-3_600_000);
    assertThat(vs.atMs()).isEqualTo(100_000);
    assertThat(vs.matchers()).hasSize(2);
  }

  @Test
  void subquery_defaultStepAndAtStart() {
    SubqueryExpr sq = (SubqueryExpr) Parser.parse("rate(x[1m])[10m:] @ start()");
    assertThat(sq.stepMs()).isZero();
    assertThat(sq.rangeMs()).isEqualTo(600_000);
    assertThat(sq.atKind()).isEqualTo(Expr.AtKind.START);
  }

  @Test
  void matching_groupLeftWithIncludeLabels() {
    BinaryExpr b = (BinaryExpr) Parser.parse("a * on (job) group_left (version) b");
    assertThat(b.matching().card()).isEqualTo(Cardinality.MANY_TO_ONE);
    assertThat(b.matching().matchingLabels()).containsExactly("job");
    assertThat(b.matching().include()).containsExactly("version");
  }

  @Test
  void aggregation_groupingAfterBody_andUppercaseKeywords() {
    AggregateExpr a = (AggregateExpr) Parser.parse("SUM(x) BY (job)");
    assertThat(a.op()).isEqualTo("sum");
    assertThat(a.grouping()).containsExactly("job");
  }

  @Test
  void numbers_hexOctalInfNanAndDurations() {
    assertThat(((NumberLiteral) Parser.parse("0x1F")).value()).isEqualTo(31);
    assertThat(((NumberLiteral) Parser.parse("010")).value()).isEqualTo(8);
    assertThat(((NumberLiteral) Parser.parse("-Inf")).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(((NumberLiteral) Parser.parse("NaN")).value()).isNaN();
    assertThat(((NumberLiteral) Parser.parse("1h30m")).value()).isEqualTo(5400);
  }

  @Test
  void utf8Names_inBracesAndGrouping() {
    VectorSelector vs = (VectorSelector) Parser.parse("{\"my.metric\", \"a.b\"=\"c\"}");
    assertThat(vs.name()).isEqualTo("my.metric");
    assertThat(Printer.print(vs)).isEqualTo("{\"my.metric\", \"a.b\"=\"c\"}");
  }

  @Test
  void comments_areIgnored() {
    assertThat(Printer.print(Parser.parse("sum(x) # total\n + 1"))).isEqualTo("sum(x) + 1");
  }

  /** Messages and positions as {@code promtool check rules} (Prometheus 2.42) reports them. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1 +|1:4: parse error: unexpected end of input",
        "foo{|1:5: parse error: unexpected end of input inside braces",
        "rate(foo[5m]|1:13: parse error: unclosed left parenthesis",
        "foo[5m|1:7: parse error: unclosed left bracket",
        "foo)|1:5: parse error: unexpected right parenthesis ')'",
        "foo]|1:4: parse error: unexpected right bracket ']'",
        "{a=\"\"}|1:1: parse error: vector selector must contain at least one non-empty matcher",
        "foo{a=b}|1:7: parse error: unexpected identifier \"b\" in label matching, expected string",
        "1 == 1|1:3: parse error: comparisons between scalars must use BOOL modifier",
        "1 and 1|1:1: parse error: set operator \"and\" not allowed in binary scalar expression",
        "rate(foo)|1:6: parse error: expected type range vector in call to function \"rate\", got instant vector",
        "nosuch(foo)|1:1: parse error: unknown function with name \"nosuch\"",
        "round()|1:1: parse error: expected at least 1 argument(s) in call to \"round\", got 0",
        "sum(foo, bar)|1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2",
        "topk(foo)|1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1",
        "foo + bool bar|1:5: parse error: bool modifier can only be used on comparison operators",
        "1 + on(a) foo|1:1: parse error: vector matching only allowed between instant vectors",
        "foo and on(a) group_left bar|1:1: parse error: no grouping allowed for \"and\" operation",
        "(foo + bar)[5m]|1:12: parse error: ranges only allowed for vector selectors",
        "foo[5m][1m:]|1:1: parse error: subquery is only allowed on instant vector, got matrix instead",
        "1 offset 5m|1:3: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
        "foo offset 1m offset 2m|1:1: parse error: offset may not be set multiple times",
        "foo @ 1 @ 2|1:1: parse error: @ <timestamp> may not be set multiple times",
        "foo[5x]|1:5: parse error: bad number or duration syntax: \"5x\"",
        "foo[99999999999999999999s]|1:5: parse error: duration out of range: \"99999999999999999999s\"",
        "foo[300000000y]|1:5: parse error: duration out of range: \"300000000y\"",
        "\"\\u-00e\"|1:4: parse error: illegal character in escape sequence",
        "\"\\U00110000\"|1:4: parse error: escape sequence is an invalid Unicode code point",
        "\"\\ud800\"|1:4: parse error: escape sequence is an invalid Unicode code point",
        "1e400|1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e400\": value out of range",
        "\"unterminated|1:1: parse error: unterminated quoted string",
        "foo{a=~\"(\"}|1:5: parse error: invalid regular expression \"(\": missing closing ): `(` at position 0",
        "foo{a=~\"a++\"}|1:5: parse error: invalid regular expression \"a++\": invalid nested repetition operator: `++` at position 1",
        "-\"a\"|1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"string\"",
        "foo $ bar|1:5: parse error: unexpected character: '$'",
        "|1:1: parse error: no expression found in input",
      })
  void syntaxErrors_reportClassAndPosition(String query, String message) {
    String q = query == null ? "" : query;
    assertThatThrownBy(() -> Parser.parse(q))
        .isInstanceOf(ParseException.class)
        .hasMessage(message);
  }

  @Test
  void errorPosition_countsLinesAndColumns() {
    ParseException e =
        (ParseException)
            org.junit.jupiter.api.Assertions.assertThrows(
                ParseException.class, () -> Parser.parse("sum(\n  foo +\n)"));
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))",
        "histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))",
        "a * on (job) group_left (version) b",
        "a > bool ignoring (x) b",
        "topk(3, x offset 1h)",
        "x[5m:1m] @ 100.500",
        "max_over_time(deriv(x[1m])[1h:5m] offset -5m)",
        "-x ^ 2",
        "count_values(\"v\", x)",
        "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")",
        "sum without () (x)",
        "1e+21",
        ":{aaa!~\"d\"}",
        "rate(:recorded:rate5m[5m:1m])",
      })
  void printer_roundTripsCanonicalText(String query) {
    Expr e = Parser.parse(query);
    String printed = Printer.print(e);
    assertThat(printed).isEqualTo(query);
    assertThat(Printer.print(Parser.parse(printed))).isEqualTo(printed);
  }
}
