package dev.vigil.notify.builtin;

import dev.vigil.rules.template.NotificationTemplates;
import dev.vigil.rules.template.TemplateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The notification templates of a config: the built-in {@code default.tmpl} (Alertmanager 0.25's
 * template names), then the files of {@code templates:} in order, whose {@code {{define}}} blocks
 * override it. Renders receivers' texts with {@link TemplateData} as dot. Immutable.
 */
final class NotifyTemplates {
  static final String DEFAULT_NAME = "default.tmpl";
  private static final String DEFAULT_TEXT = readDefault();

  /** The built-in templates only. */
  static final NotifyTemplates DEFAULT = load(Path.of("."), List.of());

  private final NotificationTemplates set;

  private NotifyTemplates(NotificationTemplates set) {
    this.set = set;
  }

  /** A template failed to render; the notification fails with this message. */
  static final class RenderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RenderException(String message) {
      super(message, null, false, false);
    }
  }

  private static String readDefault() {
    try (InputStream in = NotifyTemplates.class.getResourceAsStream(DEFAULT_NAME)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULT_NAME + " missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the files matching the globs (relative to {@code base}; a glob's wildcards are in its
   * file name part, as in Alertmanager's configs) in glob order, each glob's matches by name.
   *
   * @throws IllegalArgumentException naming the file (and line for a parse error)
   */
  static NotifyTemplates load(Path base, List<String> globs) {
    List<Map.Entry<String, String>> files = new ArrayList<>();
    files.add(Map.entry(DEFAULT_NAME, DEFAULT_TEXT));
    for (String glob : globs) {
      for (Path p : expand(base, glob)) {
        try {
          files.add(Map.entry(p.toString(), Files.readString(p)));
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read template file " + p + ": " + e);
        }
      }
    }
    try {
      return new NotifyTemplates(NotificationTemplates.load(files));
    } catch (TemplateException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static List<Path> expand(Path base, String glob) {
    Path pattern = base.resolve(glob);
    Path dir = pattern.getParent();
    String name = pattern.getFileName().toString();
    List<Path> out = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return out; // as Go's filepath.Glob: no match is no error
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("bad template glob " + glob + ": " + e.getMessage());
    }
    out.sort(null);
    return out;
  }

  /** Checks that a receiver's text parses. */
  static void check(String text) throws TemplateException {
    DEFAULT.set.check(text);
  }

  /**
   * Renders an email's {@code html} (null: the default): printed values HTML-escaped as
   * Alertmanager's html/template does for text and quoted attributes.
   */
  String renderHtml(String text, String defaultText, NotificationData d) {
    String t = text == null ? defaultText : text;
    try {
      return set.executeHtml(t, TemplateData.of(d));
    } catch (TemplateException e) {
      throw new RenderException(e.getMessage());
    }
  }

  /** Renders a receiver's text (null: the default template text). */
  String render(String text, String defaultText, NotificationData d) {
    String t = text == null ? defaultText : text;
    try {
      return set.execute(t, TemplateData.of(d));
    } catch (TemplateException e) {
      throw new RenderException(e.getMessage());
    }
  }
}
