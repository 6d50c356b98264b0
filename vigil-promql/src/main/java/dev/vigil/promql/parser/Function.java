package dev.vigil.promql.parser;

import static dev.vigil.promql.parser.ValueType.MATRIX;
import static dev.vigil.promql.parser.ValueType.SCALAR;
import static dev.vigil.promql.parser.ValueType.STRING;
import static dev.vigil.promql.parser.ValueType.VECTOR;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The signature of a PromQL function: argument types and return type.
 *
 * @param variadic 0 for exactly {@code argTypes.size()} arguments; n &gt; 0 for up to n more than
 *     the required {@code argTypes.size() - 1}; -1 for any number of the last type
 * @param id the function as an enum constant, for the engine's dispatch
 */
public record Function(
    String name, List<ValueType> argTypes, int variadic, ValueType returnType, FunctionId id) {

  private static final Map<String, Function> ALL = new HashMap<>();

  private static void def(String name, ValueType ret, int variadic, ValueType... args) {
    ALL.put(name, new Function(name, List.of(args), variadic, ret, FunctionId.of(name)));
  }

  static {
    for (String f :
        List.of(
            "abs",
            "ceil",
            "exp",
            "floor",
            "ln",
            "log2",
            "log10",
            "sqrt",
            "sgn",
            "acos",
            "acosh",
            "asin",
            "asinh",
            "atan",
            "atanh",
            "cos",
            "cosh",
            "sin",
            "sinh",
            "tan",
            "tanh",
            "deg",
            "rad",
            "histogram_count",
            "histogram_sum",
            "histogram_avg",
            "histogram_stddev",
            "histogram_stdvar",
            "sort",
            "sort_desc")) {
      def(f, VECTOR, 0, VECTOR);
    }
    for (String f :
        List.of(
            "rate",
            "irate",
            "increase",
            "delta",
            "idelta",
            "deriv",
            "changes",
            "resets",
            "avg_over_time",
            "min_over_time",
            "max_over_time",
            "sum_over_time",
            "count_over_time",
            "stddev_over_time",
            "stdvar_over_time",
            "last_over_time",
            "first_over_time",
            "present_over_time",
            "absent_over_time",
            "mad_over_time",
            "ts_of_min_over_time",
            "ts_of_max_over_time",
            "ts_of_first_over_time",
            "ts_of_last_over_time")) {
      def(f, VECTOR, 0, MATRIX);
    }
    for (String f :
        List.of(
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "days_in_month",
            "hour",
            "minute",
            "month",
            "year")) {
      def(f, VECTOR, 1, VECTOR);
    }
    def("absent", VECTOR, 0, VECTOR);
    def("clamp", VECTOR, 0, VECTOR, SCALAR, SCALAR);
    def("clamp_max", VECTOR, 0, VECTOR, SCALAR);
    def("clamp_min", VECTOR, 0, VECTOR, SCALAR);
    def("double_exponential_smoothing", VECTOR, 0, MATRIX, SCALAR, SCALAR);
    def("histogram_fraction", VECTOR, 0, SCALAR, SCALAR, VECTOR);
    def("histogram_quantile", VECTOR, 0, SCALAR, VECTOR);
    def("histogram_quantiles", VECTOR, -1, VECTOR, STRING, SCALAR);
    def("info", VECTOR, 1, VECTOR, VECTOR);
    def("label_join", VECTOR, -1, VECTOR, STRING, STRING, STRING);
    def("label_replace", VECTOR, 0, VECTOR, STRING, STRING, STRING, STRING);
    def("max_of", SCALAR, 0, SCALAR, SCALAR);
    def("min_of", SCALAR, 0, SCALAR, SCALAR);
    def("pi", SCALAR, 0);
    def("predict_linear", VECTOR, 0, MATRIX, SCALAR);
    def("quantile_over_time", VECTOR, 0, SCALAR, MATRIX);
    def("range", SCALAR, 0);
    def("round", VECTOR, 1, VECTOR, SCALAR);
    def("scalar", SCALAR, 0, VECTOR);
    def("sort_by_label", VECTOR, -1, VECTOR, STRING);
    def("sort_by_label_desc", VECTOR, -1, VECTOR, STRING);
    def("step", SCALAR, 0);
    def("start", SCALAR, 0);
    def("end", SCALAR, 0);
    def("time", SCALAR, 0);
    def("timestamp", VECTOR, 0, VECTOR);
    def("vector", VECTOR, 0, SCALAR);
  }

  /** The function with this name, or null. */
  public static Function lookup(String name) {
    return ALL.get(name);
  }
}
