package dev.vigil.rules.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.Labels;
import dev.vigil.rules.AlertState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A record's payload: one JSON object (docs/format/alert-history.md). Readers skip records of a
 * {@code kind} they do not know and ignore fields they do not know, so later versions can add
 * record kinds (who was notified of change N) and fields without breaking older data.
 */
final class HistoryCodec {
  static final String CHANGE = "change";
  static final String NOTIFIED = "notified";

  /** A {@code notified} record: change {@code ref} was delivered to {@code who} at {@code t}. */
  record Notified(long ref, long t, String receiver, String integration) {
    /** As {@link HistoryEntry#notified} lists it: {@code receiver/integration@RFC 3339 time}. */
    String who() {
      return receiver + "/" + integration + "@" + java.time.Instant.ofEpochMilli(t);
    }
  }

  static byte[] encode(Notified n) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", NOTIFIED);
    o.put("ref", n.ref());
    o.put("t", n.t());
    o.put("receiver", n.receiver());
    o.put("integration", n.integration());
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException ex) {
      throw new IllegalStateException("cannot encode an alert history record", ex);
    }
  }

  /** The notification in the payload, or null for a record of another kind. */
  static Notified decodeNotified(byte[] payload) throws IOException {
    com.fasterxml.jackson.databind.JsonNode o = JSON.readTree(payload);
    if (o == null || !NOTIFIED.equals(o.path("kind").asText())) {
      return null;
    }
    if (!o.path("ref").canConvertToLong() || !o.path("receiver").isTextual()) {
      return null; // another shape of the kind (a later or earlier draft): skipped, as unknown
    }
    return new Notified(
        o.path("ref").asLong(),
        o.path("t").asLong(),
        o.path("receiver").asText(),
        o.path("integration").asText());
  }

  private static final java.util.Set<String> STRUCTURED =
      java.util.Set.of("labels", "annotations", "notified");
  private static final ObjectMapper JSON = new ObjectMapper();

  private HistoryCodec() {}

  static byte[] encode(HistoryEntry e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", CHANGE);
    o.put("id", e.id());
    o.put("t", e.timestampMs());
    o.put("from", e.from().apiName());
    o.put("to", e.to().apiName());
    o.put("value", Double.toString(e.value()));
    o.put("activeAt", e.activeAt());
    o.put("group", e.group());
    o.put("file", e.file());
    ObjectNode labels = o.putObject("labels");
    e.labels().forEach(labels::put);
    ObjectNode ann = o.putObject("annotations");
    new TreeMap<>(e.annotations()).forEach(ann::put);
    o.put("flapping", e.flapping());
    ArrayNode n = o.putArray("notified");
    e.notified().forEach(n::add);
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException ex) {
      throw new IllegalStateException("cannot encode an alert history record", ex);
    }
  }

  /** The change in the payload, or null for a record of another kind. */
  static HistoryEntry decode(byte[] payload) throws IOException {
    // A streaming read: at open every record is decoded, and a tree per record took 54 us.
    try (JsonParser p = JSON.getFactory().createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("an alert history record is not a JSON object");
      }
      String kind = null;
      long id = 0;
      long t = 0;
      long activeAt = 0;
      String from = null;
      String to = null;
      double value = Double.NaN;
      String group = "";
      String file = "";
      boolean flapping = false;
      Labels labels = Labels.EMPTY;
      Map<String, String> ann = Map.of();
      List<String> notified = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        if (v.isStructStart() != STRUCTURED.contains(f)) {
          p.skipChildren(); // another kind's field of the same name (a no-op on a scalar)
          continue;
        }
        switch (f) {
          case "kind" -> kind = p.getText();
          case "id" -> id = p.getLongValue();
          case "t" -> t = p.getLongValue();
          case "activeAt" -> activeAt = p.getLongValue();
          case "from" -> from = p.getText();
          case "to" -> to = p.getText();
          case "value" -> value = Double.parseDouble(p.getText());
          case "group" -> group = p.getText();
          case "file" -> file = p.getText();
          case "flapping" -> flapping = v == JsonToken.VALUE_TRUE;
          case "labels" -> {
            Map<String, String> m = strings(p);
            Labels.Builder lb = Labels.builder();
            m.forEach(lb::set);
            labels = lb.build();
          }
          case "annotations" -> ann = strings(p);
          case "notified" -> {
            for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
              if (n.isStructStart()) {
                p.skipChildren(); // a richer entry of a later version
              } else {
                notified.add(p.getText());
              }
            }
          }
          default -> p.skipChildren(); // a field of a later version
        }
      }
      if (!CHANGE.equals(kind)) {
        return null;
      }
      if (from == null || to == null) {
        throw new IOException("an alert history change without from or to");
      }
      return new HistoryEntry(
          id,
          labels,
          ann,
          value,
          state(from),
          state(to),
          t,
          activeAt,
          group,
          file,
          flapping,
          notified);
    }
  }

  private static Map<String, String> strings(JsonParser p) throws IOException {
    Map<String, String> m = new TreeMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      p.nextToken();
      m.put(k, p.getText());
    }
    return m;
  }

  private static AlertState state(String s) throws IOException {
    try {
      return AlertState.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown alert state \"" + s + "\"");
    }
  }
}
