package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Model generation metrics: generations, duration, tokens, cost and queue size. */
final class ModelRecorder {
  static final Buckets BUCKETS = Buckets.of(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300);

  final Counter generations;
  final Histogram duration;
  final Counter tokens;
  final Counter cost;
  final Gauge queue;
  private final Map<String, ModelPrice> prices;

  ModelRecorder(Names n, Map<String, ModelPrice> prices) {
    this.prices = Map.copyOf(prices);
    generations =
        Counter.builder()
            .name(n.of("model_generations_total"))
            .help("Model generations by model, provider and status (success or failure).")
            .labelNames("model", "provider", "status")
            .build();
    duration =
        Histogram.builder()
            .name(n.of("model_generation_duration_seconds"))
            .help("Model generation duration.")
            .labelNames("model", "provider")
            .buckets(BUCKETS)
            .build();
    tokens =
        Counter.builder()
            .name(n.of("model_tokens_total"))
            .help("Tokens by model, provider and type (prompt or output).")
            .labelNames("model", "provider", "type")
            .build();
    cost =
        Counter.builder()
            .name(n.of("model_cost_total"))
            .help("Cost of generations in the currency configured for the model.")
            .labelNames("model", "provider", "currency")
            .build();
    queue =
        Gauge.builder()
            .name(n.of("model_queue_size"))
            .help("Generations waiting for a model.")
            .labelNames("model")
            .build();
  }

  List<Metric> metrics() {
    return List.of(generations, duration, tokens, cost, queue);
  }

  void record(
      String model,
      String provider,
      double seconds,
      boolean success,
      long promptTokens,
      long outputTokens) {
    final String m = "recordModelGeneration";
    Check.label(m, "model", model);
    Check.label(m, "provider", provider);
    Check.seconds(m, "seconds", seconds);
    Check.count(m, "promptTokens", promptTokens);
    Check.count(m, "outputTokens", outputTokens);
    Children c = children.get(provider).get(model);
    (success ? c.success : c.failure).inc();
    c.duration.observe(seconds);
    if (promptTokens > 0) {
      c.prompt.inc(promptTokens);
    }
    if (outputTokens > 0) {
      c.output.inc(outputTokens);
    }
    if (c.price != null) {
      double amount = c.price.cost(promptTokens, outputTokens);
      if (amount > 0) {
        c.cost.inc(amount);
      }
    }
  }

  /** One model's children for one provider. */
  private record Children(
      Counter.Child success,
      Counter.Child failure,
      Histogram.Child duration,
      Counter.Child prompt,
      Counter.Child output,
      ModelPrice price,
      Counter.Child cost) {}

  private final AtomicInteger budget = new AtomicInteger(ChildCache.MAX_KEYS);

  // provider -> model -> children: two hash lookups instead of up to five label lookups.
  private final ChildCache<ChildCache<Children>> children =
      new ChildCache<>(
          provider -> new ChildCache<>(model -> newChildren(model, provider), budget), budget);

  private Children newChildren(String model, String provider) {
    ModelPrice price = prices.get(model);
    return new Children(
        generations.labelValues(model, provider, "success"),
        generations.labelValues(model, provider, "failure"),
        duration.labelValues(model, provider),
        tokens.labelValues(model, provider, "prompt"),
        tokens.labelValues(model, provider, "output"),
        price,
        price == null ? null : cost.labelValues(model, provider, price.currency()));
  }

  void queueSize(String model, long size) {
    Check.label("setModelQueueSize", "model", model);
    Check.count("setModelQueueSize", "size", size);
    queue.labelValues(Scratch.of(model)).set(size);
  }
}
