// The seeds' widget data (/api/metrics/dashboard?widget=…&timeframe=H) drawn generically:
// numbers become stat tiles, nested objects one tile group each, arrays of objects tables (the
// recent error log, per-service status). Every value is set as text.

import { el, clear } from './dom.js';
import { fetchJson } from './api.js';
import { format } from './units.js';

function humanize(key) {
  return key.replace(/_/g, ' ');
}

function cell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function table(input) {
  // Logs come oldest first: show the newest first.
  const rows = input.length && input[0].timestamp !== undefined ? [...input].sort((a, b) => String(b.timestamp).localeCompare(String(a.timestamp))) : input;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return el(
    'div',
    { class: 'table-wrap' },
    el('table', {}, el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col' }, humanize(c))))), el('tbody', {}, rows.slice(0, 100).map((r) => el('tr', {}, cols.map((c) => el('td', {}, cell(r[c]))))))),
  );
}

/** Envelope fields of the widget JSON, not data. */
const META = new Set(['widget', 'timeframe', 'timestamp', 'status']);

function tiles(obj, prefix = '') {
  const out = [];
  for (const [k, v] of Object.entries(obj)) {
    if (!prefix && META.has(k)) continue;
    if (typeof v === 'number') out.push(el('div', { class: 'stat' }, el('div', { class: 'stat-value' }, format(v, /percent/.test(k) ? 'percent' : 'short')), el('div', { class: 'stat-name' }, humanize(prefix + k))));
    else if (typeof v === 'string' || typeof v === 'boolean') out.push(el('div', { class: 'stat' }, el('div', { class: 'stat-value small' }, String(v)), el('div', { class: 'stat-name' }, humanize(prefix + k))));
  }
  return out;
}

/** Renders a widget's data into `node`; returns false when the server has no such endpoint. */
export async function renderWidget(node, widget, hours) {
  let data;
  try {
    data = await fetchJson('/api/metrics/dashboard', { params: { widget, timeframe: String(hours) }, raw: true });
  } catch {
    return false;
  }
  clear(node);
  node.appendChild(el('h2', { class: 'row-title' }, `${humanize(widget)} widget (/api/metrics/dashboard)`));
  if (data && data.data && typeof data.data === 'object' && !Array.isArray(data.data)) data = data.data;
  const top = tiles(data);
  if (top.length) node.appendChild(el('div', { class: 'stats widget-tiles' }, top));
  for (const [k, v] of Object.entries(data || {})) {
    if (Array.isArray(v) && v.length && typeof v[0] === 'object') node.append(el('h3', {}, humanize(k)), table(v));
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = Object.values(v);
      if (inner.length && inner.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
        node.append(el('h3', {}, humanize(k)), table(Object.entries(v).map(([name, x]) => ({ name, ...x }))));
      } else {
        const t = tiles(v, `${k} `);
        if (t.length) node.append(el('div', { class: 'stats widget-tiles' }, t));
      }
    }
  }
  return true;
}
