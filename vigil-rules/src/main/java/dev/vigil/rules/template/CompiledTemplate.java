package dev.vigil.rules.template;

import java.util.Map;

/**
 * A parsed template: its name, the text it was parsed from (for error positions), the main tree and
 * the templates it defines. Immutable, so one instance serves every expansion.
 */
record CompiledTemplate(
    String name,
    String text,
    Node.ListNode root,
    Map<String, Node.ListNode> defines,
    Map<String, Source> sources) {
  /** The file a defined template came from, for its error positions. */
  record Source(String name, String text) {}

  static CompiledTemplate parse(String name, String text) throws TemplateException {
    Parser.Parsed p = Parser.parse(name, text, Functions.PROMETHEUS);
    return new CompiledTemplate(name, text, p.root(), Map.copyOf(p.defines()), Map.of());
  }

  /** Where template {@code current} was parsed from: its file, else this template's text. */
  Source sourceOf(String current) {
    Source s = sources.get(current);
    return s != null ? s : new Source(name, text);
  }

  /** Executes with data as dot; returns the output or throws Go's execution error. */
  String execute(Object data, Exec.Context ctx) throws TemplateException {
    StringBuilder out = new StringBuilder(text.length() + 32);
    try {
      new Exec(this, ctx, out).execute(data);
    } catch (Exec.ExecError e) {
      throw new TemplateException(e.getMessage());
    }
    return out.toString();
  }
}
