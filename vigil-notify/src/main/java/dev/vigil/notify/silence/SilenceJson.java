package dev.vigil.notify.silence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.LabelMatcher;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Silences in Alertmanager 0.25's API v2 JSON: {@code gettableSilence} out, {@code postableSilence}
 * in, with its key order, its millisecond RFC 3339 times and its validation messages.
 *
 * <pre>{@code
 * Silence s = SilenceJson.fromPostable(mapper.readTree(body)); // SilenceJson.Invalid on bad input
 * ObjectNode out = SilenceJson.gettable(s, now);
 * }</pre>
 */
public final class SilenceJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

  private SilenceJson() {}

  /**
   * Input that API v2 refuses before it reaches the silences, answered as Alertmanager 0.25 does: a
   * schema error is 422 with {@code {"code":602,"message":…}} ({@link #code()} non-zero), an
   * unreadable body 400 with {@code {"code":400,…}}, an invalid matcher 400 with the message as a
   * JSON string ({@link #code()} 0).
   */
  public static final class Invalid extends RuntimeException {
    private final int status;
    private final int code;

    Invalid(int status, int code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }

    /** The HTTP status: 400 or 422. */
    public int status() {
      return status;
    }

    /** go-swagger's error code (602 required, 601 type, 612 too few items, 400), 0 for none. */
    public int code() {
      return code;
    }
  }

  /** A time as Alertmanager prints it: {@code 2026-12-07T18:00:00.000Z}. */
  public static String time(Instant t) {
    return MILLIS.format(t.atOffset(ZoneOffset.UTC));
  }

  /** The {@code gettableSilence} object, keys in Alertmanager's order. */
  public static ObjectNode gettable(Silence s, Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", s.id());
    o.putObject("status").put("state", s.state(now).apiName());
    o.put("updatedAt", time(s.updatedAt()));
    o.put("comment", s.comment());
    o.put("createdBy", s.createdBy());
    o.put("endsAt", time(s.endsAt()));
    o.set("matchers", matchers(s.matchers()));
    o.put("startsAt", time(s.startsAt()));
    return o;
  }

  /** Matchers as API v2 writes them: {@code {"isEqual":…,"isRegex":…,"name":…,"value":…}}. */
  public static ArrayNode matchers(List<LabelMatcher> ms) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (LabelMatcher m : ms) {
      ObjectNode mo = a.addObject();
      mo.put("isEqual", m.type() == LabelMatcher.Type.EQUAL || m.type() == LabelMatcher.Type.REGEX);
      mo.put(
          "isRegex",
          m.type() == LabelMatcher.Type.REGEX || m.type() == LabelMatcher.Type.NOT_REGEX);
      mo.put("name", m.name());
      mo.put("value", m.value());
    }
    return a;
  }

  /**
   * Reads a {@code postableSilence}: {@code id} (optional, to update), {@code matchers}, {@code
   * startsAt}, {@code endsAt}, {@code createdBy}, {@code comment} (all required).
   *
   * @throws Invalid for a missing or mistyped field (422) or a matcher Alertmanager refuses (400)
   */
  public static Silence fromPostable(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new Invalid(
          400, 400, "parsing silence body from \"\" failed, because the body is not a JSON object");
    }
    String id = optionalString(n, "id", "body");
    String createdBy = requiredString(n, "createdBy");
    String comment = requiredString(n, "comment");
    Instant startsAt = requiredTime(n, "startsAt");
    Instant endsAt = requiredTime(n, "endsAt");
    JsonNode ms = n.get("matchers");
    if (ms == null || ms.isNull()) {
      throw new Invalid(422, 602, "matchers in body is required");
    }
    if (!ms.isArray()) {
      throw new Invalid(422, 601, "matchers in body must be of type array");
    }
    if (ms.isEmpty()) {
      throw new Invalid(422, 612, "matchers in body should have at least 1 items");
    }
    List<LabelMatcher> matchers = new ArrayList<>();
    for (int i = 0; i < ms.size(); i++) {
      JsonNode m = ms.get(i);
      String at = "matchers." + i;
      String name = requiredString(m, "name", at);
      String value = requiredString(m, "value", at);
      boolean isRegex = requiredBool(m, "isRegex", at);
      JsonNode eq = m.get("isEqual");
      boolean isEqual = eq == null || eq.isNull() || eq.asBoolean(true);
      LabelMatcher.Type type =
          isRegex
              ? (isEqual ? LabelMatcher.Type.REGEX : LabelMatcher.Type.NOT_REGEX)
              : (isEqual ? LabelMatcher.Type.EQUAL : LabelMatcher.Type.NOT_EQUAL);
      try {
        matchers.add(Matchers.of(type, name, value));
      } catch (IllegalArgumentException e) {
        throw new Invalid(
            400, 0, "silence invalid: invalid label matcher " + i + ": " + e.getMessage());
      }
    }
    return new Silence(id, matchers, startsAt, endsAt, null, createdBy, comment);
  }

  private static String requiredString(JsonNode n, String key) {
    return requiredString(n, key, null);
  }

  private static String requiredString(JsonNode n, String key, String at) {
    String where = at == null ? "" : at + ".";
    JsonNode v = n == null ? null : n.get(key);
    if (v == null || v.isNull()) {
      throw new Invalid(422, 602, where + key + " in body is required");
    }
    if (!v.isTextual()) {
      throw new Invalid(422, 601, where + key + " in body must be of type string");
    }
    return v.asText();
  }

  private static String optionalString(JsonNode n, String key, String in) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new Invalid(422, 601, key + " in " + in + " must be of type string");
    }
    return v.asText();
  }

  private static boolean requiredBool(JsonNode n, String key, String at) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      throw new Invalid(422, 602, at + "." + key + " in body is required");
    }
    if (!v.isBoolean()) {
      throw new Invalid(422, 601, at + "." + key + " in body must be of type boolean");
    }
    return v.asBoolean();
  }

  private static Instant requiredTime(JsonNode n, String key) {
    String s = requiredString(n, key);
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw new Invalid(
          400,
          400,
          "parsing silence body from \"\" failed, because parsing time \""
              + s
              + "\" as an RFC 3339 date-time failed");
    }
  }

  /**
   * Whether a silence passes API v2's {@code filter} matchers, as Alertmanager 0.25's {@code
   * CheckSilenceMatchesFilterLabels}: for each filter matcher the silence has a matcher with the
   * same name, operator and value (a filter {@code alertname=~"Disk.*"} finds the silences written
   * with that very regex, not those for {@code alertname="DiskFull"}).
   */
  public static boolean passesFilter(Silence s, List<LabelMatcher> filter) {
    for (LabelMatcher f : filter) {
      if (!s.matchers().contains(f)) {
        return false;
      }
    }
    return true;
  }

  // The persisted form: the gettable form without the state.
  static String encode(Silence s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", s.id());
    o.set("matchers", matchers(s.matchers()));
    o.put("startsAt", s.startsAt().toEpochMilli());
    o.put("endsAt", s.endsAt().toEpochMilli());
    o.put("updatedAt", s.updatedAt().toEpochMilli());
    o.put("createdBy", s.createdBy());
    o.put("comment", s.comment());
    return o.toString();
  }

  static Silence decode(String json) throws java.io.IOException {
    JsonNode o = MAPPER.readTree(json);
    List<LabelMatcher> ms = new ArrayList<>();
    for (JsonNode m : o.get("matchers")) {
      boolean re = m.get("isRegex").asBoolean();
      boolean eq = m.get("isEqual").asBoolean();
      LabelMatcher.Type t =
          re
              ? (eq ? LabelMatcher.Type.REGEX : LabelMatcher.Type.NOT_REGEX)
              : (eq ? LabelMatcher.Type.EQUAL : LabelMatcher.Type.NOT_EQUAL);
      ms.add(LabelMatcher.of(t, m.get("name").asText(), m.get("value").asText()));
    }
    return new Silence(
        o.get("id").asText(),
        ms,
        Instant.ofEpochMilli(o.get("startsAt").asLong()),
        Instant.ofEpochMilli(o.get("endsAt").asLong()),
        Instant.ofEpochMilli(o.get("updatedAt").asLong()),
        o.get("createdBy").asText(),
        o.get("comment").asText());
  }
}
