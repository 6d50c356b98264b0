package dev.vigil.notify.builtin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code notify} section of vigil.yml: Alertmanager's configuration format ({@code global},
 * {@code route}, {@code receivers}, {@code inhibit_rules}, {@code time_intervals}, {@code
 * templates}), so the same keys of an alertmanager.yml can be pasted. Unknown keys and integrations
 * this version does not deliver to are refused with file, line and key.
 *
 * <pre>{@code
 * NotifyConfig c = NotifyConfig.parse("vigil.yml", yamlText);
 * }</pre>
 */
public final class NotifyConfig {
  /** Integrations of Alertmanager this version does not deliver to: refused, not ignored. */
  private static final List<String> UNSUPPORTED_INTEGRATIONS =
      List.of(
          "pagerduty_configs",
          "opsgenie_configs",
          "pushover_configs",
          "victorops_configs",
          "wechat_configs",
          "sns_configs",
          "telegram_configs",
          "discord_configs",
          "webex_configs");

  final Global global;
  final Route root;
  final Map<String, ReceiverConfig> receivers;
  final List<InhibitRule> inhibitRules;

  /** {@code time_intervals} (and the older {@code mute_time_intervals}) by name, unparsed. */
  final Map<String, YNode> timeIntervals;

  final List<String> templates;

  /** The built-in templates and those of {@code templates:}, read at bind time. */
  final NotifyTemplates notifyTemplates;

  private NotifyConfig(
      Global global,
      Route root,
      Map<String, ReceiverConfig> receivers,
      List<InhibitRule> inhibitRules,
      Map<String, YNode> timeIntervals,
      List<String> templates,
      NotifyTemplates notifyTemplates) {
    this.global = global;
    this.root = root;
    this.receivers = receivers;
    this.inhibitRules = inhibitRules;
    this.timeIntervals = timeIntervals;
    this.templates = templates;
    this.notifyTemplates = notifyTemplates;
  }

  record Global(
      Duration resolveTimeout,
      String smtpFrom,
      String smtpSmarthost,
      String smtpHello,
      String smtpAuthUsername,
      String smtpAuthPassword,
      boolean smtpRequireTls,
      String slackApiUrl) {}

  record HttpConfig(String bearerToken, String basicUser, String basicPassword) {
    static final HttpConfig NONE = new HttpConfig(null, null, null);
  }

  record Webhook(String url, boolean sendResolved, int maxAlerts, HttpConfig http) {}

  record Slack(
      String apiUrl,
      String channel,
      String username,
      String color,
      String title,
      String titleLink,
      String text,
      String pretext,
      String footer,
      String fallback,
      String iconEmoji,
      String iconUrl,
      boolean sendResolved,
      HttpConfig http) {}

  record Email(
      String to,
      String from,
      String smarthost,
      String hello,
      String authUsername,
      String authPassword,
      boolean requireTls,
      Map<String, String> headers,
      String html,
      String text,
      boolean sendResolved) {}

  record Log(boolean sendResolved) {}

  record ReceiverConfig(
      String name,
      List<Webhook> webhooks,
      List<Slack> slacks,
      List<Email> emails,
      List<Log> logs) {}

  record InhibitRule(List<Matcher> source, List<Matcher> target, List<String> equal) {}

  /** Parses a whole alertmanager.yml-shaped document. */
  public static NotifyConfig parse(String source, String text) {
    return bind(YNode.parse(source, text), "");
  }

  /**
   * Binds the {@code notify} node of vigil.yml; {@code path} prefixes keys in messages.
   *
   * @throws NotifyConfigException naming file, line and key
   */
  public static NotifyConfig bind(YNode node, String path) {
    Obj root = Obj.of(node, path);
    Global g = bindGlobal(root.obj("global"));
    Map<String, YNode> intervals = new LinkedHashMap<>();
    for (String k : List.of("time_intervals", "mute_time_intervals")) {
      for (Obj ti : root.objs(k)) {
        String name = ti.string("name", "");
        if (name.isEmpty()) {
          throw Obj.fail(ti.node, ti.key("name"), "a time interval needs a name");
        }
        YNode entries = ti.get("time_intervals");
        ti.finish();
        if (entries != null) {
          if (!entries.isList()) {
            throw Obj.fail(entries, ti.key("time_intervals"), "must be a list");
          }
          for (YNode e : entries.list()) {
            try {
              dev.vigil.notify.timeinterval.TimeIntervals.interval(e.toJson());
            } catch (IllegalArgumentException ex) {
              throw Obj.fail(e, ti.key("time_intervals"), ex.getMessage());
            }
          }
        }
        if (intervals.put(name, ti.node) != null) {
          throw Obj.fail(
              ti.node, ti.key("name"), "time interval " + GoQuote.quote(name) + " defined twice");
        }
      }
    }
    Map<String, ReceiverConfig> receivers = new LinkedHashMap<>();
    for (Obj r : root.objs("receivers")) {
      ReceiverConfig rc = bindReceiver(r, g);
      if (receivers.put(rc.name(), rc) != null) {
        throw Obj.fail(
            r.node, r.key("name"), "receiver " + GoQuote.quote(rc.name()) + " defined twice");
      }
    }
    List<InhibitRule> inhibit = new ArrayList<>();
    for (Obj ir : root.objs("inhibit_rules")) {
      inhibit.add(
          new InhibitRule(
              matchers(ir, "source_match", "source_match_re", "source_matchers"),
              matchers(ir, "target_match", "target_match_re", "target_matchers"),
              ir.strings("equal")));
      ir.finish();
    }
    List<String> templates = root.strings("templates");
    NotifyTemplates notifyTemplates;
    try {
      notifyTemplates = NotifyTemplates.load(baseDir(node), templates);
    } catch (IllegalArgumentException e) {
      throw Obj.fail(root.node, root.key("templates"), e.getMessage());
    }
    YNode routeNode = root.get("route");
    if (routeNode == null) {
      throw Obj.fail(root.node, root.key("route"), "no route provided in config");
    }
    Obj r = Obj.of(routeNode, root.key("route"));
    if (r.has("matchers") || r.has("match") || r.has("match_re")) {
      throw Obj.fail(routeNode, r.key("matchers"), "root route must not have any matchers");
    }
    if (r.has("mute_time_intervals") || r.has("active_time_intervals")) {
      throw Obj.fail(
          routeNode, r.key("mute_time_intervals"), "root route must not have any time intervals");
    }
    Route rootRoute = bindRoute(r, null, 0, receivers, intervals);
    if (rootRoute.receiver == null) {
      throw Obj.fail(routeNode, r.key("receiver"), "root route must specify a default receiver");
    }
    root.finish();
    return new NotifyConfig(
        g,
        rootRoute,
        Map.copyOf(receivers),
        List.copyOf(inhibit),
        intervals,
        templates,
        notifyTemplates);
  }

  /** The directory of the config file, against which template globs resolve. */
  private static java.nio.file.Path baseDir(YNode node) {
    try {
      java.nio.file.Path dir = java.nio.file.Path.of(node.source()).getParent();
      return dir == null ? java.nio.file.Path.of(".") : dir;
    } catch (java.nio.file.InvalidPathException e) {
      return java.nio.file.Path.of(".");
    }
  }

  private static Global bindGlobal(Obj o) {
    Global g =
        new Global(
            o.duration("resolve_timeout", Duration.ofMinutes(5)),
            o.string("smtp_from", null),
            o.string("smtp_smarthost", null),
            o.string("smtp_hello", "localhost"),
            o.string("smtp_auth_username", null),
            o.string("smtp_auth_password", null),
            o.bool("smtp_require_tls", true),
            o.string("slack_api_url", null));
    o.get("http_config");
    o.finish();
    return g;
  }

  private static HttpConfig http(Obj o) {
    Obj h = o.obj("http_config");
    String bearer = h.string("bearer_token", null);
    Obj auth = h.obj("authorization");
    String cred = auth.string("credentials", null);
    auth.string("type", "Bearer");
    auth.finish();
    Obj basic = h.obj("basic_auth");
    String user = basic.string("username", null);
    String pass = basic.string("password", null);
    basic.finish();
    h.bool("follow_redirects", true);
    h.bool("enable_http2", true);
    h.finish();
    return new HttpConfig(cred != null ? cred : bearer, user, pass);
  }

  private static ReceiverConfig bindReceiver(Obj r, Global g) {
    String name = r.string("name", "");
    if (name.isEmpty()) {
      throw Obj.fail(r.node, r.key("name"), "missing name in receiver");
    }
    List<Webhook> webhooks = new ArrayList<>();
    for (Obj w : r.objs("webhook_configs")) {
      String url = w.string("url", null);
      if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
        throw Obj.fail(w.node, w.key("url"), "a webhook needs an http(s) url");
      }
      webhooks.add(
          new Webhook(url, w.bool("send_resolved", true), w.integer("max_alerts", 0), http(w)));
      w.finish();
    }
    List<Slack> slacks = new ArrayList<>();
    for (Obj s : r.objs("slack_configs")) {
      String url = s.string("api_url", g.slackApiUrl());
      if (url == null) {
        throw Obj.fail(s.node, s.key("api_url"), "no global Slack API URL set");
      }
      slacks.add(
          new Slack(
              url,
              s.string("channel", null),
              s.text("username"),
              s.text("color"),
              s.text("title"),
              s.text("title_link"),
              s.text("text"),
              s.text("pretext"),
              s.text("footer"),
              s.text("fallback"),
              s.string("icon_emoji", ""),
              s.string("icon_url", ""),
              s.bool("send_resolved", false),
              http(s)));
      s.finish();
    }
    List<Email> emails = new ArrayList<>();
    for (Obj e : r.objs("email_configs")) {
      String to = e.string("to", null);
      if (to == null) {
        throw Obj.fail(e.node, e.key("to"), "missing to address in email config");
      }
      String from = e.string("from", g.smtpFrom());
      String host = e.string("smarthost", g.smtpSmarthost());
      if (from == null || host == null) {
        throw Obj.fail(
            e.node,
            e.key(from == null ? "from" : "smarthost"),
            "no global SMTP " + (from == null ? "from" : "smarthost") + " set");
      }
      emails.add(
          new Email(
              to,
              from,
              host,
              e.string("hello", g.smtpHello()),
              e.string("auth_username", g.smtpAuthUsername()),
              e.string("auth_password", g.smtpAuthPassword()),
              e.bool("require_tls", g.smtpRequireTls()),
              e.textMap("headers"),
              e.text("html"),
              e.text("text"),
              e.bool("send_resolved", false)));
      e.finish();
    }
    List<Log> logs = new ArrayList<>();
    for (Obj l : r.objs("log_configs")) {
      logs.add(new Log(l.bool("send_resolved", true)));
      l.finish();
    }
    for (String k : UNSUPPORTED_INTEGRATIONS) {
      YNode v = r.get(k);
      if (v != null) {
        throw Obj.fail(
            v,
            r.key(k),
            "not supported by this version of Vigil (webhook_configs, slack_configs, email_configs and log_configs are)");
      }
    }
    r.finish();
    return new ReceiverConfig(
        name, List.copyOf(webhooks), List.copyOf(slacks), List.copyOf(emails), List.copyOf(logs));
  }

  private static List<Matcher> matchers(Obj o, String eqKey, String reKey, String key) {
    List<Matcher> out = new ArrayList<>();
    Map<String, String> eq = o.stringMap(eqKey);
    eq.forEach((k, v) -> out.add(Matcher.of(k, Matcher.Type.EQ, v)));
    YNode reNode = o.get(reKey);
    Map<String, String> re = o.stringMap(reKey);
    for (Map.Entry<String, String> e : re.entrySet()) {
      try {
        out.add(Matcher.of(e.getKey(), Matcher.Type.RE, e.getValue()));
      } catch (IllegalArgumentException ex) {
        throw Obj.fail(reNode, o.key(reKey), ex.getMessage());
      }
    }
    YNode ms = o.get(key);
    if (ms != null) {
      if (!ms.isList()) {
        throw Obj.fail(ms, o.key(key), "must be a list of matchers");
      }
      for (YNode m : ms.list()) {
        if (m.scalar() == null) {
          throw Obj.fail(m, o.key(key), "must be a list of matchers");
        }
        try {
          out.addAll(Matcher.parseList(m.scalar()));
        } catch (IllegalArgumentException ex) {
          throw Obj.fail(m, o.key(key), ex.getMessage());
        }
      }
    }
    return out;
  }

  private static Route bindRoute(
      Obj o,
      Route parent,
      int index,
      Map<String, ReceiverConfig> receivers,
      Map<String, YNode> intervals) {
    String receiver = o.string("receiver", parent == null ? null : parent.receiver);
    YNode recvNode = o.get("receiver");
    if (receiver != null && !receivers.containsKey(receiver)) {
      throw Obj.fail(
          recvNode == null ? o.node : recvNode,
          o.key("receiver"),
          "undefined receiver " + GoQuote.quote(receiver) + " used in route");
    }
    List<Matcher> ms = matchers(o, "match", "match_re", "matchers");
    Set<String> groupBy;
    boolean all;
    if (o.has("group_by")) {
      List<String> gb = o.strings("group_by");
      all = gb.contains("...");
      if (all && gb.size() > 1) {
        throw Obj.fail(
            o.get("group_by"),
            o.key("group_by"),
            "cannot have wildcard group_by (`...`) and other other labels at the same time");
      }
      groupBy = all ? Set.of() : new LinkedHashSet<>(gb);
      Set<String> seen = new HashSet<>();
      for (String l : gb) {
        if (!seen.add(l)) {
          throw Obj.fail(
              o.get("group_by"),
              o.key("group_by"),
              "duplicated label " + GoQuote.quote(l) + " in group_by");
        }
      }
    } else if (parent != null) {
      groupBy = parent.groupBy;
      all = parent.groupByAll;
    } else {
      groupBy = Set.of();
      all = false;
    }
    Duration gw =
        o.duration("group_wait", parent == null ? Route.DEFAULT_GROUP_WAIT : parent.groupWait);
    Duration gi =
        o.duration(
            "group_interval", parent == null ? Route.DEFAULT_GROUP_INTERVAL : parent.groupInterval);
    Duration ri =
        o.duration(
            "repeat_interval",
            parent == null ? Route.DEFAULT_REPEAT_INTERVAL : parent.repeatInterval);
    if (gi.isZero()) {
      throw Obj.fail(
          o.get("group_interval"), o.key("group_interval"), "group_interval cannot be zero");
    }
    if (ri.isZero()) {
      throw Obj.fail(
          o.get("repeat_interval"), o.key("repeat_interval"), "repeat_interval cannot be zero");
    }
    List<String> mute = o.strings("mute_time_intervals");
    List<String> active = o.strings("active_time_intervals");
    for (String k : List.of("mute_time_intervals", "active_time_intervals")) {
      for (String n : k.startsWith("mute") ? mute : active) {
        if (!intervals.containsKey(n)) {
          throw Obj.fail(
              o.get(k), o.key(k), "undefined time interval " + GoQuote.quote(n) + " used in route");
        }
      }
    }
    Route r =
        new Route(
            parent,
            index,
            receiver,
            ms,
            groupBy,
            all,
            o.bool("continue", false),
            gw,
            gi,
            ri,
            mute,
            active);
    if (parent == null && r.continueMatching) {
      throw Obj.fail(o.get("continue"), o.key("continue"), "cannot have continue in root route");
    }
    List<Obj> children = o.objs("routes");
    for (int i = 0; i < children.size(); i++) {
      r.routes.add(bindRoute(children.get(i), r, i, receivers, intervals));
    }
    o.finish();
    return r;
  }
}
