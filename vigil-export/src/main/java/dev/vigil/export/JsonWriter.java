package dev.vigil.export;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One JSON document shaped as Prometheus' range query answer: {@code
 * {"status":"success","data":{"resultType":"matrix","result":[{"metric":{...},"values":[[1765100000.5,"1"],...]}]}}}
 * (seconds, values as strings so that NaN and infinities stay JSON). Written as it streams.
 */
final class JsonWriter extends TextWriter {
  private boolean firstSeries = true;
  private boolean firstSample;

  JsonWriter(OutputStream out) throws IOException {
    super(out);
    line.append("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
  }

  @Override
  public void beginSeries(Labels labels) throws IOException {
    if (!firstSeries) {
      line.append(',');
    }
    firstSeries = false;
    firstSample = true;
    line.append("\n{\"metric\":");
    Text.jsonLabels(line, labels);
    line.append(",\"values\":[");
  }

  @Override
  public void sample(long t, double v) throws IOException {
    if (!firstSample) {
      line.append(',');
    }
    firstSample = false;
    line.append('[');
    Text.seconds(line, t);
    line.append(",\"");
    Text.number(line, v);
    line.append("\"]");
    if (line.length() > 8192) {
      emit();
    }
  }

  @Override
  public void endSeries() throws IOException {
    line.append("]}");
    emit();
  }

  @Override
  public void finish() throws IOException {
    line.append("\n]}}\n");
    super.finish();
  }
}
