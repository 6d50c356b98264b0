package dev.vigil.server.config;

import dev.vigil.notify.builtin.YNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hands the {@code notify} section to the notifier's binder as its tree type, lines kept. */
public final class NotifyYaml {
  private NotifyYaml() {}

  /** The section as the notifier's tree. */
  public static YNode tree(ConfigNode n) {
    return switch (n.kind()) {
      case MAP -> {
        Map<String, YNode> m = new LinkedHashMap<>();
        n.entries().forEach((k, v) -> m.put(k, tree(v)));
        yield new YNode(n.source(), n.line(), m, null, null);
      }
      case LIST -> {
        List<YNode> l = new ArrayList<>();
        for (ConfigNode x : n.items()) {
          l.add(tree(x));
        }
        yield new YNode(n.source(), n.line(), null, l, null);
      }
      case SCALAR -> new YNode(n.source(), n.line(), null, null, n.text());
      case NULL -> new YNode(n.source(), n.line(), null, null, null);
    };
  }
}
