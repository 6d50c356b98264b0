package dev.vigil.rules.template;

import dev.vigil.model.Labels;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A read-only {@code Map} view of {@link Labels} in label-name order (Go's sorted map order), so an
 * alert's labels reach the template without a copy.
 */
final class LabelsMap extends AbstractMap<String, String> {
  private final Labels labels;

  LabelsMap(Labels labels) {
    this.labels = labels;
  }

  @Override
  public String get(Object key) {
    return key instanceof String s ? labels.get(s) : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String s && labels.has(s);
  }

  @Override
  public int size() {
    return labels.size();
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < labels.size();
          }

          @Override
          public Map.Entry<String, String> next() {
            if (i >= labels.size()) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, String> e = Map.entry(labels.name(i), labels.value(i));
            i++;
            return e;
          }
        };
      }

      @Override
      public int size() {
        return labels.size();
      }
    };
  }
}
