package dev.vigil.tsdb.head;

import dev.vigil.model.Exemplar;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.wal.RecordEncoder;
import dev.vigil.tsdb.wal.RecordType;
import java.util.List;

/**
 * Encodes the head's WAL records whose layout several writers share (commits and checkpoints). The
 * layouts are specified in {@code docs/format/wal.md}.
 */
public final class WalRecords {
  private WalRecords() {}

  /** One EXEMPLARS record: the exemplars of {@code series} (one per exemplar, refs may repeat). */
  public static void exemplars(RecordEncoder enc, List<MemSeries> series, List<Exemplar> ex) {
    enc.begin(RecordType.EXEMPLARS);
    enc.uvarint(ex.size());
    long r0 = series.get(0).ref();
    long t0 = ex.get(0).timestampMs();
    enc.uvarint(r0);
    enc.varint(t0);
    for (int i = 0; i < ex.size(); i++) {
      Exemplar e = ex.get(i);
      enc.varint(series.get(i).ref() - r0);
      enc.varint(e.timestampMs() - t0);
      enc.long64(Double.doubleToRawLongBits(e.value()));
      Labels l = e.labels();
      enc.uvarint(l.size());
      for (int j = 0; j < l.size(); j++) {
        enc.string(l.name(j));
        enc.string(l.value(j));
      }
    }
    enc.end();
  }
}
