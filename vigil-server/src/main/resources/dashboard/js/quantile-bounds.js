// Where a histogram quantile is only a bucket bound. histogram_quantile() answers the highest
// finite `le` when the rank falls in the +Inf bucket: the true value is somewhere above it, not
// at it (a p99 that reads "60 s" all day means "more than 60 s"). The charts mark such points
// and their tooltips say "≥ 60 s (upper bucket bound)".

import { query } from './api.js';

/** A bucket's upper bound from its `le` label: "+Inf" is Infinity (parseFloat reads it as NaN). */
export function leBound(le) {
  const s = String(le).trim();
  if (/^\+?inf$/i.test(s)) return Infinity;
  if (/^-inf$/i.test(s)) return -Infinity;
  return parseFloat(s);
}

/** Skips a quoted string starting at i (", ' or `); returns the index after its closing quote. */
function skipString(e, i) {
  const q = e[i];
  for (let j = i + 1; j < e.length; j++) {
    if (e[j] === '\\' && q !== '`') j++;
    else if (e[j] === q) return j + 1;
  }
  return e.length;
}

/**
 * The bucket argument `b` of an expression that is a whole `histogram_quantile(φ, b)` call, or
 * null for any other expression (`histogram_quantile(...) * 1000` has other bounds).
 */
export function quantileBuckets(expr) {
  const e = expr.trim();
  const open = /^histogram_quantile\s*\(/.exec(e);
  if (!open) return null;
  let depth = 0;
  let comma = -1;
  for (let i = open[0].length; i < e.length; ) {
    const c = e[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(e, i);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) {
        if (c !== ')' || comma < 0 || e.slice(i + 1).trim()) return null;
        return e.slice(comma + 1, i).trim();
      }
      depth--;
    } else if (c === ',' && depth === 0 && comma < 0) comma = i;
    i++;
  }
  return null;
}

/** A label set without `le` and `__name__`, as a key. */
function groupKey(metric) {
  return JSON.stringify(Object.keys(metric).filter((k) => k !== 'le' && k !== '__name__').sort().map((k) => [k, metric[k]]));
}

/**
 * For a `histogram_quantile` expression: the highest finite bucket bound of each group at `time`
 * (seconds), as {of(metric) → bound or undefined}; null for other expressions or on error (the
 * marking is a hint: the chart draws without it).
 */
export async function bucketBounds(expr, time) {
  const b = quantileBuckets(expr);
  if (!b) return null;
  try {
    const d = await query(b, time);
    const byGroup = new Map();
    let any = -Infinity;
    for (const r of d.result || []) {
      const le = leBound(r.metric.le);
      if (!Number.isFinite(le)) continue;
      const k = groupKey(r.metric);
      byGroup.set(k, Math.max(byGroup.get(k) ?? -Infinity, le));
      any = Math.max(any, le);
    }
    if (any === -Infinity) return null;
    return { of: (metric) => byGroup.get(groupKey(metric)) ?? any };
  } catch {
    return null;
  }
}

/**
 * Chart points of a quantile series with its points at (or above) `bound` made objects that say
 * so ({value, bound}); returns {data, marks: the bound points}.
 */
export function markBound(points, bound) {
  const data = [];
  const marks = [];
  for (const p of points) {
    if (p[1] !== null && p[1] >= bound * (1 - 1e-9)) {
      data.push({ value: p, bound });
      marks.push(p);
    } else data.push(p);
  }
  return { data, marks };
}
