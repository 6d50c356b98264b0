package dev.vigil.cli.tsdb;

import dev.vigil.model.Labels;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads label sets, one flat JSON object of strings per line ({@code promtool tsdb bench write}'s
 * input). Strings are the JVM's interned copies, as the scrape path keeps them (so the head takes
 * the label sets as they are instead of copying each with interned strings).
 */
public final class LabelsJson {
  private LabelsJson() {}

  /** Reads up to {@code max} label sets. */
  public static List<Labels> read(Path file, int max) throws IOException {
    List<Labels> out = new ArrayList<>();
    Map<String, String> interned = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNo = 0;
      for (String line; out.size() < max && (line = r.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(parse(line, interned));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  static Labels parse(String s, Map<String, String> interned) {
    List<String> nv = new ArrayList<>();
    boolean plain = s.indexOf('\\') < 0; // no escapes on the line
    int[] pos = {skip(s, 0)};
    expect(s, pos, '{');
    if (peek(s, pos) == '}') {
      return Labels.EMPTY;
    }
    while (true) {
      String k = string(s, pos, plain);
      expect(s, pos, ':');
      String v = string(s, pos, plain);
      nv.add(interned.computeIfAbsent(k, String::intern));
      nv.add(interned.computeIfAbsent(v, String::intern));
      char c = peek(s, pos);
      pos[0]++;
      if (c == '}') {
        return Labels.of(nv.toArray(new String[0]));
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected , or } at column " + pos[0]);
      }
    }
  }

  private static char peek(String s, int[] pos) {
    pos[0] = skip(s, pos[0]);
    if (pos[0] >= s.length()) {
      throw new IllegalArgumentException("unexpected end of line");
    }
    return s.charAt(pos[0]);
  }

  private static void expect(String s, int[] pos, char c) {
    if (peek(s, pos) != c) {
      throw new IllegalArgumentException("expected " + c + " at column " + (pos[0] + 1));
    }
    pos[0]++;
  }

  private static String string(String s, int[] pos, boolean plain) {
    expect(s, pos, '"');
    // Most strings have no escape: one substring instead of a StringBuilder per character keeps
    // this loop small, so its optimizing compile no longer runs into the timed ingest that follows.
    int close = s.indexOf('"', pos[0]);
    if (close >= 0 && plain) {
      String v = s.substring(pos[0], close);
      pos[0] = close + 1;
      return v;
    }
    StringBuilder b = new StringBuilder();
    for (int i = pos[0]; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        pos[0] = i + 1;
        return b.toString();
      }
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'u' -> {
            b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
            i += 4;
          }
          default -> b.append(e);
        }
      } else {
        b.append(c);
      }
    }
    throw new IllegalArgumentException("unterminated string at column " + pos[0]);
  }

  private static int skip(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
