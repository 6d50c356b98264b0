package dev.vigil.ingest.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.ingest.Ingester;
import dev.vigil.model.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * VictoriaMetrics' JSON lines export format, one series per line:
 *
 * <pre>{@code
 * {"metric":{"__name__":"up","job":"node"},"values":[1,0,1],"timestamps":[1700000000000,1700000015000,1700000030000]}
 * }</pre>
 *
 * <p>Timestamps are Unix milliseconds (integers); values are JSON numbers, or the strings {@code
 * "NaN"}, {@code "Inf"}, {@code "+Inf"} and {@code "-Inf"}. Other keys are ignored. The metric
 * needs a valid {@code __name__}; label names must be valid Prometheus names. {@code values} and
 * {@code timestamps} must have the same length.
 */
public final class JsonLinesDecoder implements LineDecoder {
  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public void decode(String line, List<ImportedSample> out) {
    try (JsonParser p = JSON.createParser(line)) {
      decode(p, out);
    } catch (ImportLineException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw new ImportLineException(
          "invalid JSON: " + e.getOriginalMessage().split("\n", 2)[0],
          Math.max(1, e.getLocation() == null ? 1 : e.getLocation().getColumnNr()));
    } catch (IOException e) {
      throw new ImportLineException("invalid JSON: " + e.getMessage(), 1);
    }
  }

  private static void decode(JsonParser p, List<ImportedSample> out) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw at(
          p, "expected a JSON object {\"metric\":{...},\"values\":[...],\"timestamps\":[...]}");
    }
    Labels labels = null;
    double[] values = null;
    long[] times = null;
    int valuesColumn = 1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      switch (key) {
        case "metric" -> labels = metric(p, t);
        case "values" -> {
          valuesColumn = column(p);
          values = values(p, t);
        }
        case "timestamps" -> times = timestamps(p, t);
        default -> p.skipChildren();
      }
    }
    if (p.nextToken() != null) {
      throw at(p, "unexpected content after the object");
    }
    if (labels == null) {
      throw new ImportLineException("missing \"metric\"", 1);
    }
    if (values == null || times == null) {
      throw new ImportLineException(
          "missing \"" + (values == null ? "values" : "timestamps") + "\"", 1);
    }
    if (values.length != times.length) {
      throw new ImportLineException(
          values.length
              + " values but "
              + times.length
              + " timestamps: each value needs its timestamp",
          valuesColumn);
    }
    for (int i = 0; i < values.length; i++) {
      out.add(new ImportedSample(labels, times[i], values[i]));
    }
  }

  private static Labels metric(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw at(p, "\"metric\" must be an object of label names to string values");
    }
    Labels.Builder b = Labels.builder();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      int col = column(p);
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        throw at(p, "label \"" + name + "\" must have a string value");
      }
      String value = p.getText();
      if (name.equals(Labels.METRIC_NAME)) {
        if (!Ingester.validMetricName(value)) {
          throw new ImportLineException("invalid metric name \"" + value + "\"", column(p));
        }
      } else if (!Ingester.validLabelName(name)) {
        throw new ImportLineException("invalid label name \"" + name + "\"", col);
      }
      if (b.get(name) != null) {
        throw new ImportLineException("duplicate label \"" + name + "\"", col);
      }
      if (!value.isEmpty()) {
        b.set(name, value);
      }
    }
    Labels labels = b.build();
    if (labels.metricName() == null || labels.metricName().isEmpty()) {
      throw new ImportLineException("\"metric\" has no \"__name__\"", column(p));
    }
    return labels;
  }

  private static double[] values(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw at(p, "\"values\" must be an array of numbers");
    }
    List<Double> list = new ArrayList<>();
    for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
      if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
        list.add(p.getDoubleValue());
      } else if (v == JsonToken.VALUE_STRING) {
        list.add(
            switch (p.getText()) {
              case "NaN" -> Double.NaN;
              case "Inf", "+Inf" -> Double.POSITIVE_INFINITY;
              case "-Inf" -> Double.NEGATIVE_INFINITY;
              default -> throw at(p, "value \"" + p.getText() + "\" is not a number");
            });
      } else {
        throw at(p, "a value must be a number (or \"NaN\", \"+Inf\", \"-Inf\")");
      }
    }
    double[] a = new double[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.get(i);
    }
    return a;
  }

  private static long[] timestamps(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw at(p, "\"timestamps\" must be an array of Unix milliseconds");
    }
    long[] a = new long[16];
    int n = 0;
    for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
      if (v != JsonToken.VALUE_NUMBER_INT) {
        throw at(p, "a timestamp must be an integer (Unix milliseconds)");
      }
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw at(p, "timestamp " + p.getText() + " is out of range");
      }
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, n * 2);
      }
      a[n++] = p.getLongValue();
    }
    return java.util.Arrays.copyOf(a, n);
  }

  private static int column(JsonParser p) {
    return Math.max(1, p.currentTokenLocation().getColumnNr());
  }

  private static ImportLineException at(JsonParser p, String message) {
    return new ImportLineException(message, column(p));
  }
}
