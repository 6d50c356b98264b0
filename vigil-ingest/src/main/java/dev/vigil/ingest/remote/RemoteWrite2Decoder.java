package dev.vigil.ingest.remote;

import dev.vigil.ingest.MetadataStore;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.SampleBatch;
import dev.vigil.ingest.wire.ProtoException;
import dev.vigil.ingest.wire.ProtoReader;
import dev.vigil.model.MetricMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a Prometheus remote write 2.0 {@code io.prometheus.write.v2.Request} (already
 * decompressed) into a {@link SampleBatch}: label and metadata strings are references into the
 * request's symbols table.
 *
 * <pre>{@code
 * RemoteWrite2Decoder.Counts c = RemoteWrite2Decoder.decode(proto, batch, metadataStore);
 * }</pre>
 *
 * <p>Stateless. Native histograms are counted as {@link RejectReason#UNSUPPORTED_TYPE}; exemplars
 * go into the batch next to their series' samples.
 */
final class RemoteWrite2Decoder {
  /*
   * message Request    { reserved 1 to 3; repeated string symbols = 4;
   *                      repeated TimeSeries timeseries = 5; }
   * message TimeSeries { repeated uint32 labels_refs = 1 (packed); repeated Sample samples = 2;
   *                      repeated Histogram histograms = 3; repeated Exemplar exemplars = 4;
   *                      Metadata metadata = 5; int64 created_timestamp = 6; }
   * message Sample     { double value = 1; int64 timestamp = 2; int64 start_timestamp = 3; }
   * message Exemplar   { repeated uint32 labels_refs = 1 (packed); double value = 2;
   *                      int64 timestamp = 3; }
   * message Metadata   { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
   *
   * The symbols may follow the series on the wire (field order is free in protobuf), so the
   * series are decoded in a second pass once every symbol is known.
   */

  /** What the request held besides float samples. */
  public record Counts(long histograms, long exemplars) {}

  private RemoteWrite2Decoder() {}

  /**
   * Decodes one request.
   *
   * @throws ProtoException when the message is malformed or a reference is outside the symbols
   */
  public static Counts decode(byte[] proto, SampleBatch batch, MetadataStore metadata) {
    List<String> symbols = new ArrayList<>();
    ProtoReader r = new ProtoReader(proto);
    while (r.hasMore()) {
      int tag = r.readTag();
      if (ProtoReader.field(tag) == 4) {
        r.expect(tag, ProtoReader.LEN, "Request.symbols");
        symbols.add(r.readString());
      } else {
        r.skip(tag);
      }
    }
    String[] sym = symbols.toArray(new String[0]);
    RemoteWrite1Decoder.SeriesScratch scratch = new RemoteWrite1Decoder.SeriesScratch();
    List<MetricMetadata> meta = new ArrayList<>();
    long histograms = 0;
    long exemplars = 0;
    r = new ProtoReader(proto);
    while (r.hasMore()) {
      int tag = r.readTag();
      if (ProtoReader.field(tag) != 5) {
        r.skip(tag);
        continue;
      }
      r.expect(tag, ProtoReader.LEN, "Request.timeseries");
      int saved = r.enter();
      scratch.reset();
      int seriesHistograms = 0;
      int type = 0;
      String help = "";
      String unit = "";
      boolean hasMetadata = false;
      while (r.hasMore()) {
        int t = r.readTag();
        switch (ProtoReader.field(t)) {
          case 1 -> refs(r, t, sym, scratch);
          case 2 -> {
            r.expect(t, ProtoReader.LEN, "TimeSeries.samples");
            int s = r.enter();
            RemoteWrite1Decoder.sample(r, scratch);
            r.leave(s);
          }
          case 3 -> {
            seriesHistograms++;
            r.skip(t);
          }
          case 4 -> {
            r.expect(t, ProtoReader.LEN, "TimeSeries.exemplars");
            int s = r.enter();
            scratch.exemplar(exemplar(r, sym));
            r.leave(s);
            exemplars++;
          }
          case 5 -> {
            r.expect(t, ProtoReader.LEN, "TimeSeries.metadata");
            int s = r.enter();
            hasMetadata = true;
            while (r.hasMore()) {
              int mt = r.readTag();
              switch (ProtoReader.field(mt)) {
                case 1 -> type = r.readVarint32();
                case 3 -> help = symbol(sym, r.readVarint64(), r);
                case 4 -> unit = symbol(sym, r.readVarint64(), r);
                default -> r.skip(mt);
              }
            }
            r.leave(s);
          }
          default -> r.skip(t);
        }
      }
      r.leave(saved);
      if (hasMetadata && (type != 0 || !help.isEmpty() || !unit.isEmpty())) {
        String family = scratch.metricName();
        if (family != null) {
          meta.add(new MetricMetadata(family, RemoteWrite1Decoder.typeName(type), help, unit));
        }
      }
      scratch.flush(batch);
      if (seriesHistograms > 0) {
        histograms += seriesHistograms;
        batch.reject(
            RejectReason.UNSUPPORTED_TYPE,
            seriesHistograms,
            scratch.describe()
                + ": "
                + seriesHistograms
                + " native histogram samples not stored (floats only)");
      }
    }
    for (MetricMetadata m : meta) {
      metadata.put(m);
    }
    return new Counts(histograms, exemplars);
  }

  /** One {@code Exemplar} message (the reader inside it). */
  private static dev.vigil.model.Exemplar exemplar(ProtoReader r, String[] sym) {
    List<String> nv = new ArrayList<>();
    double v = 0;
    long ts = 0;
    while (r.hasMore()) {
      int t = r.readTag();
      switch (ProtoReader.field(t)) {
        case 1 -> {
          if (ProtoReader.wireType(t) == ProtoReader.LEN) {
            int saved = r.enter();
            while (r.hasMore()) {
              nv.add(symbol(sym, r.readVarint64(), r));
            }
            r.leave(saved);
          } else {
            r.expect(t, ProtoReader.VARINT, "Exemplar.labels_refs");
            nv.add(symbol(sym, r.readVarint64(), r));
          }
        }
        case 2 -> {
          r.expect(t, ProtoReader.FIXED64, "Exemplar.value");
          v = r.readDouble();
        }
        case 3 -> {
          r.expect(t, ProtoReader.VARINT, "Exemplar.timestamp");
          ts = r.readVarint64();
        }
        default -> r.skip(t);
      }
    }
    if (nv.size() % 2 != 0) {
      throw new ProtoException(
          "odd number of exemplar label references (" + nv.size() + ")", r.position());
    }
    return RemoteWrite1Decoder.exemplar(nv, v, ts, r);
  }

  private static void refs(
      ProtoReader r, int tag, String[] sym, RemoteWrite1Decoder.SeriesScratch scratch) {
    List<String> names = new ArrayList<>();
    if (ProtoReader.wireType(tag) == ProtoReader.LEN) {
      int saved = r.enter();
      while (r.hasMore()) {
        names.add(symbol(sym, r.readVarint64(), r));
      }
      r.leave(saved);
    } else {
      r.expect(tag, ProtoReader.VARINT, "TimeSeries.labels_refs");
      names.add(symbol(sym, r.readVarint64(), r));
    }
    scratch.pendingRefs(names);
  }

  private static String symbol(String[] sym, long ref, ProtoReader r) {
    if (ref < 0 || ref >= sym.length) {
      throw new ProtoException(
          "symbol reference " + ref + " outside the symbols table of " + sym.length + " entries",
          r.position());
    }
    return sym[(int) ref];
  }
}
