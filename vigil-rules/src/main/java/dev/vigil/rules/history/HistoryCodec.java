package dev.vigil.rules.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.Labels;
import dev.vigil.rules.AlertState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
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
    JsonNode o = JSON.readTree(payload);
    if (!CHANGE.equals(o.path("kind").asText())) {
      return null;
    }
    Labels.Builder lb = Labels.builder();
    for (Iterator<Map.Entry<String, JsonNode>> it = o.path("labels").fields(); it.hasNext(); ) {
      var f = it.next();
      lb.set(f.getKey(), f.getValue().asText());
    }
    Map<String, String> ann = new TreeMap<>();
    o.path("annotations")
        .fields()
        .forEachRemaining(f -> ann.put(f.getKey(), f.getValue().asText()));
    List<String> notified = new ArrayList<>();
    o.path("notified").forEach(n -> notified.add(n.asText()));
    return new HistoryEntry(
        o.path("id").asLong(),
        lb.build(),
        ann,
        Double.parseDouble(o.path("value").asText("NaN")),
        state(o.path("from").asText()),
        state(o.path("to").asText()),
        o.path("t").asLong(),
        o.path("activeAt").asLong(),
        o.path("group").asText(),
        o.path("file").asText(),
        o.path("flapping").asBoolean(),
        notified);
  }

  private static AlertState state(String s) throws IOException {
    try {
      return AlertState.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown alert state \"" + s + "\"");
    }
  }
}
