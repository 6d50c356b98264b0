package dev.vigil.notify.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.LabelMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchersTest {
  @Test
  void parse_bracedQuotedList_allFourOperators() {
    List<LabelMatcher> ms = Matchers.parse("{a=\"b\",c=~\"d.*\",e!=\"f\",g!~\"h|i\"}");
    assertThat(ms)
        .containsExactly(
            LabelMatcher.equal("a", "b"),
            LabelMatcher.regex("c", "d.*"),
            LabelMatcher.notEqual("e", "f"),
            LabelMatcher.notRegex("g", "h|i"));
  }

  @Test
  void parse_unquotedValuesAndSpaces_asAmtoolTakesThem() {
    assertThat(Matchers.parse("alertname = Disk full , job=~node.*"))
        .containsExactly(
            LabelMatcher.equal("alertname", "Disk full"), LabelMatcher.regex("job", "node.*"));
    assertThat(Matchers.parse("alertname=")).containsExactly(LabelMatcher.equal("alertname", ""));
  }

  @Test
  void parse_commaAndEscapesInsideQuotes_stayInTheValue() {
    assertThat(Matchers.parse("{a=\"x,y\",b=\"q\\\"uote\\\\ \\n\"}"))
        .containsExactly(LabelMatcher.equal("a", "x,y"), LabelMatcher.equal("b", "q\"uote\\ \n"));
    // an unknown escape keeps its backslash, as Alertmanager does
    assertThat(Matchers.parseOne("a=\"\\d+\"")).isEqualTo(LabelMatcher.equal("a", "\\d+"));
  }

  @Test
  void parse_badInput_namesTheMatcherWithAlertmanagersWording() {
    assertThatThrownBy(() -> Matchers.parse("{foo}")).hasMessage("bad matcher format: foo");
    assertThatThrownBy(() -> Matchers.parse("a=\"b"))
        .hasMessage("matcher value contains unescaped double quote: \"b");
    assertThatThrownBy(() -> Matchers.parse("a=b\"c"))
        .hasMessage("matcher value contains unescaped double quote: b\"c");
    assertThatThrownBy(() -> Matchers.parse("1a=b")).hasMessage("bad matcher format: 1a=b");
    assertThatThrownBy(() -> Matchers.parse("a=~\"(\""))
        .hasMessageStartingWith("invalid regular expression \"(\"");
  }

  @Test
  void format_quotesEveryValue_andParsesBack() {
    List<LabelMatcher> ms = Matchers.parse("a=b,c!~\"x\\\"y\"");
    assertThat(Matchers.format(ms)).isEqualTo("{a=\"b\",c!~\"x\\\"y\"}");
    assertThat(Matchers.parse(Matchers.format(ms))).isEqualTo(ms);
  }
}
