// Unit formatting for axes, tooltips and stat panels. Unit ids follow Grafana's where they exist
// (bytes, decbytes, Bps, s, ms, percent, percentunit, reqps, ops, short, none), so Grafana
// dashboard JSON keeps its units.

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const SI = ['', 'k', 'M', 'G', 'T', 'P'];

function scaled(v, base, names, sep = '') {
  if (!Number.isFinite(v)) return String(v);
  let i = 0;
  let x = Math.abs(v);
  while (x >= base && i < names.length - 1) {
    x /= base;
    i++;
  }
  const unit = names[i];
  return `${trim(v < 0 ? -x : x)}${unit ? sep + unit : ''}`;
}

function trim(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  let t;
  if (a >= 100) t = v.toFixed(0);
  else if (a >= 10) t = v.toFixed(1);
  else if (a >= 1) t = v.toFixed(2);
  else if (a >= 0.01) t = v.toFixed(3);
  else return v.toPrecision(2);
  return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
}

function duration(v) {
  const a = Math.abs(v);
  if (a === 0) return '0 s';
  if (a < 1e-6) return `${trim(v * 1e9)} ns`;
  if (a < 1e-3) return `${trim(v * 1e6)} µs`;
  if (a < 1) return `${trim(v * 1e3)} ms`;
  if (a < 60) return `${trim(v)} s`;
  if (a < 3600) return `${trim(v / 60)} min`;
  if (a < 86400) return `${trim(v / 3600)} h`;
  return `${trim(v / 86400)} d`;
}

/** Formats a value in the given unit; unknown units are appended as a suffix. */
export function format(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  switch (unit || 'short') {
    case 'bytes':
      return scaled(v, 1024, IEC, ' ');
    case 'decbytes':
      return scaled(v, 1000, ['B', 'kB', 'MB', 'GB', 'TB', 'PB'], ' ');
    case 'Bps':
    case 'binBps':
      return `${scaled(v, 1024, IEC, ' ')}/s`;
    case 'mbytes':
      return scaled(v * 1024 * 1024, 1024, IEC, ' ');
    case 's':
    case 'seconds':
      return duration(v);
    case 'ms':
      return duration(v / 1000);
    case 'percent':
      return `${trim(v)}%`;
    case 'percentunit':
      return `${trim(v * 100)}%`;
    case 'reqps':
      return `${scaled(v, 1000, SI)} req/s`;
    case 'ops':
      return `${scaled(v, 1000, SI)}/s`;
    case 'none':
      return trim(v);
    case 'short':
      return scaled(v, 1000, SI);
    default:
      return `${scaled(v, 1000, SI)} ${unit}`;
  }
}

/**
 * Guesses a unit from a PromQL expression by Prometheus naming conventions: `_bytes`, `_seconds`,
 * `_ratio`, `_percent`; rates of `_total` counters are per second.
 */
export function guessUnit(expr) {
  const e = String(expr);
  const rate = /\b(rate|irate)\s*\(/.test(e) && !/histogram_quantile/.test(e);
  const quantile = /histogram_quantile/.test(e);
  const names = e.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) || [];
  const has = (re) => names.some((n) => re.test(n));
  if (/\/\s*/.test(e) && has(/_bytes$/) && /\b100\b/.test(e)) return 'percent';
  if (has(/_ratio$/)) return 'percentunit';
  if (has(/_percent$|_percentage$/)) return 'percent';
  if (has(/_bytes(_total)?$/)) return rate ? 'Bps' : 'bytes';
  if (has(/_mb$/)) return 'mbytes';
  if (quantile && has(/_seconds_bucket$/)) return 's';
  if (quantile && has(/_ms_bucket$/)) return 'ms';
  if (has(/_seconds(_total)?$/) && !rate) return 's';
  if (has(/_ms$/)) return 'ms';
  if (rate) return 'ops';
  return 'short';
}
