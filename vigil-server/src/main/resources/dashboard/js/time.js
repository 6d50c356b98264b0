// Time ranges, query steps and Grafana's interval variables.

/** The range choices in the header. `5m` is the live range. */
export const RANGES = [
  { id: '5m', label: '5 m live', seconds: 300 },
  { id: '1h', label: '1 h', seconds: 3600 },
  { id: '6h', label: '6 h', seconds: 6 * 3600 },
  { id: '24h', label: '24 h', seconds: 86400 },
  { id: '7d', label: '7 d', seconds: 7 * 86400 },
  { id: '30d', label: '30 d', seconds: 30 * 86400 },
];

/** Target number of points per series: enough for a 1280 px chart, few enough to stay fast. */
const TARGET_POINTS = 300;

/** Assumed scrape interval for `$__rate_interval` (Grafana's default). */
export const SCRAPE_INTERVAL = 15;

/** Resolves the URL state into an absolute window {start, end, step} in seconds. */
export function resolveRange(state, now = Date.now() / 1000) {
  let start;
  let end;
  if (state.range === 'custom' && state.from && state.to && state.to > state.from) {
    start = state.from;
    end = state.to;
  } else {
    const r = RANGES.find((x) => x.id === state.range) || RANGES[1];
    end = Math.floor(now);
    start = end - r.seconds;
  }
  return { start, end, step: stepFor(end - start) };
}

/**
 * Step for a window: at most TARGET_POINTS points, rounded to a "nice" value. Steps of 5 m and
 * more let the server answer from its 5 m / 1 h rollups, so a 30-day chart costs what a 1-hour
 * one does.
 */
export function stepFor(seconds) {
  const raw = Math.max(1, seconds / TARGET_POINTS);
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  return nice.find((n) => n >= raw) || 86400;
}

/** Formats seconds as a PromQL duration (90 → "1m30s"). */
export function promDuration(seconds) {
  let s = Math.max(1, Math.round(seconds));
  const parts = [];
  for (const [unit, n] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]]) {
    if (s >= n) {
      parts.push(`${Math.floor(s / n)}${unit}`);
      s %= n;
    }
  }
  return parts.join('');
}

/** Parses a Prometheus/Grafana duration ("15s", "1m", "1h30m") to seconds; NaN when invalid. */
export function parseDuration(text) {
  const m = String(text).trim().match(/^((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/);
  if (!m || !text) return NaN;
  return (+(m[2] || 0)) * 86400 + (+(m[4] || 0)) * 3600 + (+(m[6] || 0)) * 60 + (+(m[8] || 0)) + (+(m[10] || 0)) / 1000;
}

/**
 * Substitutes Grafana's built-in variables: `$__interval` (the step), `$__rate_interval`
 * (max(step + scrape interval, 4 × scrape interval), as Grafana defines it) and `$__range`.
 */
export function intervalVars(win) {
  const rate = Math.max(win.step + SCRAPE_INTERVAL, 4 * SCRAPE_INTERVAL);
  return {
    __interval: promDuration(win.step),
    __interval_ms: String(win.step * 1000),
    __rate_interval: promDuration(rate),
    __range: promDuration(win.end - win.start),
    __range_s: String(Math.round(win.end - win.start)),
  };
}

/** Replaces `$name`, `${name}` and `[[name]]` references with values (multi-values as a|b). */
export function substitute(expr, vars) {
  const value = (name) => {
    const v = vars[name];
    if (v === undefined) return undefined;
    return Array.isArray(v) ? (v.length === 1 ? v[0] : `(${v.join('|')})`) : v;
  };
  return String(expr)
    .replace(/\$\{([a-zA-Z0-9_]+)(?::[a-z]+)?\}/g, (m, n) => value(n) ?? m)
    .replace(/\[\[([a-zA-Z0-9_]+)\]\]/g, (m, n) => value(n) ?? m)
    .replace(/\$([a-zA-Z_][a-zA-Z0-9_]*)/g, (m, n) => value(n) ?? m);
}

/** Formats an epoch-seconds instant for tables and tooltips (local time). */
export function formatTime(sec) {
  const d = new Date(sec * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "12 s ago" style relative time. */
export function ago(sec, now = Date.now() / 1000) {
  const d = Math.max(0, now - sec);
  if (d < 60) return `${Math.round(d)} s ago`;
  if (d < 3600) return `${Math.round(d / 60)} min ago`;
  return `${Math.round(d / 3600)} h ago`;
}
