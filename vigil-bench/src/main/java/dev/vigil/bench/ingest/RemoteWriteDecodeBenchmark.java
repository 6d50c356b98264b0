package dev.vigil.bench.ingest;

import com.google.protobuf.CodedInputStream;
import dev.vigil.ingest.MetadataStore;
import dev.vigil.ingest.SampleBatch;
import dev.vigil.ingest.SeriesCache;
import dev.vigil.ingest.remote.RemoteWrite1Decoder;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding one remote-write request of 1,000 series (one sample each, as Prometheus sends them):
 * Vigil's {@link Snappy} decoder (pure Java) against snappy-java's native one, and Vigil's protobuf
 * reader against protobuf-java's {@link CodedInputStream} (the reader generated code uses), both
 * producing the same {@link SampleBatch}; and Vigil's decoder with a warm {@link SeriesCache}, as
 * in the running server. On a loaded machine, {@link RemoteWriteDecodeCpu} times the same cases in
 * CPU time.
 *
 * <pre>{@code
 * java -jar vigil-bench/target/benchmarks.jar RemoteWriteDecodeBenchmark -f 1 -wi 2 -i 3
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RemoteWriteDecodeBenchmark {
  private byte[] compressed;
  private byte[] proto;
  private final MetadataStore meta = new MetadataStore(10);
  private SeriesCache cache;

  @Setup
  public void setup() {
    RemoteWriteLoad load = new RemoteWriteLoad(1_000, 1_000, 1, 1_700_000_000_000L);
    compressed = load.body(0, 7, 15_000);
    proto = Snappy.decompress(compressed, 64 << 20);
    cache = new SeriesCache(10_000);
    RemoteWrite1Decoder.decode(proto, new SampleBatch(), meta, cache);
  }

  @Benchmark
  public byte[] snappyVigil() {
    return Snappy.decompress(compressed, 64 << 20);
  }

  @Benchmark
  public byte[] snappyJavaNative() throws IOException {
    return org.xerial.snappy.Snappy.uncompress(compressed);
  }

  @Benchmark
  public SampleBatch decodeVigil() {
    SampleBatch b = new SampleBatch();
    RemoteWrite1Decoder.decode(proto, b, meta, null);
    return b;
  }

  @Benchmark
  public SampleBatch decodeVigilWarmCache() {
    SampleBatch b = new SampleBatch();
    RemoteWrite1Decoder.decode(proto, b, meta, cache);
    return b;
  }

  @Benchmark
  public SampleBatch decodeProtobufJava() throws IOException {
    SampleBatch b = new SampleBatch();
    CodedInputStream in = CodedInputStream.newInstance(proto);
    List<String> nv = new ArrayList<>();
    long[] ts = new long[8];
    double[] vs = new double[8];
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag != 0x0a) {
        in.skipField(tag);
        continue;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      nv.clear();
      int n = 0;
      int t;
      while ((t = in.readTag()) != 0) {
        if (t == 0x0a) {
          int l = in.pushLimit(in.readRawVarint32());
          String name = "";
          String value = "";
          int lt;
          while ((lt = in.readTag()) != 0) {
            if (lt == 0x0a) {
              name = in.readString();
            } else if (lt == 0x12) {
              value = in.readString();
            } else {
              in.skipField(lt);
            }
          }
          in.popLimit(l);
          nv.add(name);
          nv.add(value);
        } else if (t == 0x12) {
          int l = in.pushLimit(in.readRawVarint32());
          int st;
          while ((st = in.readTag()) != 0) {
            if (st == 0x09) {
              vs[n] = in.readDouble();
            } else if (st == 0x10) {
              ts[n] = in.readInt64();
            } else {
              in.skipField(st);
            }
          }
          in.popLimit(l);
          n++;
        } else {
          in.skipField(t);
        }
      }
      in.popLimit(limit);
      int s = b.series(Labels.of(nv.toArray(new String[0])));
      for (int i = 0; i < n; i++) {
        b.add(s, ts[i], vs[i]);
      }
    }
    return b;
  }
}
