package dev.vigil.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.model.LabelMatcher;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.ValueType;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.util.List;

/**
 * The syntax tree of a query as Prometheus 3's {@code /api/v1/parse_query} writes it ({@code
 * web/api/v1/translate_ast.go}): node types {@code aggregation}, {@code binaryExpr}, {@code call},
 * {@code matrixSelector}, {@code subquery}, {@code numberLiteral}, {@code parenExpr}, {@code
 * stringLiteral}, {@code unaryExpr}, {@code vectorSelector}.
 */
final class AstJson {
  private AstJson() {}

  static void write(JsonGenerator g, Expr e) throws IOException {
    if (e == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    switch (e) {
      case Expr.AggregateExpr a -> {
        g.writeStringField("type", "aggregation");
        g.writeStringField("op", a.op());
        g.writeFieldName("expr");
        write(g, a.expr());
        g.writeFieldName("param");
        write(g, a.param());
        strings(g, "grouping", a.grouping());
        g.writeBooleanField("without", a.without());
      }
      case Expr.BinaryExpr b -> {
        g.writeStringField("type", "binaryExpr");
        g.writeStringField("op", b.op());
        g.writeFieldName("lhs");
        write(g, b.lhs());
        g.writeFieldName("rhs");
        write(g, b.rhs());
        g.writeFieldName("matching");
        Expr.VectorMatching m = b.matching();
        if (m == null) {
          g.writeNull();
        } else {
          g.writeStartObject();
          g.writeStringField("card", m.card().name().toLowerCase().replace('_', '-'));
          strings(g, "labels", m.matchingLabels());
          g.writeBooleanField("on", m.on());
          strings(g, "include", m.include());
          g.writeEndObject();
        }
        g.writeBooleanField("bool", b.returnBool());
      }
      case Expr.Call c -> {
        g.writeStringField("type", "call");
        g.writeObjectFieldStart("func");
        g.writeStringField("name", c.function().name());
        g.writeArrayFieldStart("argTypes");
        for (ValueType t : c.function().argTypes()) {
          g.writeString(typeName(t));
        }
        g.writeEndArray();
        g.writeNumberField("variadic", c.function().variadic());
        g.writeStringField("returnType", typeName(c.function().returnType()));
        g.writeEndObject();
        g.writeArrayFieldStart("args");
        for (Expr a : c.args()) {
          write(g, a);
        }
        g.writeEndArray();
      }
      case Expr.MatrixSelector m -> {
        Expr.VectorSelector vs = m.selector();
        g.writeStringField("type", "matrixSelector");
        g.writeStringField("name", vs.name() == null ? "" : vs.name());
        g.writeNumberField("range", m.rangeMs());
        g.writeNumberField("offset", vs.offsetMs());
        matchers(g, vs.matchers());
        at(g, vs.atKind(), vs.atMs());
      }
      case Expr.SubqueryExpr s -> {
        g.writeStringField("type", "subquery");
        g.writeFieldName("expr");
        write(g, s.expr());
        g.writeNumberField("range", s.rangeMs());
        g.writeNumberField("offset", s.offsetMs());
        g.writeNumberField("step", s.stepMs());
        at(g, s.atKind(), s.atMs());
      }
      case Expr.NumberLiteral n -> {
        g.writeStringField("type", "numberLiteral");
        g.writeStringField("val", Json.formatValue(n.value()));
      }
      case Expr.ParenExpr p -> {
        g.writeStringField("type", "parenExpr");
        g.writeFieldName("expr");
        write(g, p.expr());
      }
      case Expr.StringLiteral s -> {
        g.writeStringField("type", "stringLiteral");
        g.writeStringField("val", s.value());
      }
      case Expr.UnaryExpr u -> {
        g.writeStringField("type", "unaryExpr");
        g.writeStringField("op", u.op());
        g.writeFieldName("expr");
        write(g, u.expr());
      }
      case Expr.VectorSelector vs -> {
        g.writeStringField("type", "vectorSelector");
        g.writeStringField("name", vs.name() == null ? "" : vs.name());
        g.writeNumberField("offset", vs.offsetMs());
        matchers(g, vs.matchers());
        at(g, vs.atKind(), vs.atMs());
      }
      default -> g.writeStringField("type", e.getClass().getSimpleName());
    }
    g.writeEndObject();
  }

  private static String typeName(ValueType t) {
    return switch (t) {
      case SCALAR -> "scalar";
      case VECTOR -> "vector";
      case MATRIX -> "matrix";
      case STRING -> "string";
      case NONE -> "none";
    };
  }

  private static void strings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values == null ? List.<String>of() : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static void matchers(JsonGenerator g, List<LabelMatcher> ms) throws IOException {
    g.writeArrayFieldStart("matchers");
    for (LabelMatcher m : ms) {
      g.writeStartObject();
      g.writeStringField("name", m.name());
      g.writeStringField("value", m.value());
      g.writeStringField("type", m.type().op());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void at(JsonGenerator g, Expr.AtKind kind, long atMs) throws IOException {
    if (kind == Expr.AtKind.TIME) {
      g.writeNumberField("timestamp", atMs);
    } else {
      g.writeNullField("timestamp");
    }
    switch (kind) {
      case START -> g.writeStringField("startOrEnd", "start");
      case END -> g.writeStringField("startOrEnd", "end");
      default -> g.writeNullField("startOrEnd");
    }
  }
}
