package dev.vigil.notify.builtin;

import static dev.vigil.notify.builtin.TwoNotifiersTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** email_configs through GreenMail, an SMTP server in this JVM (on a free port). */
class EmailTest {
  @RegisterExtension
  static GreenMailExtension mail =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "s3cret"));

  static String config(String extra) {
    return """
        global:
          smtp_from: vigil@example.org
          smtp_smarthost: 127.0.0.1:PORT
        route: {receiver: mail, group_wait: 0s, group_by: [alertname]}
        receivers:
          - name: mail
            email_configs:
              - to: ops@example.org
                auth_username: alice
                auth_password: s3cret
                headers: {X-Team: storage}
        EXTRA"""
        .replace("PORT", Integer.toString(mail.getSmtp().getPort()))
        .replace("EXTRA", extra);
  }

  static void post(BuiltinNotifier n) {
    n.post(
        List.of(
            new BuiltinNotifier.PostableAlert(
                Map.of("alertname", "DiskFull", "instance", "a<1>"),
                Map.of("summary", "disk 97% full"),
                Instant.now(),
                null,
                "http://vigil.example/explore")));
  }

  @Test
  void mail_withAuth_hasSubjectHeadersAndTextAndHtmlParts() throws Exception {
    try (BuiltinNotifier n =
        BuiltinNotifier.start(
            NotifyConfig.parse(
                "t",
                config("")
                    .replace("        headers", "        require_tls: false\n        headers")),
            "http://vigil.example")) {
      post(n);
      assertThat(mail.waitForIncomingEmail(20_000, 1)).isTrue();
      MimeMessage m = mail.getReceivedMessages()[0];
      assertThat(m.getSubject()).isEqualTo("[FIRING:1] DiskFull (a<1>)");
      assertThat(m.getFrom()[0].toString()).isEqualTo("vigil@example.org");
      assertThat(m.getAllRecipients()[0].toString()).isEqualTo("ops@example.org");
      assertThat(m.getHeader("X-Team")).containsExactly("storage");
      MimeMultipart alt = (MimeMultipart) m.getContent();
      assertThat(alt.getContentType()).startsWith("multipart/alternative");
      String text = (String) alt.getBodyPart(0).getContent();
      String html = (String) alt.getBodyPart(1).getContent();
      assertThat(alt.getBodyPart(0).getContentType()).startsWith("text/plain");
      assertThat(alt.getBodyPart(1).getContentType()).startsWith("text/html");
      assertThat(text)
          .contains(" - summary = disk 97% full", "Source: http://vigil.example/explore");
      assertThat(html).contains("disk 97% full", "a&lt;1&gt;").doesNotContain("a<1>");
    }
  }

  @Test
  void subjectHeaderTextAndHtml_areRenderedTemplates() throws Exception {
    String keys =
        """
                require_tls: false
                html: '<b>{{ .Status | toUpper }}</b> {{ .CommonAnnotations.summary | html }}'
                text: '{{ template "__text_alert_list" .Alerts.Firing }}'
                headers: {X-Team: '{{ .GroupLabels.alertname }}', \
        Subject: '{{ template "email.default.subject" . }}!'}""";
    try (BuiltinNotifier n =
        BuiltinNotifier.start(
            NotifyConfig.parse("t", config("").replace("        headers: {X-Team: storage}", keys)),
            "http://vigil.example")) {
      post(n);
      assertThat(mail.waitForIncomingEmail(20_000, 1)).isTrue();
      MimeMessage m = mail.getReceivedMessages()[mail.getReceivedMessages().length - 1];
      assertThat(m.getSubject()).isEqualTo("[FIRING:1] DiskFull (a<1>)!");
      assertThat(m.getHeader("X-Team")).containsExactly("DiskFull");
      MimeMultipart alt = (MimeMultipart) m.getContent();
      assertThat(((String) alt.getBodyPart(0).getContent()).replace("\r\n", "\n")) // MIME line ends
          .isEqualTo(
              "Labels:\n - alertname = DiskFull\n - instance = a<1>\nAnnotations:\n"
                  + " - summary = disk 97% full\nSource: http://vigil.example/explore\n");
      assertThat((String) alt.getBodyPart(1).getContent()).isEqualTo("<b>FIRING</b> disk 97% full");
    }
  }

  @Test
  void requireTls_isTheDefault_andAServerWithoutStartTls_isAFailureNotAPlaintextSend()
      throws Exception {
    try (BuiltinNotifier n =
        BuiltinNotifier.start(NotifyConfig.parse("t", config("")), "http://vigil.example")) {
      post(n);
      await(() -> n.metrics().failed("email") >= 1, "the send fails");
      assertThat(mail.getReceivedMessages()).isEmpty();
      assertThat(n.metrics().lastErrors().get("mail/email")).contains("127.0.0.1:");
    }
  }
}
