package dev.vigil.ingest;

/**
 * The limits every ingest path enforces, frozen at construction.
 *
 * <pre>{@code
 * IngestLimits limits = IngestLimits.builder().maxSeries(200_000).samplesPerSecond(500_000).build();
 * }</pre>
 *
 * @param maxBodyBytes largest request body as received (compressed), answered 413 beyond
 * @param maxDecompressedBytes largest body after snappy or gzip, answered 413 beyond
 * @param maxSeries distinct series ingest may create; new series beyond are rejected
 * @param maxLabelsPerSeries labels per series, {@code __name__} included
 * @param maxLabelNameLength characters in a label name
 * @param maxLabelValueLength characters in a label value
 * @param samplesPerSecond sustained samples per second over all push paths, 0 for no limit;
 *     requests over it are answered 429 and store nothing
 * @param burstSamples samples a request may use above the sustained rate (token bucket size)
 */
public record IngestLimits(
    int maxBodyBytes,
    int maxDecompressedBytes,
    int maxSeries,
    int maxLabelsPerSeries,
    int maxLabelNameLength,
    int maxLabelValueLength,
    long samplesPerSecond,
    long burstSamples) {

  /** Defaults: 16 MiB bodies, 64 MiB decompressed, 1M series, 64 labels, no rate limit. */
  public static final IngestLimits DEFAULTS = builder().build();

  public IngestLimits {
    positive(maxBodyBytes, "maxBodyBytes");
    positive(maxDecompressedBytes, "maxDecompressedBytes");
    positive(maxSeries, "maxSeries");
    positive(maxLabelsPerSeries, "maxLabelsPerSeries");
    positive(maxLabelNameLength, "maxLabelNameLength");
    positive(maxLabelValueLength, "maxLabelValueLength");
    if (samplesPerSecond < 0 || burstSamples < 0) {
      throw new IllegalArgumentException("ingest rate limits must be >= 0");
    }
  }

  private static void positive(long v, String what) {
    if (v <= 0) {
      throw new IllegalArgumentException(what + " must be > 0, got " + v);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the defaults above; not thread-safe. */
  public static final class Builder {
    private int maxBodyBytes = 16 << 20;
    private int maxDecompressedBytes = 64 << 20;
    private int maxSeries = 1_000_000;
    private int maxLabelsPerSeries = 64;
    private int maxLabelNameLength = 1024;
    private int maxLabelValueLength = 4096;
    private long samplesPerSecond;
    private long burstSamples;

    private Builder() {}

    public Builder maxBodyBytes(int v) {
      maxBodyBytes = v;
      return this;
    }

    public Builder maxDecompressedBytes(int v) {
      maxDecompressedBytes = v;
      return this;
    }

    public Builder maxSeries(int v) {
      maxSeries = v;
      return this;
    }

    public Builder maxLabelsPerSeries(int v) {
      maxLabelsPerSeries = v;
      return this;
    }

    public Builder maxLabelNameLength(int v) {
      maxLabelNameLength = v;
      return this;
    }

    public Builder maxLabelValueLength(int v) {
      maxLabelValueLength = v;
      return this;
    }

    /** Sustained samples per second; the burst defaults to one second's worth. */
    public Builder samplesPerSecond(long v) {
      samplesPerSecond = v;
      return this;
    }

    public Builder burstSamples(long v) {
      burstSamples = v;
      return this;
    }

    public IngestLimits build() {
      long burst = burstSamples > 0 ? burstSamples : samplesPerSecond;
      return new IngestLimits(
          maxBodyBytes,
          maxDecompressedBytes,
          maxSeries,
          maxLabelsPerSeries,
          maxLabelNameLength,
          maxLabelValueLength,
          samplesPerSecond,
          burst);
    }
  }
}
