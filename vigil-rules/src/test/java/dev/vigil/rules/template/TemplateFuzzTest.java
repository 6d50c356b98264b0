package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random templates built from template tokens: whatever the input, parsing either succeeds or gives
 * a TemplateException, and executing never hits the defect path ("panic expanding template").
 * Seeded, so a failure reproduces.
 */
class TemplateFuzzTest {
  private static final String[] TOKENS = {
    "{{",
    "}}",
    "{{- ",
    " -}}",
    " ",
    "|",
    "(",
    ")",
    ":=",
    "=",
    ",",
    ".",
    "$",
    "$x",
    "$labels",
    ".Labels",
    ".Value",
    ".job",
    "$value",
    "\"s\"",
    "`r`",
    "'c'",
    "1",
    "-2.5",
    "1e3",
    "0x1F",
    "true",
    "nil",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
    "and",
    "or",
    "not",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "len",
    "index",
    "slice",
    "print",
    "printf",
    "println",
    "html",
    "js",
    "urlquery",
    "call",
    "humanize",
    "humanize1024",
    "humanizeDuration",
    "humanizePercentage",
    "humanizeTimestamp",
    "toTime",
    "first",
    "label",
    "value",
    "strvalue",
    "args",
    "reReplaceAll",
    "match",
    "title",
    "toUpper",
    "toLower",
    "safeHtml",
    "sortByLabel",
    "query",
    "parseDuration",
    "pathPrefix",
    "externalURL",
    "graphLink",
    "tableLink",
    "\"%d %s %v %.2f %x\"",
    "\"t\"",
    "/*",
    "*/",
    "\n",
    "text",
    "\"(\""
  };

  @Test
  void randomTemplates_failOnlyWithTemplateErrors() {
    Expander x =
        Expander.builder()
            .queryFunction(
                (q, t) -> List.of(new QueryResultSample(Labels.of("__name__", "up", "a", q), 1)))
            .build();
    SplittableRandom r = new SplittableRandom(20261207);
    int parsed = 0;
    for (int i = 0; i < 30_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(1, 24);
      boolean structured = r.nextBoolean();
      for (int k = 0; k < n; k++) {
        if (structured && k % 4 == 0) {
          sb.append("{{ ");
        }
        sb.append(TOKENS[r.nextInt(TOKENS.length)]);
        if (structured) {
          sb.append(k % 4 == 3 ? " }}" : " ");
        }
      }
      String text = sb.toString();
      if (Templates.check("F", text).isPresent()) {
        continue;
      }
      parsed++;
      String out = x.expandAlert("F", text, Labels.of("job", "api"), r.nextDouble() * 1e4, 0);
      assertThat(out).as(text).doesNotContain("panic expanding template");
    }
    assertThat(parsed).as("templates that parsed").isGreaterThan(1_000);
  }
}
