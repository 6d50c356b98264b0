package dev.vigil.notify.builtin;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code email_configs}: one mail per notification over SMTP, with STARTTLS required by default
 * ({@code require_tls: true}, as Alertmanager), implicit TLS on port 465, and AUTH when a user name
 * is set. The body is multipart/alternative: a plain-text part (the alert list) and an HTML part.
 */
final class EmailIntegration implements Integration {
  private final NotifyConfig.Email cfg;
  private final Duration timeout;
  private final NotifyTemplates templates;

  EmailIntegration(NotifyConfig.Email cfg, Duration timeout, NotifyTemplates templates) {
    this.cfg = cfg;
    this.timeout = timeout;
    this.templates = templates;
  }

  @Override
  public String kind() {
    return "email";
  }

  @Override
  public boolean sendResolved() {
    return cfg.sendResolved();
  }

  @Override
  public Failure send(NotificationData d) {
    Session session;
    try {
      session = session(cfg, timeout);
    } catch (IllegalArgumentException e) {
      return new Failure(e.getMessage(), false);
    }
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    String textBody;
    String htmlBody;
    try {
      for (Map.Entry<String, String> h : cfg.headers().entrySet()) {
        headers.put(h.getKey(), templates.render(h.getValue(), "", d));
      }
      headers.putIfAbsent(
          "Subject", templates.render(null, "{{ template \"email.default.subject\" . }}", d));
      textBody =
          cfg.text() != null ? templates.render(cfg.text(), "", d) : DefaultTexts.emailText(d);
      htmlBody =
          cfg.html() != null ? templates.renderHtml(cfg.html(), "", d) : DefaultTexts.emailHtml(d);
    } catch (NotifyTemplates.RenderException e) {
      return new Failure("cannot render the mail: " + e.getMessage(), false);
    }
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(headers.getOrDefault("From", cfg.from())));
      m.setRecipients(
          Message.RecipientType.TO, InternetAddress.parse(headers.getOrDefault("To", cfg.to())));
      m.setSubject(headers.get("Subject"), "UTF-8");
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (!List.of("From", "To", "Subject").contains(h.getKey())) {
          m.setHeader(h.getKey(), h.getValue());
        }
      }
      MimeBodyPart text = new MimeBodyPart();
      text.setText(textBody, "UTF-8");
      MimeBodyPart html = new MimeBodyPart();
      html.setContent(htmlBody, "text/html; charset=UTF-8");
      MimeMultipart alt = new MimeMultipart("alternative");
      alt.addBodyPart(text);
      alt.addBodyPart(html);
      m.setContent(alt);
      Transport.send(m);
      return null;
    } catch (MessagingException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why = e.getMessage() + (root != e ? " (" + root.getMessage() + ")" : "");
      return new Failure("sending mail via " + cfg.smarthost() + ": " + why, true);
    }
  }

  /** An SMTP session for {@code cfg}: STARTTLS, implicit TLS on 465, AUTH, timeouts. */
  static Session session(NotifyConfig.Email cfg, Duration timeout) {
    String host = cfg.smarthost();
    int colon = host.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("smarthost " + host + " has no port");
    }
    String port = host.substring(colon + 1);
    host = host.substring(0, colon);
    boolean smtps = port.equals("465");
    String proto = smtps ? "smtps" : "smtp";
    Properties p = new Properties();
    p.put("mail." + proto + ".host", host);
    p.put("mail." + proto + ".port", port);
    p.put("mail." + proto + ".localhost", cfg.hello());
    String ms = Long.toString(timeout.toMillis());
    p.put("mail." + proto + ".connectiontimeout", ms);
    p.put("mail." + proto + ".timeout", ms);
    p.put("mail." + proto + ".writetimeout", ms);
    if (!smtps) {
      p.put("mail.smtp.starttls.enable", Boolean.toString(cfg.requireTls()));
      p.put("mail.smtp.starttls.required", Boolean.toString(cfg.requireTls()));
    }
    boolean auth = cfg.authUsername() != null && !cfg.authUsername().isEmpty();
    p.put("mail." + proto + ".auth", Boolean.toString(auth));
    return Session.getInstance(
        p,
        auth
            ? new Authenticator() {
              @Override
              protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(
                    cfg.authUsername(), cfg.authPassword() == null ? "" : cfg.authPassword());
              }
            }
            : null);
  }
}
