// Anomaly bands on time-series charts: for every charted series that a mark models
// (/api/v1/anomaly/marks, docs/anomaly.md), the band vigil:anomaly:lower .. vigil:anomaly:upper
// is drawn behind it as a shaded area (two stacked lines: the lower edge, invisible, then the
// band's height, filled), and points outside the band get a marker. A series is modelled by a
// mark when its labels equal those of one of the mark's series (so a chart of the mark's own
// expression, or of any selector returning the same series, shows it).
// Each panel also gets a "Detect anomalies" tool that marks (or unmarks) its first expression.

import { fetchJson, queryRange } from './api.js';

/** One marks request serves every chart of a page drawn within this many ms. */
const CACHE_MS = 3000;
let cache = null;

/** The marks with their series, cached briefly; [] when the server has no anomaly API. */
export function anomalyMarks(fresh = false) {
  if (!fresh && cache && Date.now() - cache.at < CACHE_MS) return cache.promise;
  const promise = fetchJson('/api/v1/anomaly/marks').catch(() => []);
  cache = { promise, at: Date.now() };
  return promise;
}

/** Forgets the cached marks (after a mark was added or removed). */
export function forgetMarks() {
  cache = null;
}

function sameLabels(a, b) {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** The output labels' series key: the modelled series' own labels (anomaly_metric back to __name__). */
function modelledLabels(out) {
  const l = { ...out };
  delete l.__name__;
  delete l.anomaly;
  if (l.anomaly_metric !== undefined) {
    l.__name__ = l.anomaly_metric;
    delete l.anomaly_metric;
  }
  return l;
}

function selector(mark, labels) {
  const esc = (v) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const m = [`__name__=~"vigil:anomaly:(lower|upper)"`, `anomaly="${esc(mark)}"`];
  for (const [k, v] of Object.entries(labels)) {
    if (k === '__name__') m.push(`anomaly_metric="${esc(v)}"`);
    else m.push(`${k}="${esc(v)}"`);
  }
  return `{${m.join(',')}}`;
}

/** Whether a mark was made for exactly this expression. */
export function markOf(marks, expr) {
  const norm = (s) => s.replace(/\s+/g, ' ').trim();
  return marks.find((m) => norm(m.expr) === norm(expr));
}

/**
 * Draws the bands of the marked series among `series` ({name, metric} each, in the chart's series
 * order) on a chart drawn by panels.js. Returns the number of bands drawn.
 */
export async function drawAnomalyBands(chart, series, win) {
  const marks = await anomalyMarks();
  if (!marks.length || !chart || chart.isDisposed()) return 0;
  const wanted = [];
  for (const s of series) {
    for (const m of marks) {
      if ((m.series || []).some((x) => sameLabels(x.labels, s.metric))) {
        wanted.push({ s, mark: m.name });
        break;
      }
    }
  }
  if (!wanted.length) return 0;
  const results = await Promise.all(
    wanted.map((w) => queryRange(selector(w.mark, w.s.metric), win.start, win.end, win.step).then((d) => ({ w, d })).catch(() => null)),
  );
  if (chart.isDisposed()) return 0;
  const extra = [];
  let n = 0;
  results.forEach((r, i) => {
    if (!r) return;
    const edge = (name) => (r.d.result || []).find((x) => x.metric.__name__ === name && sameLabels(modelledLabels(x.metric), r.w.s.metric));
    const lower = edge('vigil:anomaly:lower');
    const upper = edge('vigil:anomaly:upper');
    if (!lower || !upper) return;
    const up = new Map(upper.values.map(([t, v]) => [t, parseFloat(v)]));
    const low = [];
    const height = [];
    const bounds = new Map();
    for (const [t, v] of lower.values) {
      const lo = parseFloat(v);
      const hi = up.get(t);
      if (hi === undefined) continue;
      low.push([t * 1000, lo]);
      height.push([t * 1000, hi - lo]);
      bounds.set(t, [lo, hi]);
    }
    const outside = [];
    for (const [t, v] of r.w.s.values) {
      const b = bounds.get(t);
      const x = parseFloat(v);
      if (b && (x < b[0] || x > b[1])) outside.push([t * 1000, x]);
    }
    const stack = `anomaly-band-${i}`;
    const name = r.w.s.name;
    const common = { type: 'line', stack, showSymbol: false, silent: true, lineStyle: { opacity: 0 }, emphasis: { disabled: true }, tooltip: { show: false }, z: 1 };
    extra.push({ ...common, id: `${stack}-lower`, name, data: low });
    extra.push({ ...common, id: `${stack}-height`, name, data: height, areaStyle: { opacity: 0.18, color: '#4493f8' } });
    if (outside.length) {
      extra.push({ id: `${stack}-outside`, name, type: 'scatter', symbol: 'circle', symbolSize: 7, silent: true, tooltip: { show: false }, itemStyle: { color: '#e5534b' }, data: outside, z: 5 });
    }
    n++;
  });
  if (n) {
    const option = chart.getOption();
    chart.setOption({ series: [...option.series, ...extra] }, { replaceMerge: ['series'] });
  }
  return n;
}

/**
 * Marks `expr` for anomaly detection, or removes the mark made for it through the API. Returns
 * the new state: true when marked.
 */
export async function toggleMark(expr) {
  forgetMarks();
  const marks = await fetchJson('/api/v1/anomaly/marks');
  const m = markOf(marks, expr);
  if (m && m.source === 'api') {
    await fetchJson(`/api/v1/anomaly/marks/${encodeURIComponent(m.name)}`, { method: 'DELETE' });
    forgetMarks();
    return false;
  }
  if (m) return true; // a mark of vigil.yml: removed there, not from a chart
  await fetchJson('/api/v1/anomaly/marks', { method: 'POST', params: { expr } });
  forgetMarks();
  return true;
}
