package dev.vigil.server.vitals;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One beacon from {@code vitals.js}, checked whole before anything of it is recorded:
 *
 * <pre>{@code
 * {"page": "/orders/42",
 *  "vitals": {"lcp": 1.84, "ttfb": 0.21, "cls": 0.02, "inp": 0.12},
 *  "resources": {"script": [0.12, 0.3], "css": [0.05]},
 *  "marks": {"checkout_ready": 0.9}}
 * }</pre>
 *
 * Times in seconds; {@code cls} is a score. Only these four fields exist: a client cannot add
 * labels.
 *
 * @param page the path the page was loaded under
 * @param vitals values by {@link Vital}
 * @param resources resource durations by kind
 * @param marks {@code vigil.mark(name)} timings by name
 */
record Beacon(
    String page,
    Map<Vital, Double> vitals,
    Map<String, List<Double>> resources,
    Map<String, Double> marks) {

  /** What a beacon's {@code vitals} may hold: the metric each feeds and its largest value. */
  enum Vital {
    LCP("lcp", "vigil_browser_lcp_seconds", "Largest Contentful Paint", 600),
    FCP("fcp", "vigil_browser_fcp_seconds", "First Contentful Paint", 600),
    TTFB("ttfb", "vigil_browser_ttfb_seconds", "Time to first byte of the page", 600),
    INP("inp", "vigil_browser_inp_seconds", "Interaction to Next Paint", 600),
    FID("fid", "vigil_browser_fid_seconds", "First Input Delay", 600),
    CLS("cls", "vigil_browser_cls", "Cumulative Layout Shift (a score, not a time)", 100),
    DOM_CONTENT_LOADED(
        "dom_content_loaded",
        "vigil_browser_dom_content_loaded_seconds",
        "Navigation start to the end of DOMContentLoaded",
        600),
    LOAD(
        "load", "vigil_browser_load_seconds", "Navigation start to the end of the load event", 600);

    final String key;
    final String metric;
    final String help;
    final double max;

    Vital(String key, String metric, String help, double max) {
      this.key = key;
      this.metric = metric;
      this.help = help;
      this.max = max;
    }

    static Vital of(String key) {
      for (Vital v : values()) {
        if (v.key.equals(key)) {
          return v;
        }
      }
      return null;
    }

    static String keys() {
      List<String> out = new ArrayList<>();
      for (Vital v : values()) {
        out.add(v.key);
      }
      return String.join(", ", out);
    }
  }

  /** Resource kinds, as vitals.js maps {@code initiatorType}. */
  static final List<String> KINDS = List.of("script", "css", "img", "font", "fetch", "other");

  /** Resource timings and marks in one beacon, at most. */
  static final int MAX_RESOURCES = 100;

  static final int MAX_MARKS = 20;

  static final int MAX_PAGE_LENGTH = 1024;

  /** The longest time a resource or mark may report, seconds. */
  static final double MAX_SECONDS = 600;

  static final Pattern MARK = Pattern.compile("[a-z][a-z0-9_]{0,39}");

  private static final List<String> FIELDS = List.of("page", "vitals", "resources", "marks");

  private static final ObjectReader READER =
      Json.MAPPER
          .reader()
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Thrown for a beacon that is not what vitals.js sends; the message names the problem. */
  static final class BadBeacon extends Exception {
    BadBeacon(String message) {
      super(message);
    }
  }

  static Beacon parse(byte[] body) throws BadBeacon {
    if (body.length == 0) {
      throw new BadBeacon("empty body: a beacon is a JSON object (see docs/api.md)");
    }
    JsonNode root;
    try {
      root = READER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadBeacon("body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadBeacon("body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new BadBeacon("body must be a JSON object with page, vitals, resources and marks");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new BadBeacon(
            "unknown field \""
                + clip(f)
                + "\": a beacon has only page, vitals, resources and marks (labels are set by the"
                + " server, never by the client)");
      }
    }
    JsonNode p = root.get("page");
    if (p == null || !p.isTextual()) {
      throw new BadBeacon("page: missing or not a string (the path, e.g. \"/orders/42\")");
    }
    String page = p.textValue();
    if (!page.startsWith("/") || page.length() > MAX_PAGE_LENGTH) {
      throw new BadBeacon(
          "page: must be a path starting with / of at most " + MAX_PAGE_LENGTH + " characters");
    }
    Map<Vital, Double> vitals = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : entries(root, "vitals")) {
      Vital v = Vital.of(e.getKey());
      if (v == null) {
        throw new BadBeacon(
            "vitals: unknown metric \"" + clip(e.getKey()) + "\" (known: " + Vital.keys() + ")");
      }
      vitals.put(v, number("vitals." + v.key, e.getValue(), v.max));
    }
    Map<String, List<Double>> resources = new LinkedHashMap<>();
    int n = 0;
    for (Map.Entry<String, JsonNode> e : entries(root, "resources")) {
      String kind = e.getKey();
      if (!KINDS.contains(kind)) {
        throw new BadBeacon(
            "resources: unknown kind \""
                + clip(kind)
                + "\" (known: "
                + String.join(", ", KINDS)
                + ")");
      }
      if (!e.getValue().isArray()) {
        throw new BadBeacon("resources." + kind + ": expected an array of seconds");
      }
      List<Double> list = new ArrayList<>();
      for (JsonNode x : e.getValue()) {
        if (++n > MAX_RESOURCES) {
          throw new BadBeacon("resources: more than " + MAX_RESOURCES + " timings in one beacon");
        }
        list.add(number("resources." + kind, x, MAX_SECONDS));
      }
      resources.put(kind, list);
    }
    Map<String, Double> marks = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : entries(root, "marks")) {
      if (marks.size() >= MAX_MARKS) {
        throw new BadBeacon("marks: more than " + MAX_MARKS + " in one beacon");
      }
      if (!MARK.matcher(e.getKey()).matches()) {
        throw new BadBeacon(
            "marks: name \""
                + clip(e.getKey())
                + "\" is not lower-case letters, digits and _ (at most 40, starting with a letter)");
      }
      marks.put(e.getKey(), number("marks." + e.getKey(), e.getValue(), MAX_SECONDS));
    }
    if (vitals.isEmpty() && resources.isEmpty() && marks.isEmpty()) {
      throw new BadBeacon("beacon carries no vitals, resources or marks");
    }
    return new Beacon(page, vitals, resources, marks);
  }

  private static Iterable<Map.Entry<String, JsonNode>> entries(JsonNode root, String field)
      throws BadBeacon {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isObject()) {
      throw new BadBeacon(field + ": expected a JSON object");
    }
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    n.fields().forEachRemaining(out::add);
    return out;
  }

  private static double number(String where, JsonNode n, double max) throws BadBeacon {
    if (n == null || !n.isNumber()) {
      throw new BadBeacon(where + ": expected a number");
    }
    double v = n.doubleValue();
    if (!Double.isFinite(v) || v < 0 || v > max) {
      throw new BadBeacon(where + ": " + n.asText() + " is out of range (0 to " + (long) max + ")");
    }
    return v;
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
