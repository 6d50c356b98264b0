package dev.vigil.rules.slo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The multi-window multi-burn-rate alert windows of an SLO period: two page windows and two ticket
 * windows, each a short and a long window and the burn rate both must exceed.
 *
 * <p>Sloth specs use the Google SRE workbook's table ("Alerting on SLOs", recommended parameters),
 * as Sloth's default catalog does: for 30 days, page when 2% of the budget burns in 1 h (14.4×, 5m
 * short window) or 5% in 6 h (6×, 30m), ticket when 10% burns in 1 d (3×, 2h) or 10% in 3 d (1×,
 * 6h). The factor is {@code budgetPercent/100 × period / longWindow}, so 28 days gives 13.44×,
 * 5.6×, 2.8× and 0.93×. Sloth ships only 28d and 30d; Vigil also takes 7d with the windows of
 * Sloth's documented 7-day catalog (8%, 12.5%, 20%, 42%). Other periods are refused.
 *
 * <p>Pyrra specs use Pyrra's windows, scaled from 28 days to the SLO's window and rounded to the
 * minute: critical 14× over 1h and 5m (for 2m), critical 7× over 6h and 30m (for 15m), warning 2×
 * over 1d and 2h (for 1h), warning 1× over 4d and 6h (for 3h).
 */
record AlertWindows(Duration period, List<Window> windows) {

  /**
   * One window pair.
   *
   * @param page true for the page (critical) alert, false for the ticket (warning) one
   * @param forDuration the alert's {@code for} (zero for Sloth, as Sloth generates none)
   */
  record Window(
      boolean page,
      Duration shortWindow,
      Duration longWindow,
      double factor,
      Duration forDuration) {}

  private static final Duration DAY = Duration.ofDays(1);

  /** Budget percents of Sloth's catalogs: page quick, page slow, ticket quick, ticket slow. */
  private static final Map<Duration, double[]> SLOTH_BUDGETS =
      Map.of(
          Duration.ofDays(30), new double[] {2, 5, 10, 10},
          Duration.ofDays(28), new double[] {2, 5, 10, 10},
          Duration.ofDays(7), new double[] {8, 12.5, 20, 42});

  /** The periods a Sloth spec may use, for messages. */
  static final String SLOTH_PERIODS = "7d, 28d, 30d";

  /** Sloth's windows for {@code period}, or null when Sloth has no catalog for it. */
  static AlertWindows sloth(Duration period) {
    double[] b = SLOTH_BUDGETS.get(period);
    if (b == null) {
      return null;
    }
    List<Window> ws = new ArrayList<>();
    ws.add(sloth(true, period, b[0], Duration.ofMinutes(5), Duration.ofHours(1)));
    ws.add(sloth(true, period, b[1], Duration.ofMinutes(30), Duration.ofHours(6)));
    ws.add(sloth(false, period, b[2], Duration.ofHours(2), DAY));
    ws.add(sloth(false, period, b[3], Duration.ofHours(6), Duration.ofDays(3)));
    return new AlertWindows(period, List.copyOf(ws));
  }

  private static Window sloth(
      boolean page, Duration period, double percent, Duration shortW, Duration longW) {
    // Sloth's arithmetic, in hours, so the factors print as Sloth prints them (14.4, 6, 3, 1).
    double hours = percent * (period.toSeconds() / 3600.0) / 100;
    double factor = hours / (longW.toSeconds() / 3600.0);
    return new Window(page, shortW, longW, factor, Duration.ZERO);
  }

  /** Pyrra's windows for {@code period}; null when a window would round to zero minutes. */
  static AlertWindows pyrra(Duration period) {
    List<Window> ws = new ArrayList<>();
    ws.add(pyrra(true, period, 28L * 24 * 12, 28L * 24, 14, 28L * 24 * 30));
    ws.add(pyrra(true, period, 28L * 24 * 2, 28L * 4, 7, 28L * 24 * 4));
    ws.add(pyrra(false, period, 28L * 12, 28, 2, 28L * 24));
    ws.add(pyrra(false, period, 28L * 4, 7, 1, 28L * 8));
    for (Window w : ws) {
      if (w.shortWindow().isZero() || w.longWindow().isZero()) {
        return null;
      }
    }
    return new AlertWindows(period, List.copyOf(ws));
  }

  private static Window pyrra(
      boolean page, Duration period, long shortDiv, long longDiv, double factor, long forDiv) {
    return new Window(
        page,
        roundMinute(period.dividedBy(shortDiv)),
        roundMinute(period.dividedBy(longDiv)),
        factor,
        roundMinute(period.dividedBy(forDiv)));
  }

  /** Go's {@code Duration.Round(time.Minute)}: to the nearest minute, halves away from zero. */
  static Duration roundMinute(Duration d) {
    long ms = d.toMillis();
    long m = (ms + 30_000) / 60_000;
    return Duration.ofMinutes(m);
  }

  /** Every window the alerts read, shortest first, without repeats. */
  List<Duration> alertWindows() {
    java.util.TreeSet<Duration> s = new java.util.TreeSet<>();
    for (Window w : windows) {
      s.add(w.shortWindow());
      s.add(w.longWindow());
    }
    return List.copyOf(s);
  }
}
