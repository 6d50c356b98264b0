package dev.vigil.server.relabel;

import com.google.re2j.Matcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Names;
import dev.vigil.model.Regex;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies a list of {@link RelabelConfig} rules to a label set, with Prometheus' semantics
 * (including Go's {@code $name} expansion, where {@code $1_x} names a group "1_x").
 *
 * <pre>{@code
 * Labels out = Relabeler.process(labels, rules); // null when a keep/drop rule dropped it
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Relabeler {

  private Relabeler() {}

  /** The relabeled labels, or {@code null} when a rule dropped the series or target. */
  public static Labels process(Labels in, List<RelabelConfig> rules) {
    if (rules.isEmpty()) {
      return in;
    }
    TreeMap<String, String> m = new TreeMap<>();
    in.forEach(m::put);
    for (RelabelConfig r : rules) {
      if (!apply(m, r)) {
        return null;
      }
    }
    return Labels.of(m);
  }

  private static boolean apply(TreeMap<String, String> m, RelabelConfig r) {
    String val = join(m, r);
    switch (r.action()) {
      case DROP -> {
        return !r.regex().matches(val);
      }
      case KEEP -> {
        return r.regex().matches(val);
      }
      case DROPEQUAL -> {
        return !val.equals(m.getOrDefault(r.targetLabel(), ""));
      }
      case KEEPEQUAL -> {
        return val.equals(m.getOrDefault(r.targetLabel(), ""));
      }
      case REPLACE -> {
        Matcher mt = r.regex().matcher(val);
        if (!mt.matches()) {
          return true;
        }
        String target = Regex.expand(mt, r.targetLabel());
        if (!Names.isValidLabelName(target)) {
          return true;
        }
        String res = Regex.expand(mt, r.replacement());
        if (res.isEmpty()) {
          m.remove(target);
        } else {
          m.put(target, res);
        }
      }
      case LOWERCASE -> put(m, r.targetLabel(), val.toLowerCase(Locale.ROOT));
      case UPPERCASE -> put(m, r.targetLabel(), val.toUpperCase(Locale.ROOT));
      case HASHMOD -> put(m, r.targetLabel(), Long.toUnsignedString(hashmod(val, r.modulus())));
      case LABELMAP -> {
        List<Map.Entry<String, String>> add = new ArrayList<>();
        for (Map.Entry<String, String> e : m.entrySet()) {
          Matcher mt = r.regex().matcher(e.getKey());
          if (mt.matches()) {
            add.add(Map.entry(Regex.expand(mt, r.replacement()), e.getValue()));
          }
        }
        for (Map.Entry<String, String> e : add) {
          put(m, e.getKey(), e.getValue());
        }
      }
      case LABELDROP -> m.keySet().removeIf(k -> r.regex().matches(k));
      case LABELKEEP -> m.keySet().removeIf(k -> !r.regex().matches(k));
    }
    return true;
  }

  private static void put(TreeMap<String, String> m, String k, String v) {
    if (v.isEmpty()) {
      m.remove(k);
    } else {
      m.put(k, v);
    }
  }

  private static String join(TreeMap<String, String> m, RelabelConfig r) {
    List<String> src = r.sourceLabels();
    if (src.size() == 1) {
      return m.getOrDefault(src.get(0), "");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < src.size(); i++) {
      if (i > 0) {
        sb.append(r.separator());
      }
      sb.append(m.getOrDefault(src.get(i), ""));
    }
    return sb.toString();
  }

  /** Prometheus' hashmod: the low 8 bytes of the MD5 as a big-endian unsigned integer. */
  static long hashmod(String val, long modulus) {
    try {
      byte[] sum = MessageDigest.getInstance("MD5").digest(val.getBytes(StandardCharsets.UTF_8));
      long h = ByteBuffer.wrap(sum, 8, 8).getLong();
      return Long.remainderUnsigned(h, modulus);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JVM", e);
    }
  }
}
