package dev.vigil.notify.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The integrations of a receiver: webhook, Slack incoming webhook, email and the log. */
final class Integrations {
  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.notify.log");
  static final ObjectMapper JSON = new ObjectMapper();

  /** Per-request timeout of HTTP integrations; a hung receiver fails and is retried. */
  static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

  private Integrations() {}

  /** Builds every receiver's integrations. */
  static Map<String, List<Integration>> build(
      NotifyConfig c, HttpClient http, Duration requestTimeout) {
    Map<String, List<Integration>> out = new LinkedHashMap<>();
    for (NotifyConfig.ReceiverConfig r : c.receivers.values()) {
      List<Integration> list = new ArrayList<>();
      for (NotifyConfig.Webhook w : r.webhooks()) {
        list.add(
            new HttpIntegration(
                "webhook",
                w.sendResolved(),
                w.url(),
                w.http(),
                http,
                requestTimeout,
                d -> d.webhookMessage(w.maxAlerts())));
      }
      for (NotifyConfig.Slack s : r.slacks()) {
        list.add(
            new HttpIntegration(
                "slack",
                s.sendResolved(),
                s.apiUrl(),
                s.http(),
                http,
                requestTimeout,
                d -> SlackMessage.of(s, d, c.notifyTemplates)));
      }
      for (NotifyConfig.Email e : r.emails()) {
        list.add(new EmailIntegration(e, requestTimeout, c.notifyTemplates));
      }
      for (NotifyConfig.Log l : r.logs()) {
        list.add(
            new Integration() {
              @Override
              public String kind() {
                return "log";
              }

              @Override
              public boolean sendResolved() {
                return l.sendResolved();
              }

              @Override
              public Failure send(NotificationData d) {
                LOG.info("{} {}", d.receiver(), DefaultTexts.subject(d));
                for (Alert a : d.alerts()) {
                  LOG.info(
                      "  {} {} {}",
                      a.resolvedAt(d.now()) ? "resolved" : "firing",
                      Dispatcher.labelSetString(a.labels()),
                      a.annotations());
                }
                return null;
              }
            });
      }
      out.put(r.name(), List.copyOf(list));
    }
    return out;
  }

  /** POSTs a JSON body; a 5xx, 429 or transport error is retryable, another non-2xx is not. */
  record HttpIntegration(
      String kind,
      boolean sendResolved,
      String url,
      NotifyConfig.HttpConfig auth,
      HttpClient http,
      Duration timeout,
      java.util.function.Function<NotificationData, Object> body)
      implements Integration {
    @Override
    public Failure send(NotificationData d) throws InterruptedException {
      byte[] json;
      try {
        json = JSON.writeValueAsBytes(body.apply(d));
      } catch (NotifyTemplates.RenderException e) {
        return new Failure("cannot render the message: " + e.getMessage(), false);
      } catch (JsonProcessingException e) {
        return new Failure("cannot encode the message: " + e.getOriginalMessage(), false);
      }
      HttpRequest.Builder rb =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("User-Agent", "Vigil")
              .POST(HttpRequest.BodyPublishers.ofByteArray(json));
      if (auth.bearerToken() != null) {
        rb.header("Authorization", "Bearer " + auth.bearerToken());
      } else if (auth.basicUser() != null) {
        String up =
            auth.basicUser() + ":" + (auth.basicPassword() == null ? "" : auth.basicPassword());
        rb.header(
            "Authorization",
            "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8)));
      }
      try {
        HttpResponse<String> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        int s = resp.statusCode();
        if (s / 100 == 2) {
          return null;
        }
        String text = resp.body() == null ? "" : resp.body();
        if (text.length() > 200) {
          text = text.substring(0, 200) + "...";
        }
        return new Failure(
            "unexpected status code " + s + " from " + redact(url) + ": " + text.strip(),
            s / 100 == 5 || s == 429);
      } catch (java.io.IOException e) {
        return new Failure(
            e.getClass().getSimpleName() + " posting to " + redact(url) + ": " + e.getMessage(),
            true);
      }
    }
  }

  /** The URL without its path and query, which often hold a secret (Slack's do). */
  static String redact(String url) {
    try {
      URI u = URI.create(url);
      return u.getScheme() + "://" + u.getAuthority() + "/<redacted>";
    } catch (IllegalArgumentException e) {
      return "<url>";
    }
  }
}
