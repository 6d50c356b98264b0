package dev.vigil.notify.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Alertmanager's API v2 for alerts: {@code GET/POST /api/v2/alerts}, {@code GET
 * /api/v2/alerts/groups}, {@code GET /api/v2/receivers}; request and answer shapes as
 * Alertmanager's OpenAPI spec, so {@code amtool alert query} works unchanged. Bad input gets a 400
 * naming the problem. Thread-safe.
 */
public final class AlertsApi {
  private final BuiltinNotifier notifier;

  AlertsApi(BuiltinNotifier notifier) {
    this.notifier = notifier;
  }

  /** An answer: status and JSON body. */
  public record Response(int status, String body) {}

  /**
   * Answers one request.
   *
   * @param query the query parameters, each with its values in order
   */
  public Response handle(String method, String path, Map<String, List<String>> query, String body) {
    try {
      return switch (path) {
        case "/api/v2/alerts" ->
            switch (method) {
              case "GET" -> ok(alerts(query));
              case "POST" -> post(body);
              default -> notAllowed();
            };
        case "/api/v2/alerts/groups" -> method.equals("GET") ? ok(groups(query)) : notAllowed();
        case "/api/v2/receivers" ->
            method.equals("GET")
                ? ok(notifier.receiverNames().stream().map(n -> Map.of("name", n)).toList())
                : notAllowed();
        default -> new Response(404, json("not found"));
      };
    } catch (BadRequest e) {
      return new Response(400, json(e.getMessage()));
    }
  }

  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String m) {
      super(m, null, false, false);
    }
  }

  private static Response notAllowed() {
    return new Response(405, json("method not allowed"));
  }

  private static String json(Object o) {
    try {
      return Integrations.JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Response ok(Object o) {
    return new Response(200, json(o));
  }

  /*
   * The array is read one alert at a time (a tree per alert, not one for the whole body): for
   * 10,000 alerts in one POST the whole tree was about 12 MB of garbage at once, which grew the
   * heap and the resident set (NotifierLoadBenchmark).
   */
  private Response post(String body) {
    List<BuiltinNotifier.PostableAlert> alerts = new ArrayList<>();
    try (com.fasterxml.jackson.core.JsonParser p =
        Integrations.JSON.createParser(body == null ? "" : body)) {
      com.fasterxml.jackson.core.JsonToken first = p.nextToken();
      if (first != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
        if (first != null) {
          Integrations.JSON.readTree(p); // a syntax error is reported as such
          p.nextToken();
        }
        throw new BadRequest("body must be a JSON array of alerts");
      }
      int i = 0;
      Times times = new Times();
      while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
        JsonNode a = Integrations.JSON.readTree(p);
        alerts.add(postable(a, "alerts[" + i + "]", times));
        i++;
      }
      if (p.nextToken() != null) {
        throw new BadRequest("body is not valid JSON: trailing content after the array");
      }
    } catch (JsonProcessingException e) {
      throw new BadRequest("body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadRequest("body is not valid JSON: " + e.getMessage());
    }
    notifier.post(alerts);
    return new Response(200, "");
  }

  /**
   * The last time parsed in one POST: the alerts of a batch mostly share their startsAt (a rule's
   * evaluation), parsed once instead of once per alert.
   */
  private static final class Times {
    private String text;
    private Instant at;

    Instant parse(String t) {
      if (!t.equals(text)) {
        at = java.time.OffsetDateTime.parse(t).toInstant();
        text = t;
      }
      return at;
    }
  }

  private static BuiltinNotifier.PostableAlert postable(JsonNode a, String where, Times times) {
    if (!a.isObject()) {
      throw new BadRequest(where + ": must be an object");
    }
    Map<String, String> labels = strMap(a.get("labels"), where + ".labels");
    if (labels.isEmpty()) {
      throw new BadRequest(where + ".labels: at least one label pair required");
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!labelName(e.getKey())) {
        throw new BadRequest(where + ".labels: invalid label name " + GoQuote.quote(e.getKey()));
      }
      if (e.getValue().isEmpty()) {
        throw new BadRequest(where + ".labels: empty value for label " + e.getKey());
      }
    }
    Instant start = time(a.get("startsAt"), "startsAt", where, times);
    Instant end = time(a.get("endsAt"), "endsAt", where, times);
    if (start != null && end != null && end.isBefore(start)) {
      throw new BadRequest(where + ": start time must be before end time");
    }
    JsonNode gen = a.get("generatorURL");
    return new BuiltinNotifier.PostableAlert(
        labels,
        strMap(a.get("annotations"), where + ".annotations"),
        start,
        end,
        gen == null || gen.isNull() ? "" : gen.asText());
  }

  /** {@code [a-zA-Z_][a-zA-Z0-9_]*}, without a regex matcher per label of each posted alert. */
  static boolean labelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> strMap(JsonNode n, String where) {
    Map<String, String> m = new TreeMap<>();
    if (n == null || n.isNull()) {
      return m;
    }
    if (!n.isObject()) {
      throw new BadRequest(where + ": must be an object of strings");
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!e.getValue().isTextual()) {
        throw new BadRequest(where + "." + e.getKey() + ": must be a string");
      }
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }

  private static Instant time(JsonNode n, String key, String where, Times times) {
    if (n == null
        || n.isNull()
        || n.asText().isEmpty()
        || n.asText().startsWith("0001-01-01T00:00:00")) {
      return null;
    }
    try {
      return times.parse(n.asText());
    } catch (DateTimeParseException e) {
      throw new BadRequest(where + "." + key + ": not an RFC 3339 time: " + n.asText());
    }
  }

  private static boolean flag(Map<String, List<String>> q, String k) {
    List<String> v = q.get(k);
    if (v == null || v.isEmpty()) {
      return true;
    }
    return switch (v.get(0)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new BadRequest(k + ": must be true or false, not " + v.get(0));
    };
  }

  private record Filter(
      List<Matcher> matchers,
      Pattern receiver,
      boolean active,
      boolean silenced,
      boolean inhibited) {}

  private static Filter filter(Map<String, List<String>> q) {
    List<Matcher> ms = new ArrayList<>();
    for (String f : q.getOrDefault("filter", List.of())) {
      try {
        ms.addAll(Matcher.parseList(f));
      } catch (IllegalArgumentException e) {
        throw new BadRequest("filter: " + e.getMessage());
      }
    }
    Pattern recv = null;
    List<String> r = q.get("receiver");
    if (r != null && !r.isEmpty() && !r.get(0).isEmpty()) {
      try {
        recv = Pattern.compile("^(?:" + r.get(0) + ")$");
      } catch (PatternSyntaxException e) {
        throw new BadRequest("receiver: invalid regular expression: " + e.getDescription());
      }
    }
    flag(q, "unprocessed");
    return new Filter(ms, recv, flag(q, "active"), flag(q, "silenced"), flag(q, "inhibited"));
  }

  private List<Map<String, Object>> alerts(Map<String, List<String>> q) {
    Filter f = filter(q);
    Dispatcher d = notifier.dispatcher();
    Instant now = notifier.now();
    List<Alert> all = d.alerts();
    all.sort(Comparator.comparing(a -> Alert.fingerprintHex(a.fingerprint())));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Alert a : all) {
      Map<String, Object> g = gettable(a, d, now, f);
      if (g != null) {
        out.add(g);
      }
    }
    return out;
  }

  /** The gettable alert, or null when resolved or filtered out. */
  private static Map<String, Object> gettable(Alert a, Dispatcher d, Instant now, Filter f) {
    if (a.resolvedAt(now) || !Matcher.all(f.matchers(), a.labels())) {
      return null;
    }
    List<String> receivers = d.receiversOf(a);
    if (f.receiver() != null
        && receivers.stream().noneMatch(r -> f.receiver().matcher(r).matches())) {
      return null;
    }
    List<String> inhibitedBy = d.inhibitedBy(a).stream().map(Alert::fingerprintHex).toList();
    List<String> silencedBy = d.silencedBy(a);
    boolean suppressed = !inhibitedBy.isEmpty() || !silencedBy.isEmpty();
    if ((!f.inhibited() && !inhibitedBy.isEmpty())
        || (!f.silenced() && !silencedBy.isEmpty())
        || (!f.active() && !suppressed)) {
      return null;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("inhibitedBy", inhibitedBy);
    status.put("silencedBy", silencedBy);
    status.put("state", suppressed ? "suppressed" : "active");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("annotations", a.annotations());
    m.put("endsAt", NotificationData.time(a.endsAt()));
    m.put("fingerprint", Alert.fingerprintHex(a.fingerprint()));
    m.put("receivers", receivers.stream().map(r -> Map.of("name", r)).toList());
    m.put("startsAt", NotificationData.time(a.startsAt()));
    m.put("status", status);
    m.put("updatedAt", NotificationData.time(a.updatedAt()));
    m.put("generatorURL", a.generatorURL());
    m.put("labels", a.labels());
    return m;
  }

  private List<Map<String, Object>> groups(Map<String, List<String>> q) {
    Filter f = filter(q);
    Dispatcher d = notifier.dispatcher();
    Instant now = notifier.now();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Dispatcher.GroupView g : d.groups()) {
      if (f.receiver() != null && !f.receiver().matcher(g.receiver()).matches()) {
        continue;
      }
      List<Map<String, Object>> as = new ArrayList<>();
      for (Alert a : g.alerts()) {
        Map<String, Object> ga = gettable(a, d, now, f);
        if (ga != null) {
          as.add(ga);
        }
      }
      if (as.isEmpty()) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("alerts", as);
      m.put("labels", g.labels());
      m.put("receiver", Map.of("name", g.receiver()));
      out.add(m);
    }
    return out;
  }
}
