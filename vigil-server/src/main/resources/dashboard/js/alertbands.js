// Alert state as bands on time-series charts: the alert history (/api/v1/alerts/history, Vigil's
// extension) made into pending and firing intervals, drawn as ECharts markAreas on the series
// whose labels match an alert's labels. A series matches an alert when they share at least one
// label (other than alertname, alertstate and __name__) and agree on every label they share: the
// alert {alertname="Down", instance="a"} bands the series up{instance="a"}, not up{instance="b"}
// nor sum(up).

import { fetchJson } from './api.js';

const IGNORED = new Set(['alertname', 'alertstate', '__name__']);
const COLORS = { firing: 'rgba(207, 34, 46, 0.16)', pending: 'rgba(178, 107, 0, 0.14)' };
/** One history request serves every chart of a page drawn within this many ms. */
const CACHE_MS = 3000;
let cache = null;

/**
 * Pending and firing intervals over [start, end] (seconds), from history changes (newest first,
 * as the API lists them): [{labels, name, state, from, to, flapping}] in seconds, clipped to the
 * window. An alert active when the history begins starts at the window's start; one still active
 * ends at its end.
 */
export function intervals(changes, start, end) {
  const byAlert = new Map();
  for (const c of [...changes].reverse()) {
    const key = JSON.stringify(c.labels);
    let a = byAlert.get(key);
    if (!a) byAlert.set(key, (a = { labels: c.labels, open: null, list: [], flapping: false }));
    const t = Date.parse(c.time) / 1000;
    if (a.open) a.list.push({ ...a.open, to: t });
    else if (c.from !== 'inactive') a.list.push({ state: c.from, from: -Infinity, to: t });
    a.open = c.to !== 'inactive' ? { state: c.to, from: t } : null;
    a.flapping = Boolean(c.flapping);
  }
  const out = [];
  for (const a of byAlert.values()) {
    if (a.open) a.list.push({ ...a.open, to: Infinity });
    for (const i of a.list) {
      const from = Math.max(i.from, start);
      const to = Math.min(i.to, end);
      if (to > from) out.push({ labels: a.labels, name: a.labels.alertname || '', state: i.state, from, to, flapping: a.flapping });
    }
  }
  return out;
}

/** Whether a series (its labels) matches an alert's labels, as the header says. */
export function matches(alertLabels, metric) {
  let shared = 0;
  for (const [k, v] of Object.entries(alertLabels || {})) {
    if (IGNORED.has(k) || !(k in metric)) continue;
    if (metric[k] !== v) return false;
    shared++;
  }
  return shared > 0;
}

/**
 * The intervals of every alert over [start, end], fetched once for the charts of one render: the
 * changes inside the window, and the alerts active now that did not change in it (active across
 * the whole window when it ends now).
 */
export function alertIntervals(start, end) {
  const key = `${Math.floor(start)}|${Math.floor(end)}`;
  if (cache && cache.key === key && Date.now() - cache.at < CACHE_MS) return cache.promise;
  const promise = Promise.all([
    fetchJson('/api/v1/alerts/history', { params: { start: String(start), end: String(end), limit: '10000' } }),
    fetchJson('/api/v1/alerts'),
  ])
    .then(([h, a]) => {
      const changes = h.changes || [];
      const list = intervals(changes, start, end);
      const changed = new Set(changes.map((c) => JSON.stringify(c.labels)));
      for (const alert of a.alerts || []) {
        const since = Date.parse(alert.activeAt) / 1000;
        if (changed.has(JSON.stringify(alert.labels)) || !(since < end)) continue;
        list.push({ labels: alert.labels, name: alert.labels.alertname || '', state: alert.state, from: Math.max(since, start), to: end, flapping: Boolean(alert.flapping) });
      }
      return list;
    })
    .catch(() => []); // a server without the history (another Prometheus) draws no bands
  cache = { key, promise, at: Date.now() };
  return promise;
}

/**
 * Draws the bands of the alerts matching `series` ({metric} each, in the chart's series order) on
 * a chart drawn by panels.js; each band once, on the first series it matches. Returns the number
 * of bands drawn.
 */
export async function drawAlertBands(chart, series, win) {
  const list = await alertIntervals(win.start, win.end);
  if (!chart || chart.isDisposed()) return 0;
  const used = new Set();
  let n = 0;
  const update = series.map((s) => {
    const mine = list.filter((b, i) => !used.has(i) && matches(b.labels, s.metric) && used.add(i));
    n += mine.length;
    return {
      markArea: {
        silent: true,
        label: { show: true, position: 'insideTopLeft', fontSize: 10 },
        data: mine.map((b) => [
          { name: `${b.name} ${b.state}${b.flapping ? ' (flapping)' : ''}`, xAxis: b.from * 1000, itemStyle: { color: COLORS[b.state] } },
          { xAxis: b.to * 1000 },
        ]),
      },
    };
  });
  if (n) chart.setOption({ series: update });
  return n;
}
