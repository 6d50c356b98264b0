/** A Micrometer {@code MeterRegistry} exposed through a vigil-metrics registry. */
package dev.vigil.micrometer;
