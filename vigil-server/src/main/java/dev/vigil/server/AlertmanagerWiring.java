package dev.vigil.server;

import dev.vigil.model.Labels;
import dev.vigil.notify.sender.AlertFeed;
import dev.vigil.notify.sender.AlertmanagerSender;
import dev.vigil.notify.sender.AlertmanagerTarget;
import dev.vigil.server.config.AlertingConfig;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.relabel.Relabeler;
import dev.vigil.server.scrape.ScrapeTls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The {@code alerting} section applied: the Alertmanagers after their relabeling, the external
 * labels and the alert relabeling handed to the sender, the rules' resend delay to the feed. Built
 * at start and at each reload.
 */
final class AlertmanagerWiring {
  private AlertmanagerWiring() {}

  /** Applies {@code c}; a problem (a TLS file gone bad since the loader read it) is thrown. */
  static void apply(VigilConfig c, Path configFile, AlertmanagerSender sender, AlertFeed feed) {
    List<AlertmanagerTarget> previous = sender.activeAlertmanagers();
    Path baseDir = configFile == null ? null : configFile.toAbsolutePath().getParent();
    AlertingConfig ac = AlertingConfig.bind(c.alerting(), baseDir);
    List<AlertmanagerTarget> active = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (AlertingConfig.Alertmanagers am : ac.alertmanagers()) {
      SSLContext ssl = null;
      javax.net.ssl.SSLParameters params = null;
      if (am.tls() != null) {
        try {
          ssl = ScrapeTls.context(am.tls());
          params = ScrapeTls.parameters(am.tls());
        } catch (GeneralSecurityException | RuntimeException e) {
          throw new ConfigException(
              c.source() + ": alerting.alertmanagers.tls_config: " + e.getMessage(), e);
        }
      }
      String auth = authorization(am);
      for (ScrapeConfig.TargetGroup g : am.staticConfigs()) {
        for (String t : g.targets()) {
          Map<String, String> m = new LinkedHashMap<>(g.labels());
          m.put("__address__", t);
          m.put("__scheme__", am.scheme());
          m.put("__alerts_path__", am.alertsPath());
          Labels before = Labels.of(m);
          Labels after = Relabeler.process(before, am.relabelConfigs());
          if (after == null || after.getOrEmpty("__address__").isEmpty()) {
            dropped.add(url(before));
            continue;
          }
          URI u;
          try {
            u = URI.create(url(after));
          } catch (IllegalArgumentException e) {
            dropped.add(url(after));
            continue;
          }
          active.add(new AlertmanagerTarget(u, am.timeout(), auth, ssl, params));
        }
      }
    }
    List<dev.vigil.server.relabel.RelabelConfig> alertRelabel = ac.alertRelabelConfigs();
    sender.configure(
        active,
        dropped,
        c.global().externalLabels(),
        alertRelabel.isEmpty() ? l -> l : l -> Relabeler.process(l, alertRelabel));
    sender.capacity(ac.queueCapacity());
    feed.resendDelay(c.rules().resendDelay());
    if (!active.isEmpty() && !sameUrls(previous, active)) {
      // New Alertmanagers (added by a reload) hear of the firing alerts at the next evaluation,
      // not a resend_delay later.
      feed.resendAll();
    }
  }

  private static boolean sameUrls(List<AlertmanagerTarget> a, List<AlertmanagerTarget> b) {
    return a.stream()
        .map(t -> t.url().toString())
        .toList()
        .equals(b.stream().map(t -> t.url().toString()).toList());
  }

  private static String url(Labels l) {
    String scheme = l.getOrEmpty("__scheme__");
    return (scheme.isEmpty() ? "http" : scheme)
        + "://"
        + l.getOrEmpty("__address__")
        + l.getOrEmpty("__alerts_path__");
  }

  private static String authorization(AlertingConfig.Alertmanagers am) {
    if (am.basicAuth() != null) {
      String up = am.basicAuth().username() + ":" + am.basicAuth().password();
      return "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
    }
    if (am.bearerToken() != null) {
      return "Bearer " + am.bearerToken();
    }
    return null;
  }

  /** {@code /api/v1/alertmanagers}' data, as Prometheus answers it. */
  static Map<String, Object> view(AlertmanagerSender sender) {
    List<Map<String, String>> active = new ArrayList<>();
    for (AlertmanagerTarget t : sender.activeAlertmanagers()) {
      active.add(Map.of("url", t.url().toString()));
    }
    List<Map<String, String>> dropped = new ArrayList<>();
    for (String u : sender.droppedAlertmanagers()) {
      dropped.add(Map.of("url", u));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("activeAlertmanagers", active);
    out.put("droppedAlertmanagers", dropped);
    return out;
  }
}
