package dev.vigil.notify.builtin;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Sends a mail with one attachment through the {@code email_configs} of a receiver of the {@code
 * notify} section, with the same SMTP settings as alert notifications (smarthost, STARTTLS required
 * by default, AUTH, hello, {@code global.smtp_*} defaults). For other components that deliver by
 * mail, such as scheduled reports.
 *
 * <pre>{@code
 * EmailSender.send(notifyConfig, "team", "Weekly summary", "Attached.",
 *     new EmailSender.Attachment("weekly.pdf", "application/pdf", bytes), Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class EmailSender {
  private EmailSender() {}

  /** A file attached to the mail. */
  public record Attachment(String fileName, String contentType, byte[] bytes) {}

  /** The names of the receivers that have at least one {@code email_configs} entry. */
  public static List<String> emailReceivers(NotifyConfig config) {
    return config.receivers.values().stream()
        .filter(r -> !r.emails().isEmpty())
        .map(NotifyConfig.ReceiverConfig::name)
        .toList();
  }

  /**
   * Sends {@code text} with {@code attachment} to every {@code email_configs} entry of {@code
   * receiver}.
   *
   * @throws IllegalArgumentException when the receiver is unknown or has no email_configs
   * @throws IOException when a mail cannot be sent (the message names the smarthost)
   */
  public static void send(
      NotifyConfig config,
      String receiver,
      String subject,
      String text,
      Attachment attachment,
      Duration timeout)
      throws IOException {
    NotifyConfig.ReceiverConfig rc = config.receivers.get(receiver);
    if (rc == null || rc.emails().isEmpty()) {
      throw new IllegalArgumentException(
          "receiver \""
              + receiver
              + "\" has no email_configs in notify.receivers (receivers with email: "
              + String.join(", ", emailReceivers(config))
              + ")");
    }
    for (NotifyConfig.Email cfg : rc.emails()) {
      Session session = EmailIntegration.session(cfg, timeout);
      try {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(cfg.from()));
        m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(cfg.to()));
        m.setSubject(subject, "UTF-8");
        MimeBodyPart body = new MimeBodyPart();
        body.setText(text, "UTF-8");
        MimeBodyPart file = new MimeBodyPart();
        file.setDataHandler(
            new jakarta.activation.DataHandler(
                new ByteArrayDataSource(attachment.bytes(), attachment.contentType())));
        file.setFileName(attachment.fileName());
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(body);
        mixed.addBodyPart(file);
        m.setContent(mixed);
        Transport.send(m);
      } catch (MessagingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        throw new IOException(
            "sending mail via "
                + cfg.smarthost()
                + ": "
                + e.getMessage()
                + (root != e ? " (" + root.getMessage() + ")" : ""),
            e);
      }
    }
  }
}
