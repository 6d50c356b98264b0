package dev.vigil.micrometer;

import dev.vigil.metrics.MetricRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.tck.MeterRegistryCompatibilityKit;
import java.time.Duration;

/** Micrometer's own compatibility kit (micrometer-test) against VigilMeterRegistry. */
class VigilMeterRegistryCompatibilityTest extends MeterRegistryCompatibilityKit {
  @Override
  public MeterRegistry registry() {
    return new VigilMeterRegistry(new MetricRegistry(), new MockClock());
  }

  @Override
  public Duration step() {
    return Duration.ofMinutes(1);
  }
}
