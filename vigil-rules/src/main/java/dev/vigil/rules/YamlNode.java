package dev.vigil.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * One node of a rule file's YAML with the line it starts on, so every problem names its line. Map
 * keys keep their own lines (a misspelt key is reported where it is written).
 *
 * <p>Anchors and aliases are resolved as Go's yaml.v3 resolves them: an alias stands for the node
 * last anchored under its name, and carries the alias' own line. Expansion is bounded as yaml.v3
 * bounds it (a document where aliases make up too much of the decoded nodes is refused as
 * "excessive aliasing"), so a "billion laughs" file cannot make the rule walk explode. Merge keys
 * ({@code <<: *base}) merge a map, or a list of maps, under the keys written explicitly.
 */
public record YamlNode(
    Kind kind,
    int line,
    Map<String, YamlNode> map,
    Map<String, Integer> keyLines,
    List<YamlNode> list,
    String text,
    boolean quoted) {

  public enum Kind {
    MAP,
    LIST,
    SCALAR,
    NULL
  }

  /** Plain scalars YAML reads as null. */
  private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");

  /** Thrown for text that is not YAML or has a duplicate key. */
  public static final class YamlError extends Exception {
    final int line;

    /** 1-based line of the problem. */
    public int line() {
      return line;
    }

    YamlError(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  /** Parses the first document of {@code text}; an empty document is a NULL node. */
  public static YamlNode parse(String text) throws YamlError {
    Parser events = new ParserImpl(new StreamReader(text), new LoaderOptions());
    try {
      Event e = events.getEvent(); // stream start
      e = events.getEvent();
      if (e.is(Event.ID.StreamEnd)) {
        return new YamlNode(Kind.NULL, 1, Map.of(), Map.of(), List.of(), null, false);
      }
      return new Reader(events).read(events.getEvent()); // after the document start
    } catch (MarkedYAMLException x) {
      int line = x.getProblemMark() != null ? x.getProblemMark().getLine() + 1 : 0;
      String problem = x.getProblem() != null ? x.getProblem() : x.getMessage();
      String context = x.getContext() != null ? x.getContext() + ": " : "";
      throw new YamlError(line, "not valid YAML: " + context + problem);
    } catch (YAMLException x) {
      throw new YamlError(0, "not valid YAML: " + x.getMessage());
    }
  }

  /** Builds nodes from YAML events, remembering anchors and counting nodes as yaml.v3 does. */
  private static final class Reader {
    /* yaml.v3 allows aliases to make up 99% of the decoded nodes up to 400,000 nodes, then
    scales the share down to 10% at 4,000,000; it checks only past 100 aliased and 1,000 decoded
    nodes. */
    private static final long RATIO_LOW = 400_000;
    private static final long RATIO_HIGH = 4_000_000;
    private static final long CAP = Long.MAX_VALUE / 4;

    private final Parser events;
    private final Map<String, YamlNode> anchors = new HashMap<>();
    private final Map<YamlNode, Long> sizes = new IdentityHashMap<>();
    private long decoded;
    private long aliased;

    Reader(Parser events) {
      this.events = events;
    }

    YamlNode read(Event e) throws YamlError {
      int line = e.getStartMark().getLine() + 1;
      if (e instanceof AliasEvent a) {
        return alias(a.getAnchor(), line);
      }
      decoded = Math.min(CAP, decoded + 1);
      long before = decoded;
      YamlNode node = value(e, line);
      long size = 1 + (decoded - before);
      if (size > 1) {
        sizes.put(node, size);
      }
      String anchor = e instanceof NodeEvent n ? n.getAnchor() : null;
      if (anchor != null) {
        anchors.put(anchor, node);
      }
      return node;
    }

    private YamlNode alias(String name, int line) throws YamlError {
      YamlNode target = anchors.get(name);
      if (target == null) {
        throw new YamlError(line, "unknown anchor '" + name + "' referenced");
      }
      long size = sizes.getOrDefault(target, 1L);
      decoded = Math.min(CAP, decoded + size);
      aliased = Math.min(CAP, aliased + size);
      if (aliased > 100 && decoded > 1000 && (double) aliased / decoded > allowedRatio(decoded)) {
        throw new YamlError(line, "document contains excessive aliasing");
      }
      YamlNode at =
          new YamlNode(
              target.kind,
              line,
              target.map,
              target.keyLines,
              target.list,
              target.text,
              target.quoted);
      sizes.put(at, size);
      return at;
    }

    private static double allowedRatio(long decoded) {
      if (decoded <= RATIO_LOW) {
        return 0.99;
      }
      if (decoded >= RATIO_HIGH) {
        return 0.10;
      }
      return 0.99 - 0.89 * ((double) (decoded - RATIO_LOW) / (RATIO_HIGH - RATIO_LOW));
    }

    private YamlNode value(Event e, int line) throws YamlError {
      if (e instanceof MappingStartEvent) {
        Map<String, YamlNode> m = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        // Merge keys (<<: *base, or a list of maps): explicit keys win, then earlier sources.
        List<YamlNode> merged = new ArrayList<>();
        List<Integer> mergeLines = new ArrayList<>();
        Event k;
        while (!(k = events.getEvent()).is(Event.ID.MappingEnd)) {
          int keyLine = k.getStartMark().getLine() + 1;
          boolean mergeKey =
              k instanceof ScalarEvent ks && ks.isPlain() && "<<".equals(ks.getValue());
          YamlNode keyNode = read(k);
          String key = keyNode.kind == Kind.NULL ? "null" : keyNode.text;
          if (keyNode.kind == Kind.MAP || keyNode.kind == Kind.LIST) {
            throw new YamlError(keyLine, "a map key must be a scalar, got " + keyNode.describe());
          }
          YamlNode v = read(events.getEvent());
          if (mergeKey) {
            for (YamlNode source : v.kind == Kind.LIST ? v.list : List.of(v)) {
              if (source.kind != Kind.MAP) {
                throw new YamlError(
                    source.line, "map merge requires map or sequence of maps as the value");
              }
              merged.add(source);
              mergeLines.add(keyLine);
            }
            continue;
          }
          if (m.containsKey(key)) {
            throw new YamlError(
                keyLine, "mapping key \"" + key + "\" already defined at line " + lines.get(key));
          }
          m.put(key, v);
          lines.put(key, keyLine);
        }
        for (int i = 0; i < merged.size(); i++) {
          for (Map.Entry<String, YamlNode> en : merged.get(i).map.entrySet()) {
            if (!m.containsKey(en.getKey())) {
              m.put(en.getKey(), en.getValue());
              lines.put(en.getKey(), mergeLines.get(i));
            }
          }
        }
        return new YamlNode(
            Kind.MAP,
            line,
            Collections.unmodifiableMap(m),
            Collections.unmodifiableMap(lines),
            List.of(),
            null,
            false);
      }
      if (e instanceof SequenceStartEvent) {
        List<YamlNode> items = new ArrayList<>();
        Event i;
        while (!(i = events.getEvent()).is(Event.ID.SequenceEnd)) {
          items.add(read(i));
        }
        return new YamlNode(Kind.LIST, line, Map.of(), Map.of(), List.copyOf(items), null, false);
      }
      if (e instanceof ScalarEvent sc) {
        boolean plain = sc.isPlain();
        if (plain && NULLS.contains(sc.getValue())) {
          return new YamlNode(Kind.NULL, line, Map.of(), Map.of(), List.of(), null, false);
        }
        return new YamlNode(
            Kind.SCALAR, line, Map.of(), Map.of(), List.of(), sc.getValue(), !plain);
      }
      throw new YamlError(line, "not valid YAML: unexpected " + e.getEventId());
    }
  }

  public boolean isNull() {
    return kind == Kind.NULL;
  }

  public YamlNode get(String key) {
    return map.get(key);
  }

  public int keyLine(String key) {
    Integer l = keyLines.get(key);
    return l == null ? line : l;
  }

  public String describe() {
    return switch (kind) {
      case MAP -> "a map";
      case LIST -> "a list";
      case SCALAR -> "\"" + text + "\"";
      case NULL -> "null";
    };
  }
}
