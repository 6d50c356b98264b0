package dev.vigil.model;

/** The write side of storage: ingest paths (scrapes, remote write, OTLP, imports) use only this. */
public interface Appendable {
  /** A new transaction. */
  Appender appender();
}
