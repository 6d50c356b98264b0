package dev.vigil.promql;

import dev.vigil.model.Resolution;
import java.util.Locale;
import java.util.Set;

/**
 * The coarsest stored data a query may read, like Thanos' {@code max_source_resolution}: {@link
 * #RAW} (the default) keeps answers exact; {@link #FIVE_MINUTES} and {@link #ONE_HOUR} cap the
 * rollups used; {@link #AUTO} picks, per selector, the coarsest rollup not coarser than the query
 * step nor a fifth of the range-vector window (the lookback for an instant selector).
 *
 * <p>Whatever the cap, a selector reads rollups only where they answer its function sensibly:
 * {@code rate}, {@code increase} and {@code irate} read the counter rollup (resets removed); {@code
 * min/max/sum/avg/last_over_time} read their own aggregate; a plain instant selector reads the
 * 5-minute average. Every other function (e.g. {@code count_over_time}, {@code delta}, {@code
 * resets}, {@code quantile_over_time}) and windows shorter than five rollup intervals read raw
 * data.
 */
public enum SourceResolution {
  RAW,
  FIVE_MINUTES,
  ONE_HOUR,
  AUTO;

  private static final Set<String> ROLLUP_FUNCS =
      Set.of(
          "rate",
          "increase",
          "irate",
          "min_over_time",
          "max_over_time",
          "sum_over_time",
          "avg_over_time",
          "last_over_time");

  /**
   * Parses {@code raw}, {@code 5m}, {@code 1h} or {@code auto} (also {@code 0s}, {@code 0}, {@code
   * 300s}, {@code 3600s}); {@code null} or empty is {@link #RAW}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static SourceResolution parse(String s) {
    if (s == null || s.isEmpty()) {
      return RAW;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "raw", "0", "0s" -> RAW;
      case "5m", "300s" -> FIVE_MINUTES;
      case "1h", "60m", "3600s" -> ONE_HOUR;
      case "auto" -> AUTO;
      default ->
          throw new IllegalArgumentException(
              "unknown resolution \"" + s + "\"; expected raw, 5m, 1h or auto");
    };
  }

  /**
   * The resolution a selector may read.
   *
   * @param func the function around the selector, or {@code null}
   * @param range the range-vector window (ms), 0 for an instant selector
   * @param step the query step (ms), 0 for an instant query
   * @param lookback the engine's lookback delta (ms)
   */
  Resolution forSelector(String func, long range, long step, long lookback) {
    if (this == RAW) {
      return Resolution.RAW;
    }
    long cap =
        switch (this) {
          case FIVE_MINUTES -> Resolution.FIVE_MINUTES.millis();
          case ONE_HOUR, AUTO -> Resolution.ONE_HOUR.millis();
          case RAW -> 0;
        };
    if (this == AUTO) {
      if (step <= 0) {
        return Resolution.RAW;
      }
      cap = Math.min(cap, step);
    }
    long window;
    if (range == 0 && func == null) {
      window = lookback; // an instant selector needs a rollup sample in every lookback window
    } else if (range > 0 && func != null && ROLLUP_FUNCS.contains(func)) {
      window = range / 5;
    } else {
      return Resolution.RAW;
    }
    cap = Math.min(cap, window);
    if (cap >= Resolution.ONE_HOUR.millis()) {
      return Resolution.ONE_HOUR;
    }
    return cap >= Resolution.FIVE_MINUTES.millis() ? Resolution.FIVE_MINUTES : Resolution.RAW;
  }
}
