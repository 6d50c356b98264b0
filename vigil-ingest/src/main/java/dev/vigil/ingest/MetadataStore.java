package dev.vigil.ingest;

import dev.vigil.model.MetricMetadata;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest metadata per metric family received by push, for {@code /api/v1/metadata}. Bounded:
 * once full, new families are ignored (known ones still update).
 *
 * <p>Thread-safe.
 */
public final class MetadataStore {
  private final int maxFamilies;
  private final ConcurrentHashMap<String, MetricMetadata> byFamily = new ConcurrentHashMap<>();

  public MetadataStore(int maxFamilies) {
    this.maxFamilies = maxFamilies;
  }

  /** Records metadata; returns false when the store is full and the family is new. */
  public boolean put(MetricMetadata m) {
    if (byFamily.size() >= maxFamilies && !byFamily.containsKey(m.family())) {
      return false;
    }
    byFamily.put(m.family(), m);
    return true;
  }

  /** The metadata of one family, or {@code null}. */
  public MetricMetadata get(String family) {
    return byFamily.get(family);
  }

  /** All families' metadata sorted by family name. */
  public List<MetricMetadata> all() {
    return List.copyOf(new TreeMap<>(byFamily).values());
  }

  public int size() {
    return byFamily.size();
  }
}
