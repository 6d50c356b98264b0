package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportDefinitionTest {
  @TempDir Path dir;

  @Test
  void builtins_allParse_withTheSeedsReports() {
    ReportLibrary lib = ReportLibrary.of(null);
    assertThat(lib.names())
        .containsExactly("system_performance", "weekly_summary", "cost", "quality_trends");
    assertThat(lib.get("cost").title()).isEqualTo("Cost by provider and model");
    assertThat(lib.get("weekly_summary").range()).isEqualTo(Duration.ofDays(7));
    // Built-ins are parsed on first use: each one must parse when asked for.
    for (String name : ReportLibrary.BUILTIN) {
      assertThat(lib.get(name).title()).as(name).isNotBlank();
    }
  }

  @Test
  void unknownKey_isNamedWithFileLineAndKeyPath() {
    String yaml =
        "title: T\nsections:\n  - title: A\n    chart:\n      query: up\n      colour: red\n";
    assertThatThrownBy(() -> ReportDefinition.parse("r.yml", yaml, "r"))
        .isInstanceOf(ReportException.class)
        .hasMessage(
            "r.yml:6: sections[0].chart.colour: unknown key (known: query, unit, legend, caption,"
                + " kind)");
  }

  @Test
  void badPromql_badUnit_missingTitle_areNamedWithTheirLine() {
    assertThatThrownBy(
            () ->
                ReportDefinition.parse(
                    "r.yml",
                    "sections:\n  - title: A\n    stats:\n      - {title: x, query: 'sum(('}\n",
                    "r"))
        .hasMessageStartingWith("r.yml:4: sections[0].stats[0].query: invalid PromQL: ");
    assertThatThrownBy(
            () ->
                ReportDefinition.parse(
                    "r.yml",
                    "sections:\n  - title: A\n    chart:\n      query: up\n      unit: furlongs\n",
                    "r"))
        .hasMessageStartingWith("r.yml:5: sections[0].chart.unit: unknown unit \"furlongs\"");
    assertThatThrownBy(() -> ReportDefinition.parse("r.yml", "sections:\n  - text: hi\n", "r"))
        .hasMessage("r.yml:2: sections[0].title: every section needs a title");
    assertThatThrownBy(() -> ReportDefinition.parse("r.yml", "range: 3 days\nsections: []\n", "r"))
        .hasMessageContaining("r.yml:1: range: expected a positive duration");
  }

  @Test
  void folder_addsCustomReports_reloadsEditedFiles_andKeepsOthersWorkingBesideABrokenOne()
      throws Exception {
    Files.writeString(
        dir.resolve("mine.yml"), "title: Mine\nsections:\n  - title: A\n    text: hello\n");
    Files.writeString(dir.resolve("broken.yaml"), "title: [\n");
    ReportLibrary lib = ReportLibrary.of(dir);
    assertThat(lib.names()).contains("mine", "broken");
    assertThat(lib.get("mine").title()).isEqualTo("Mine");
    assertThatThrownBy(lib::check)
        .hasMessageContaining("broken.yaml:")
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> lib.get("broken")).hasMessageContaining("broken.yaml");

    // An edit is seen on the next lookup (size changes, so no reliance on the clock's resolution).
    Files.writeString(
        dir.resolve("mine.yml"), "title: Mine, edited\nsections:\n  - title: A\n    text: hello\n");
    assertThat(lib.get("mine").title()).isEqualTo("Mine, edited");
  }

  @Test
  void namesThatArePaths_areRefused_evenWhenTheFileExists() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.yml"), "sections:\n  - title: A\n    text: x\n");
    Path folder = Files.createDirectories(dir.resolve("reports"));
    ReportLibrary lib = ReportLibrary.of(folder);
    for (String bad : new String[] {"../outside/secret", "/etc/passwd", "a/b", "..", ""}) {
      assertThatThrownBy(() -> lib.get(bad))
          .isInstanceOf(ReportException.class)
          .hasMessageContaining("invalid report name");
    }
    // A link inside the folder to a file outside it is refused too.
    Files.createSymbolicLink(folder.resolve("link.yml"), outside.resolve("secret.yml"));
    assertThatThrownBy(() -> lib.get("link")).hasMessageContaining("outside reports.folder");
  }
}
