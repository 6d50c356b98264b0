package dev.vigil.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.LabelMatcher;
import dev.vigil.notify.silence.Matchers;
import dev.vigil.notify.silence.Silence;
import dev.vigil.notify.silence.SilenceException;
import dev.vigil.notify.silence.SilenceJson;
import dev.vigil.notify.silence.Silences;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Alertmanager 0.25's API v2 for silences, so that {@code amtool silence …} and Grafana's
 * Alertmanager data source work against Vigil, with the same JSON and status codes:
 *
 * <ul>
 *   <li>{@code GET /api/v2/silences?filter=…} (read): all silences, active first.
 *   <li>{@code POST /api/v2/silences} (write): creates, or updates by {@code id}; answers {@code
 *       {"silenceID":…}}; invalid input 400 or 422 with Alertmanager's message, unknown id 404.
 *   <li>{@code GET /api/v2/silence/{id}} (read), {@code DELETE /api/v2/silence/{id}} (write,
 *       expires it): 404 for an unknown id (Alertmanager 0.25 answers a DELETE of an unknown id
 *       with 500), 422 for an id that is not a UUID.
 *   <li>{@code GET /api/v2/status} (read): cluster {@code disabled}, version, the original
 *       configuration of the {@code notify} section, start time.
 * </ul>
 *
 * <p>Errors are Alertmanager's, not Prometheus' envelope: a JSON string, or {@code {"code",
 * "message"}} for schema errors.
 */
public final class SilencesApiV2 implements Routes {
  private static final Pattern UUID =
      Pattern.compile("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");

  private final Supplier<Silences> silences;
  private final Supplier<String> notifyConfigYaml;
  private final Instant started;

  /**
   * @param silences the store; its supplier throws (503) while the server starts
   * @param notifyConfigYaml the {@code notify} section as YAML for {@code config.original}, or ""
   * @param started when the server started ({@code uptime})
   */
  public SilencesApiV2(
      Supplier<Silences> silences, Supplier<String> notifyConfigYaml, Instant started) {
    this.silences = silences;
    this.notifyConfigYaml = notifyConfigYaml;
    this.started = started;
  }

  @Override
  public void register(Router r) {
    r.get("/api/v2/silences", Role.READ, this::list);
    r.post("/api/v2/silences", Role.WRITE, this::post);
    r.get("/api/v2/silence/{id}", Role.READ, this::get);
    r.delete("/api/v2/silence/{id}", Role.WRITE, this::delete);
    r.get("/api/v2/status", Role.READ, this::status);
  }

  private void list(Context ctx) {
    Silences s = silences.get();
    List<LabelMatcher> filter = new ArrayList<>();
    for (String f : ctx.queryParams("filter")) {
      try {
        filter.add(Matchers.parseOne(f));
      } catch (IllegalArgumentException e) {
        message(ctx, 400, e.getMessage());
        return;
      }
    }
    Instant now = s.now();
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Silence x : s.query(filter)) {
      out.add(SilenceJson.gettable(x, now));
    }
    json(ctx, 200, out);
  }

  private void post(Context ctx) {
    Silences s = silences.get();
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(ctx.bodyAsBytes());
    } catch (java.io.IOException e) {
      String why =
          e instanceof JsonProcessingException jp ? jp.getOriginalMessage() : e.getMessage();
      code(ctx, 400, 400, "parsing silence body from \"\" failed, because " + why);
      return;
    }
    Silence in;
    try {
      in = SilenceJson.fromPostable(body);
    } catch (SilenceJson.Invalid e) {
      if (e.code() == 0) {
        message(ctx, e.status(), e.getMessage());
      } else {
        code(ctx, e.status(), e.code(), e.getMessage());
      }
      return;
    }
    if (!in.startsAt().isBefore(in.endsAt())) {
      message(ctx, 400, "Failed to create silence: start time must be before end time");
      return;
    }
    if (in.endsAt().isBefore(s.now())) {
      message(ctx, 400, "Failed to create silence: end time can't be in the past");
      return;
    }
    String id;
    try {
      id = s.set(in);
    } catch (SilenceException e) {
      if (e.notFound()) {
        message(ctx, 404, e.getMessage());
      } else {
        message(ctx, 400, "silence invalid: " + e.getMessage());
      }
      return;
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("silenceID", id);
    json(ctx, 200, o);
  }

  private String id(Context ctx) {
    String id = ctx.pathParam("id");
    if (!UUID.matcher(id).matches()) {
      code(ctx, 422, 601, "silenceID in path must be of type uuid: \"" + id + "\"");
      return null;
    }
    return id;
  }

  private void get(Context ctx) {
    Silences s = silences.get();
    String id = id(ctx);
    if (id == null) {
      return;
    }
    var found = s.get(id);
    if (found.isEmpty()) {
      ctx.status(404);
      return;
    }
    json(ctx, 200, SilenceJson.gettable(found.get(), s.now()));
  }

  private void delete(Context ctx) {
    Silences s = silences.get();
    String id = id(ctx);
    if (id == null) {
      return;
    }
    try {
      s.expire(id);
    } catch (SilenceException e) {
      message(ctx, e.notFound() ? 404 : 400, e.getMessage());
      return;
    }
    ctx.status(200);
  }

  private void status(Context ctx) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ObjectNode cluster = o.putObject("cluster");
    cluster.putArray("peers");
    cluster.put("status", "disabled");
    o.putObject("config").put("original", notifyConfigYaml.get());
    o.put("uptime", SilenceJson.time(started));
    ObjectNode v = o.putObject("versionInfo");
    v.put("branch", "");
    v.put("buildDate", "");
    v.put("buildUser", "");
    v.put("goVersion", "java" + Runtime.version().feature());
    v.put("revision", "");
    v.put("version", "0.25.0-vigil." + StatusApi.vigilVersion());
    json(ctx, 200, o);
  }

  private static void message(Context ctx, int status, String msg) {
    json(ctx, status, JsonNodeFactory.instance.textNode(msg));
  }

  private static void code(Context ctx, int status, int code, String msg) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("code", code);
    o.put("message", msg);
    json(ctx, status, o);
  }

  private static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType("application/json").result(body.toString() + "\n");
  }
}
