package dev.vigil.ingest.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.FuzzSupport;
import dev.vigil.ingest.IngestRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** The checks the import decoders' fuzz targets share. */
final class ImportFuzz {
  private ImportFuzz() {}

  static void check(byte[] data, Supplier<LineDecoder> decoders) {
    String text = new String(data, StandardCharsets.UTF_8);
    LineDecoder d = decoders.get();
    for (String line : text.split("\n", -1)) {
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      List<ImportedSample> out = new ArrayList<>();
      try {
        d.decode(line, out);
      } catch (LineDecoder.ImportLineException e) {
        assertThat(e.column()).as(e.getMessage()).isBetween(1, line.length() + 1);
        assertThat(e.getMessage()).isNotBlank();
        assertThat(out).as("samples of a failing line").isEmpty();
        continue;
      }
      for (ImportedSample s : out) {
        assertThat(s.labels().metricName()).isNotEmpty();
      }
    }
    FuzzSupport.Harness h = new FuzzSupport.Harness();
    ImportHandler handler = new ImportHandler(h.ingester, decoders);
    h.check(
        handler.handle(IngestRequest.builder().body(data).build()),
        ImportHandler.PROTOCOL,
        Set.of(204, 400, 413));
  }

  static void mutate(Class<?> target, long seed, String... words) throws Exception {
    Supplier<LineDecoder> decoders =
        target == CsvDecoderFuzzTest.class ? CsvDecoder::new : JsonLinesDecoder::new;
    FuzzSupport.mutate(
        FuzzSupport.corpus(target, "decode"),
        seed,
        10_000,
        FuzzSupport.words(words),
        in -> check(in, decoders));
  }
}
