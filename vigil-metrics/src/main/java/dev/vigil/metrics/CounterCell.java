package dev.vigil.metrics;

import dev.vigil.metrics.model.Exemplar;
import dev.vigil.metrics.model.Labels;
import java.time.InstantSource;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** The counter child: a LongAdder for whole increments plus lazy state for the rest. */
@SuppressWarnings("serial")
final class CounterCell extends LongAdder implements Counter.Child {
  private final InstantSource clock;
  private volatile DoubleAdder fraction;
  volatile Exemplar exemplar;
  final long createdMillis;

  CounterCell(InstantSource clock) {
    this.clock = clock;
    this.createdMillis = clock.millis();
  }

  @Override
  public void inc() {
    increment();
  }

  @Override
  public void inc(double amount) {
    long whole = (long) amount;
    if (whole == amount && whole >= 0) {
      add(whole);
    } else {
      incFraction(amount);
    }
  }

  private void incFraction(double amount) {
    if (!(amount >= 0)) {
      throw new IllegalArgumentException(
          "counter increment must be non-negative and not NaN, got " + amount);
    }
    DoubleAdder f = fraction;
    if (f == null) {
      synchronized (this) {
        f = fraction;
        if (f == null) {
          f = new DoubleAdder();
          fraction = f;
        }
      }
    }
    f.add(amount);
  }

  @Override
  public void incWithExemplar(double amount, String traceId, String spanId) {
    inc(amount);
    exemplar = Exemplar.of(amount, traceId, spanId, clock.millis());
  }

  @Override
  public void incWithExemplar(double amount, Labels exemplarLabels) {
    inc(amount);
    exemplar = new Exemplar(amount, exemplarLabels, clock.millis());
  }

  @Override
  public double get() {
    DoubleAdder f = fraction;
    return f == null ? (double) sum() : sum() + f.sum();
  }
}
