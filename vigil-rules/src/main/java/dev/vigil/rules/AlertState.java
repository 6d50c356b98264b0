package dev.vigil.rules;

/** The state of one alert, as Prometheus names it in {@code ALERTS{alertstate}} and the API. */
public enum AlertState {
  INACTIVE,
  PENDING,
  FIRING;

  /** {@code inactive}, {@code pending}, {@code firing}. */
  public String apiName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
