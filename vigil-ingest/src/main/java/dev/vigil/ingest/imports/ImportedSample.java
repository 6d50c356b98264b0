package dev.vigil.ingest.imports;

import dev.vigil.model.Labels;

/** One sample read from an import file: its series, time in milliseconds and value. */
public record ImportedSample(Labels labels, long timeMillis, double value) {}
