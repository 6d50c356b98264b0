package dev.vigil.collectors.recorders;

/**
 * What a model's tokens cost, for {@code model_cost_total}.
 *
 * {@snippet :
 * Recorders.builder().modelPrice("gpt-4o", new ModelPrice(0.0025, 0.01, "USD")).build();
 * }
 *
 * @param perThousandPromptTokens cost of 1,000 prompt tokens
 * @param perThousandOutputTokens cost of 1,000 output tokens
 * @param currency the currency unit, a label value such as {@code USD}
 */
public record ModelPrice(
    double perThousandPromptTokens, double perThousandOutputTokens, String currency) {

  /** Rejects negative or NaN prices and an empty currency. */
  public ModelPrice {
    if (!(perThousandPromptTokens >= 0) || !(perThousandOutputTokens >= 0)) {
      throw new IllegalArgumentException(
          "model prices must be >= 0, got "
              + perThousandPromptTokens
              + " and "
              + perThousandOutputTokens);
    }
    if (currency == null || currency.isBlank()) {
      throw new IllegalArgumentException("model price currency is null or blank");
    }
  }

  /** Returns the cost of one generation. */
  public double cost(long promptTokens, long outputTokens) {
    return promptTokens / 1000.0 * perThousandPromptTokens
        + outputTokens / 1000.0 * perThousandOutputTokens;
  }
}
