// PromQL helpers for the editor: the function list, what to complete at the cursor, and where
// the server says an error is.

/** PromQL functions (Prometheus 2.x) with their signatures. */
export const FUNCTIONS = {
  abs: 'abs(v instant-vector)', absent: 'absent(v instant-vector)', absent_over_time: 'absent_over_time(v range-vector)',
  ceil: 'ceil(v instant-vector)', changes: 'changes(v range-vector)', clamp: 'clamp(v instant-vector, min scalar, max scalar)',
  clamp_max: 'clamp_max(v instant-vector, max scalar)', clamp_min: 'clamp_min(v instant-vector, min scalar)',
  day_of_month: 'day_of_month(v=vector(time()) instant-vector)', day_of_week: 'day_of_week(v=vector(time()) instant-vector)',
  day_of_year: 'day_of_year(v=vector(time()) instant-vector)', days_in_month: 'days_in_month(v=vector(time()) instant-vector)',
  delta: 'delta(v range-vector)', deriv: 'deriv(v range-vector)', exp: 'exp(v instant-vector)', floor: 'floor(v instant-vector)',
  histogram_quantile: 'histogram_quantile(φ scalar, b instant-vector)', holt_winters: 'holt_winters(v range-vector, sf scalar, tf scalar)',
  hour: 'hour(v=vector(time()) instant-vector)', idelta: 'idelta(v range-vector)', increase: 'increase(v range-vector)',
  irate: 'irate(v range-vector)', label_join: 'label_join(v instant-vector, dst string, separator string, src_1 string, ...)',
  label_replace: 'label_replace(v instant-vector, dst string, replacement string, src string, regex string)',
  ln: 'ln(v instant-vector)', log2: 'log2(v instant-vector)', log10: 'log10(v instant-vector)', minute: 'minute(v=vector(time()) instant-vector)',
  month: 'month(v=vector(time()) instant-vector)', predict_linear: 'predict_linear(v range-vector, t scalar)', rate: 'rate(v range-vector)',
  resets: 'resets(v range-vector)', round: 'round(v instant-vector, to_nearest=1 scalar)', scalar: 'scalar(v instant-vector)',
  sgn: 'sgn(v instant-vector)', sort: 'sort(v instant-vector)', sort_desc: 'sort_desc(v instant-vector)', sqrt: 'sqrt(v instant-vector)',
  time: 'time()', timestamp: 'timestamp(v instant-vector)', vector: 'vector(s scalar)', year: 'year(v=vector(time()) instant-vector)',
  avg_over_time: 'avg_over_time(v range-vector)', min_over_time: 'min_over_time(v range-vector)', max_over_time: 'max_over_time(v range-vector)',
  sum_over_time: 'sum_over_time(v range-vector)', count_over_time: 'count_over_time(v range-vector)',
  quantile_over_time: 'quantile_over_time(φ scalar, v range-vector)', stddev_over_time: 'stddev_over_time(v range-vector)',
  stdvar_over_time: 'stdvar_over_time(v range-vector)', last_over_time: 'last_over_time(v range-vector)',
  present_over_time: 'present_over_time(v range-vector)', acos: 'acos(v instant-vector)', asin: 'asin(v instant-vector)',
  atan: 'atan(v instant-vector)', cos: 'cos(v instant-vector)', sin: 'sin(v instant-vector)', tan: 'tan(v instant-vector)',
  deg: 'deg(v instant-vector)', rad: 'rad(v instant-vector)', pi: 'pi()',
};

/** Aggregation operators. */
export const AGGREGATIONS = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values'];

/** Keywords that follow an expression or aggregation. */
export const KEYWORDS = ['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless'];

/**
 * What to complete at `pos` in `text`:
 *   {kind: 'labelValue', label, metric, prefix, from} inside a quoted matcher value,
 *   {kind: 'labelName', metric, prefix, from} inside {…} or by/without (…),
 *   {kind: 'duration'} inside […], or {kind: 'name', prefix, from} for metric names and functions.
 */
export function completionContext(text, pos) {
  const before = text.slice(0, pos);
  // Inside a quoted label value: {job="pro|
  let m = before.match(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\{([^{}]*?)([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)$/);
  if (m) return { kind: 'labelValue', metric: m[1] || '', label: m[3], prefix: m[5], from: pos - m[5].length };
  // Label name inside braces: {job="x", ins|
  m = before.match(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\{((?:[^{}"]|"(?:[^"\\]|\\.)*")*?)([a-zA-Z_][a-zA-Z0-9_]*)?$/);
  if (m && (m[2].replace(/\\./g, '').match(/"/g) || []).length % 2 === 0) return { kind: 'labelName', metric: m[1] || '', prefix: m[3] || '', from: pos - (m[3] || '').length };
  // by (…) / without (…) / on (…) / ignoring (…)
  m = before.match(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*?)([a-zA-Z_][a-zA-Z0-9_]*)?$/);
  if (m) return { kind: 'labelName', metric: metricBefore(before), prefix: m[3] || '', from: pos - (m[3] || '').length };
  if (/\[[^\]]*$/.test(before)) return { kind: 'duration' };
  m = before.match(/([a-zA-Z_:][a-zA-Z0-9_:]*)$/);
  return { kind: 'name', prefix: m ? m[1] : '', from: pos - (m ? m[1].length : 0) };
}

function metricBefore(text) {
  const names = text.match(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*[{[])/g);
  return names ? names[names.length - 1] : '';
}

/**
 * Finds the position of a PromQL error in a server message. Understands Prometheus' formats
 * ("1:14: parse error: …", "parse error at char 14: …", "…at line 2, column 3…", "position 7").
 * Returns {line, column, offset} (1-based line/column, 0-based offset into text) or null.
 */
export function errorPosition(message, text) {
  let line;
  let column;
  let m = message.match(/(?:^|\s)(\d+):(\d+):/);
  if (m) {
    line = +m[1];
    column = +m[2];
  } else if ((m = message.match(/line (\d+),? col(?:umn)? (\d+)/i))) {
    line = +m[1];
    column = +m[2];
  } else if ((m = message.match(/(?:at char|position|offset) (\d+)/i))) {
    const offset = Math.max(0, +m[1] - (/at char/.test(m[0]) ? 1 : 0));
    return { ...lineCol(text, offset), offset };
  } else {
    return null;
  }
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset = Math.min(text.length, offset + Math.max(0, column - 1));
  return { line, column, offset };
}

function lineCol(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
