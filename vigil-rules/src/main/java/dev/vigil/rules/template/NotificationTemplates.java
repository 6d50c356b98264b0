package dev.vigil.rules.template;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of notification templates as Alertmanager 0.25 keeps them: the {@code {{define}}} blocks of
 * its template files (later files override earlier ones), with Alertmanager's function table
 * ({@code toUpper}, {@code toLower}, {@code title}, {@code join}, {@code match}, {@code safeHtml},
 * {@code reReplaceAll}, {@code stringSlice} and Go's builtins). A receiver's text is parsed as a
 * new template named {@code ""} in that set and executed with the notification data as dot.
 *
 * <pre>{@code
 * NotificationTemplates t = NotificationTemplates.load(List.of(Map.entry("my.tmpl", text)));
 * String title = t.execute("{{ template \"my.title\" . }}", data);
 * }</pre>
 *
 * <p>Thread-safe; the template set is immutable, parsed receiver texts are cached. Data objects
 * reach the executor as {@link TemplateObject}s.
 */
public final class NotificationTemplates {
  private static final Exec.Context CONTEXT = new Exec.Context(null, 0, "", "");
  private static final Exec.Context HTML = new Exec.Context(null, 0, "", "", true);

  private final Map<String, Node.ListNode> defines;
  private final Map<String, CompiledTemplate.Source> sources;

  // Receivers' texts parsed once per config, not per notification; bounded like Templates'.
  private final java.util.concurrent.ConcurrentHashMap<String, CompiledTemplate> parsed =
      new java.util.concurrent.ConcurrentHashMap<>();

  private NotificationTemplates(
      Map<String, Node.ListNode> defines, Map<String, CompiledTemplate.Source> sources) {
    this.defines = Map.copyOf(defines);
    this.sources = Map.copyOf(sources);
  }

  /**
   * Parses template files in order, each named by its path (errors read {@code template:
   * <name>:<line>: ...}).
   *
   * @throws TemplateException on the first file that does not parse
   */
  public static NotificationTemplates load(List<Map.Entry<String, String>> files)
      throws TemplateException {
    Map<String, Node.ListNode> defines = new HashMap<>();
    Map<String, CompiledTemplate.Source> sources = new HashMap<>();
    for (Map.Entry<String, String> f : files) {
      Parser.Parsed p;
      try {
        p = Parser.parse(f.getKey(), f.getValue(), Functions.ALERTMANAGER);
      } catch (RuntimeException e) {
        throw new TemplateException("template: " + f.getKey() + ": internal parser error: " + e);
      }
      defines.putAll(p.defines());
      CompiledTemplate.Source src = new CompiledTemplate.Source(f.getKey(), f.getValue());
      for (String name : p.defines().keySet()) {
        sources.put(name, src);
      }
    }
    return new NotificationTemplates(defines, sources);
  }

  /** Whether a template of this name is defined. */
  public boolean defines(String name) {
    return defines.containsKey(name);
  }

  /** Parses a receiver's text without executing it (for config checks). */
  public void check(String text) throws TemplateException {
    parse(text);
  }

  private CompiledTemplate parse(String text) throws TemplateException {
    Parser.Parsed p;
    try {
      p = Parser.parse("", text, Functions.ALERTMANAGER);
    } catch (RuntimeException e) {
      throw new TemplateException("template: : internal parser error: " + e);
    }
    Map<String, Node.ListNode> all = new HashMap<>(defines);
    all.putAll(p.defines());
    Map<String, CompiledTemplate.Source> src = new HashMap<>(sources);
    src.keySet().removeAll(p.defines().keySet()); // defined in the text itself
    return new CompiledTemplate("", text, p.root(), all, src);
  }

  /**
   * Renders {@code text} with {@code data} as dot (missing map keys give "", as Alertmanager's
   * {@code missingkey=zero}).
   *
   * @throws TemplateException with Go's parse or execution error
   */
  public String execute(String text, Object data) throws TemplateException {
    return execute(text, data, CONTEXT);
  }

  /**
   * Renders {@code text} as {@link #execute} does, HTML-escaping every value an action prints (Go's
   * html/template escaper for text and quoted attributes; {@code safeHtml} values and pipelines
   * ending in {@code html} are kept as they are), as Alertmanager renders an email's {@code html}.
   */
  public String executeHtml(String text, Object data) throws TemplateException {
    return execute(text, data, HTML);
  }

  private String execute(String text, Object data, Exec.Context context) throws TemplateException {
    if (!text.contains("{{")) {
      return text;
    }
    CompiledTemplate t = parsed.get(text);
    if (t == null) {
      t = parse(text);
      if (parsed.size() >= Templates.CACHE_LIMIT) {
        parsed.clear();
      }
      parsed.put(text, t);
    }
    return t.execute(data, context);
  }
}
