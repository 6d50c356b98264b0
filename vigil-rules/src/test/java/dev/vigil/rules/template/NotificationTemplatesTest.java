package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationTemplatesTest {
  /** A struct with a slice field, a map field and a method taking an argument. */
  record Obj(List<String> names, Map<String, String> labels) implements TemplateObject {
    @Override
    public Object field(String name, List<Object> args) {
      return switch (name) {
        case "Names" -> names;
        case "Labels" -> labels;
        case "Prefix" -> {
          if (args.size() != 1 || !(args.get(0) instanceof String p)) {
            throw new IllegalArgumentException("Prefix takes one string");
          }
          yield names.stream().map(n -> p + n).toList();
        }
        default -> NO_SUCH_FIELD;
      };
    }

    @Override
    public String goTypeName() {
      return "*test.Obj";
    }
  }

  private static final Obj DOT = new Obj(List.of("b", "a"), Map.of("z", "1", "y", "2"));

  private static String run(String text) throws TemplateException {
    return NotificationTemplates.load(List.of()).execute(text, DOT);
  }

  @Test
  void fieldsMethodsSlicesAndMaps_ofACallersObject() throws TemplateException {
    assertThat(run("{{ range $i, $n := .Names }}{{ $i }}={{ $n }} {{ end }}"))
        .isEqualTo("0=b 1=a ");
    assertThat(run("{{ .Names }} {{ len .Names }} {{ .Labels }} {{ .Labels.y }}"))
        .isEqualTo("[b a] 2 map[y:2 z:1] 2");
    assertThat(run("{{ .Prefix \"x-\" | join \",\" }}")).isEqualTo("x-b,x-a");
    assertThat(run("{{ stringSlice \"p\" \"q\" | join \"+\" }}{{ if .Names }} yes{{ end }}"))
        .isEqualTo("p+q yes");
    assertThat(
            run("{{ \"web server\" | title }} {{ match \"^w\" \"web\" }} {{ safeHtml \"<b>\" }}"))
        .isEqualTo("Web Server true <b>");
  }

  @Test
  void errors_areGos() {
    assertThatThrownBy(() -> run("{{ .Nope }}"))
        .hasMessage(
            "template: :1:3: executing \"\" at <.Nope>: can't evaluate field Nope in type *test.Obj");
    assertThatThrownBy(() -> run("{{ .Prefix 1 }}"))
        .hasMessageContaining("error calling Prefix: Prefix takes one string");
    // Prometheus' functions are not Alertmanager's.
    assertThatThrownBy(() -> run("{{ 1 | humanize }}"))
        .hasMessage("template: :1: function \"humanize\" not defined");
  }

  @Test
  void filesDefines_areUsable_andLaterFilesOverrideEarlierOnes() throws TemplateException {
    NotificationTemplates t =
        NotificationTemplates.load(
            List.of(
                Map.entry("a.tmpl", "{{ define \"x\" }}A{{ end }}{{ define \"y\" }}Y{{ end }}"),
                Map.entry("b.tmpl", "{{ define \"x\" }}B{{ end }}")));
    assertThat(t.execute("{{ template \"x\" . }}{{ template \"y\" . }}", DOT)).isEqualTo("BY");
    assertThatThrownBy(
            () -> NotificationTemplates.load(List.of(Map.entry("c.tmpl", "ok\n{{ if }}"))))
        .hasMessage("template: c.tmpl:2: missing value for if");
  }
}
