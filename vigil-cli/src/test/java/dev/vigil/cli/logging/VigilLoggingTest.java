package dev.vigil.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.config.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The vigil command's SLF4J backend: one level for all, changed at run time, library floors. */
class VigilLoggingTest {
  @AfterEach
  void reset() {
    VigilLogging.setLevel(LogLevel.INFO);
  }

  @Test
  void slf4j_bindsThisBackend_andALevelChangeReachesExistingLoggers() {
    Logger vigil = LoggerFactory.getLogger("dev.vigil.server.Vigil");
    assertThat(vigil).isInstanceOf(VigilLogger.class);
    assertThat(vigil.isDebugEnabled()).isFalse();
    assertThat(vigil.isInfoEnabled()).isTrue();
    VigilLogging.setLevel(LogLevel.DEBUG);
    assertThat(vigil.isDebugEnabled()).isTrue();
    assertThat(vigil.isTraceEnabled()).isFalse();
    VigilLogging.setLevel(LogLevel.ERROR);
    assertThat(vigil.isWarnEnabled()).isFalse();
    assertThat(vigil.isErrorEnabled()).isTrue();
  }

  @Test
  void jettyAndJavalin_stayAtWarn_andJettysPerRequestWarnings_atError() {
    VigilLogging.setLevel(LogLevel.DEBUG);
    assertThat(LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isInfoEnabled())
        .isFalse();
    assertThat(LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isWarnEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger("io.javalin.Javalin").isInfoEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger("org.eclipse.jetty.http.HttpParser").isWarnEnabled())
        .isFalse();
    assertThat(LoggerFactory.getLogger("org.eclipse.jetty.util.HostPort").isErrorEnabled())
        .isTrue();
  }

  @Test
  void aLine_isTimeLevelShortNameAndMessage_withTheStackTraceAfter() {
    PrintStream original = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      Logger log = LoggerFactory.getLogger("dev.vigil.server.scrape.ScrapeLoop");
      log.debug("not written at info");
      log.warn(
          "scrape of {} failed: {}",
          "http://x/metrics",
          "timeout",
          new IllegalStateException("boom"));
    } finally {
      System.setErr(original);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .doesNotContain("not written")
        .containsPattern(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} WARN ScrapeLoop - scrape of"
                + " http://x/metrics failed: timeout\\n")
        .contains("java.lang.IllegalStateException: boom");
  }
}
