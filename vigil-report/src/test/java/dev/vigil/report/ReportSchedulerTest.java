package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vigil.notify.builtin.NotifyConfig;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** reports.schedule with an injected clock: to a folder, to GreenMail (SMTP in this JVM). */
class ReportSchedulerTest {
  @RegisterExtension
  static GreenMailExtension mail =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "s3cret"));

  @TempDir Path dir;

  /** A clock the test moves; nothing sleeps. */
  static final class TestClock extends Clock {
    final AtomicReference<Instant> now;

    TestClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    void set(String t) {
      now.set(Instant.parse(t));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  private static ReportScheduler.Job job(
      String cron, String report, ReportFormat f, Path folder, String receiver) {
    return new ReportScheduler.Job(CronExpression.parse(cron), report, f, folder, receiver, null);
  }

  @Test
  void dueJobs_runAtTheirMinute_coverTheRangeEndingThere_andWriteToTheFolder() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-03-01T23:58:30Z"));
    Path out = dir.resolve("out");
    try (ReportScheduler s =
        new ReportScheduler(
            List.of(job("0 0 * * *", "system_performance", ReportFormat.MD, out, null)),
            ZoneOffset.UTC,
            clock,
            ReportLibrary.of(null),
            Fixtures.runner(),
            null)) {
      assertThat(s.nextRuns().get(0).toInstant()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
      assertThat(s.runDue()).isZero();
      assertThat(out).doesNotExist();

      clock.set("2026-03-02T00:00:40Z"); // a tick 40 s late still covers up to 00:00
      assertThat(s.runDue()).isEqualTo(1);
      Path file = out.resolve("system_performance-20260302T0000Z.md");
      assertThat(file).exists();
      assertThat(Files.readString(file))
          .startsWith("# System performance\n\nFrom 2026-03-01T00:00:00Z to 2026-03-02T00:00:00Z")
          .contains("| Requests | 259,200 |");
      assertThat(s.runDue()).isZero();
      assertThat(s.nextRuns().get(0).toInstant()).isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));

      // Three days missed (server busy): one run, then the next minute after now.
      clock.set("2026-03-05T12:00:00Z");
      assertThat(s.runDue()).isEqualTo(1);
      assertThat(s.nextRuns().get(0).toInstant()).isEqualTo(Instant.parse("2026-03-06T00:00:00Z"));
      assertThat(s.runs()).containsEntry("system_performance", 2L);
      assertThat(s.failures()).containsEntry("system_performance", 0L);
      try (var files = Files.list(out)) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
            .containsExactly(
                "system_performance-20260302T0000Z.md", "system_performance-20260303T0000Z.md");
      }
    }
  }

  @Test
  void email_sendsThePdfAttachedThroughTheNotifyReceiver() throws Exception {
    NotifyConfig notify =
        NotifyConfig.parse(
            "vigil.yml",
            """
            global:
              smtp_from: vigil@example.org
              smtp_smarthost: 127.0.0.1:PORT
            route: {receiver: team}
            receivers:
              - name: team
                email_configs:
                  - to: team@example.org
                    auth_username: alice
                    auth_password: s3cret
                    require_tls: false
            """
                .replace("PORT", Integer.toString(mail.getSmtp().getPort())));
    TestClock clock = new TestClock(Instant.parse("2026-03-01T07:59:00Z"));
    try (ReportScheduler s =
        new ReportScheduler(
            List.of(job("0 8 * * SUN", "cost", ReportFormat.PDF, null, "team")),
            ZoneOffset.UTC,
            clock,
            ReportLibrary.of(null),
            Fixtures.runner(),
            () -> notify)) {
      clock.set("2026-03-01T08:00:00Z");
      assertThat(s.runDue()).isEqualTo(1);
      assertThat(s.failures()).containsEntry("cost", 0L);
      // Transport.send returned: GreenMail has the message.
      MimeMessage[] got = mail.getReceivedMessages();
      assertThat(got).hasSize(1);
      MimeMessage m = got[0];
      assertThat(m.getSubject()).isEqualTo("Cost by provider and model (2026-03-01T08:00:00Z)");
      assertThat(m.getAllRecipients()[0].toString()).isEqualTo("team@example.org");
      MimeMultipart mixed = (MimeMultipart) m.getContent();
      BodyPart pdf = mixed.getBodyPart(1);
      assertThat(pdf.getFileName()).isEqualTo("cost-20260301T0800Z.pdf");
      assertThat(pdf.getContentType()).startsWith("application/pdf");
      byte[] bytes = pdf.getInputStream().readAllBytes();
      assertThat(new String(bytes, 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("%PDF-");
    }
  }

  @Test
  void failures_areCountedAndDoNotStopOtherJobs() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-03-01T23:59:00Z"));
    Path blocked = Files.writeString(dir.resolve("a-file"), "not a folder");
    Path ok = dir.resolve("ok");
    try (ReportScheduler s =
        new ReportScheduler(
            List.of(
                job("0 0 * * *", "weekly_summary", ReportFormat.JSON, blocked, null),
                job("0 0 * * *", "nope", ReportFormat.JSON, ok, null),
                job("0 0 * * *", "cost", ReportFormat.MD, ok, "team"),
                job("0 0 * * *", "quality_trends", ReportFormat.HTML, ok, null)),
            ZoneOffset.UTC,
            clock,
            ReportLibrary.of(null),
            Fixtures.runner(),
            () -> null)) {
      clock.set("2026-03-02T00:00:00Z");
      assertThat(s.runDue()).isEqualTo(4);
      assertThat(s.failures())
          .containsEntry("weekly_summary", 1L)
          .containsEntry("nope", 1L)
          .containsEntry("cost", 1L)
          .containsEntry("quality_trends", 0L);
      // The file part of a job whose mail failed is still delivered.
      assertThat(ok.resolve("cost-20260302T0000Z.md")).exists();
      assertThat(ok.resolve("quality_trends-20260302T0000Z.html")).exists();
      assertThat(Duration.between(clock.instant(), s.nextRuns().get(3).toInstant()))
          .isEqualTo(Duration.ofDays(1));
    }
  }
}
