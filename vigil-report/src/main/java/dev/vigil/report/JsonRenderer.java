package dev.vigil.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report as JSON: {@code name}, {@code title}, {@code start}, {@code end}, {@code step}
 * (seconds), {@code sections}: each with {@code title}, and when present {@code text}, {@code
 * stats} ({@code title}, {@code value}, {@code unit}, {@code formatted}), {@code table} ({@code
 * header}, {@code rows} of formatted cells, {@code values} raw) and {@code chart} ({@code figure},
 * {@code caption}, {@code unit}, {@code kind}, {@code series}: {@code name}, {@code values} as
 * [unix seconds, value] pairs, {@code dropped}). NaN is null.
 */
public final class JsonRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonRenderer() {}

  static byte[] bytes(Report r) {
    try {
      return JSON.writeValueAsBytes(map(r));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The report as JSON-ready maps and lists. */
  public static Map<String, Object> map(Report r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", r.name());
    out.put("title", r.title());
    out.put("start", r.start().toString());
    out.put("end", r.end().toString());
    out.put("step", r.stepMs() / 1000.0);
    List<Object> sections = new ArrayList<>();
    for (Report.Part p : r.parts()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("title", p.title());
      if (p.text() != null) {
        s.put("text", p.text());
      }
      if (!p.tiles().isEmpty()) {
        List<Object> tiles = new ArrayList<>();
        for (Report.Tile t : p.tiles()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("title", t.title());
          m.put("value", num(t.value()));
          m.put("unit", t.unit().name().toLowerCase(java.util.Locale.ROOT));
          m.put("formatted", t.formatted());
          tiles.add(m);
        }
        s.put("stats", tiles);
      }
      if (p.table() != null) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("header", p.table().header());
        t.put("rows", p.table().rows());
        t.put("values", p.table().values());
        s.put("table", t);
      }
      if (p.chart() != null) {
        Report.ChartData c = p.chart();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("figure", c.figure());
        m.put("caption", c.caption());
        m.put("unit", c.unit().name().toLowerCase(java.util.Locale.ROOT));
        m.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
        List<Object> series = new ArrayList<>();
        for (Report.Line l : c.lines()) {
          Map<String, Object> sm = new LinkedHashMap<>();
          sm.put("name", l.name());
          List<Object[]> pts = new ArrayList<>();
          for (int i = 0; i < l.timestamps().length; i++) {
            if (!Double.isNaN(l.values()[i])) {
              pts.add(new Object[] {l.timestamps()[i] / 1000.0, num(l.values()[i])});
            }
          }
          sm.put("values", pts);
          series.add(sm);
        }
        m.put("series", series);
        m.put("dropped", c.dropped());
        s.put("chart", m);
      }
      sections.add(s);
    }
    out.put("sections", sections);
    return out;
  }

  private static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
