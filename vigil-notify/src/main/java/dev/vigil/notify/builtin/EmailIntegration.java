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

  EmailIntegration(NotifyConfig.Email cfg, Duration timeout) {
    this.cfg = cfg;
    this.timeout = timeout;
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
    String host = cfg.smarthost();
    int colon = host.lastIndexOf(':');
    if (colon < 0) {
      return new Failure("smarthost " + host + " has no port", false);
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
    Session session =
        Session.getInstance(
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
    try {
      MimeMessage m = new MimeMessage(session);
      Map<String, String> headers = cfg.headers();
      m.setFrom(new InternetAddress(headers.getOrDefault("From", cfg.from())));
      m.setRecipients(
          Message.RecipientType.TO, InternetAddress.parse(headers.getOrDefault("To", cfg.to())));
      m.setSubject(headers.getOrDefault("Subject", DefaultTexts.subject(d)), "UTF-8");
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (!List.of("From", "To", "Subject").contains(h.getKey())) {
          m.setHeader(h.getKey(), h.getValue());
        }
      }
      MimeBodyPart text = new MimeBodyPart();
      text.setText(cfg.text() != null ? cfg.text() : DefaultTexts.emailText(d), "UTF-8");
      MimeBodyPart html = new MimeBodyPart();
      html.setContent(
          cfg.html() != null ? cfg.html() : DefaultTexts.emailHtml(d), "text/html; charset=UTF-8");
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
}
