package dev.vigil.report;

import dev.vigil.notify.builtin.EmailSender;
import dev.vigil.notify.builtin.NotifyConfig;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code reports.schedule}: each job's report at the minutes its cron expression names,
 * rendered in its format, written to its folder and/or mailed through a {@code notify} receiver's
 * {@code email_configs}.
 *
 * <p>A run covers the report's range ending at the scheduled minute (not at the moment the run
 * happens to start), so a report of "0 8 * * MON" always covers up to Monday 08:00. Runs missed
 * while the server was down or busy are not caught up: a late tick runs a job once and schedules
 * its next minute after now. Failures (a query, a full disk, an SMTP error) are logged with the job
 * and counted ({@link #failures()}), and never stop the other jobs or the next run.
 *
 * <p>Time comes from the injected {@link Clock}; {@link #runDue()} does the work, so tests drive it
 * without sleeping. {@link #start()} ticks it every {@link #TICK} on one daemon thread.
 *
 * <p>Thread-safe: {@link #runDue()} is synchronized (ticks never overlap).
 */
public final class ReportScheduler implements AutoCloseable {
  /** How often the production loop looks for due jobs; cron's resolution is a minute. */
  public static final Duration TICK = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(ReportScheduler.class);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmX");

  /**
   * One scheduled report.
   *
   * @param folder where the file is written, or null
   * @param emailReceiver the {@code notify} receiver whose email_configs get the file, or null
   * @param range the report's range, or null for the definition's
   */
  public record Job(
      CronExpression cron,
      String report,
      ReportFormat format,
      Path folder,
      String emailReceiver,
      Duration range) {}

  private final List<Job> jobs;
  private final ZoneId zone;
  private final Clock clock;
  private final ReportLibrary library;
  private final ReportRunner runner;
  private final Supplier<NotifyConfig> notify;
  private final ZonedDateTime[] next;
  private final Map<String, LongAdder> runs = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private ScheduledExecutorService loop;

  /**
   * @param zone the zone cron expressions are read in
   * @param notify the {@code notify} section in force (null or returning null: no mail)
   */
  public ReportScheduler(
      List<Job> jobs,
      ZoneId zone,
      Clock clock,
      ReportLibrary library,
      ReportRunner runner,
      Supplier<NotifyConfig> notify) {
    this.jobs = List.copyOf(jobs);
    this.zone = zone;
    this.clock = clock;
    this.library = library;
    this.runner = runner;
    this.notify = notify;
    this.next = new ZonedDateTime[jobs.size()];
    ZonedDateTime now = clock.instant().atZone(zone);
    for (int i = 0; i < next.length; i++) {
      next[i] = this.jobs.get(i).cron().next(now);
      runs.put(this.jobs.get(i).report(), new LongAdder());
      failures.put(this.jobs.get(i).report(), new LongAdder());
    }
  }

  /** Ticks {@link #runDue()} every {@link #TICK} on a daemon thread until {@link #close()}. */
  public synchronized void start() {
    if (loop != null || jobs.isEmpty()) {
      return;
    }
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-report-scheduler");
              t.setDaemon(true);
              return t;
            });
    loop.scheduleWithFixedDelay(
        this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      runDue();
    } catch (RuntimeException e) {
      LOG.error("report scheduler tick failed", e);
    }
  }

  /** Runs every job whose scheduled minute has come; returns how many ran (failed ones too). */
  public synchronized int runDue() {
    ZonedDateTime now = clock.instant().atZone(zone);
    int ran = 0;
    for (int i = 0; i < next.length; i++) {
      if (next[i].isAfter(now)) {
        continue;
      }
      ZonedDateTime at = next[i];
      next[i] = jobs.get(i).cron().next(now);
      run(jobs.get(i), at.toInstant());
      ran++;
    }
    return ran;
  }

  /** The next scheduled minute of each job, in order. */
  public synchronized List<ZonedDateTime> nextRuns() {
    return List.of(next);
  }

  private void run(Job job, Instant at) {
    runs.get(job.report()).increment();
    List<String> problems = new ArrayList<>();
    byte[] bytes;
    try {
      Report r = runner.run(library.get(job.report()), job.range(), at);
      bytes = job.format().render(r);
    } catch (RuntimeException e) {
      fail(job, at, "cannot build the report: " + e.getMessage(), e);
      return;
    }
    String file =
        job.report() + "-" + FILE_TIME.format(at.atZone(zone)) + "." + job.format().extension();
    if (job.folder() != null) {
      try {
        write(job.folder(), file, bytes);
      } catch (IOException | RuntimeException e) {
        problems.add(
            "cannot write "
                + job.folder().resolve(file)
                + ": "
                + e.getClass().getSimpleName()
                + " "
                + e.getMessage());
      }
    }
    if (job.emailReceiver() != null) {
      NotifyConfig n = notify == null ? null : notify.get();
      if (n == null) {
        problems.add("no notify section: cannot mail receiver \"" + job.emailReceiver() + "\"");
      } else {
        try {
          EmailSender.send(
              n,
              job.emailReceiver(),
              library.get(job.report()).title() + " (" + at + ")",
              "The report \""
                  + job.report()
                  + "\" up to "
                  + at
                  + " is attached ("
                  + file
                  + ").\n\nSent by Vigil's reports.schedule ("
                  + job.cron()
                  + ").\n",
              new EmailSender.Attachment(file, job.format().contentType(), bytes),
              Duration.ofSeconds(30));
        } catch (IOException | IllegalArgumentException e) {
          problems.add("cannot mail receiver \"" + job.emailReceiver() + "\": " + e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(job, at, String.join("; ", problems), null);
    } else {
      LOG.info("report {} for {} delivered as {}", job.report(), at, file);
    }
  }

  private void fail(Job job, Instant at, String why, Throwable e) {
    failures.get(job.report()).increment();
    LOG.warn("scheduled report {} ({}) for {} failed: {}", job.report(), job.cron(), at, why);
    if (e != null && LOG.isDebugEnabled()) {
      LOG.debug("scheduled report failure", e);
    }
  }

  /** Written beside, then moved into place: a reader never sees half a report. */
  private static void write(Path folder, String file, byte[] bytes) throws IOException {
    Files.createDirectories(folder);
    Path tmp = folder.resolve("." + file + ".tmp");
    Files.write(tmp, bytes);
    try {
      Files.move(
          tmp,
          folder.resolve(file),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Runs per report name, failed ones included. */
  public Map<String, Long> runs() {
    return counts(runs);
  }

  /** Failed runs per report name. */
  public Map<String, Long> failures() {
    return counts(failures);
  }

  private static Map<String, Long> counts(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.shutdownNow();
      loop = null;
    }
  }
}
