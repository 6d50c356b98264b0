// Panels drawn from an instant query as plain HTML (stat, bar gauge, table): cheap, accessible,
// and every value and label is set as text.

import { el, clear, csvCell } from './dom.js';
import { format, guessUnit } from './units.js';

/** Draws rows [{name, metric, value}] into `body` for the stat, bargauge or table type. */
export function renderInstant(body, type, rows, spec) {
  clear(body);
  const unit = spec.unit || guessUnit((spec.targets || []).map((t) => t.expr).join(' '));
  if (type === 'table') body.appendChild(table(rows, unit, spec));
  else if (type === 'bargauge') body.appendChild(barGauge(rows, unit, spec));
  else body.appendChild(stat(rows, unit, spec));
}

function level(value, spec) {
  const steps = spec.thresholds || [];
  let cls = '';
  for (const s of steps) if (value >= s.value) cls = s.level || s.color || '';
  return cls;
}

function stat(rows, unit, spec) {
  const shown = rows.slice(0, 6);
  if (!shown.length) return el('div', { class: 'stat-value muted' }, '–');
  return el(
    'div',
    { class: `stats n${shown.length}` },
    shown.map((r) =>
      el(
        'div',
        { class: `stat ${level(r.value, spec)}` },
        el('div', { class: 'stat-value' }, format(r.value, unit)),
        shown.length > 1 || spec.showName ? el('div', { class: 'stat-name' }, r.name) : null,
      ),
    ),
  );
}

function barGauge(rows, unit, spec) {
  const sorted = [...rows].sort((a, b) => b.value - a.value).slice(0, 20);
  const max = spec.max ?? (unit === 'percent' ? 100 : unit === 'percentunit' ? 1 : Math.max(...sorted.map((r) => r.value), 0) || 1);
  return el(
    'div',
    { class: 'bars' },
    sorted.map((r) =>
      el(
        'div',
        { class: 'bar-row' },
        el('span', { class: 'bar-name', title: r.name }, r.name),
        el('span', { class: 'bar-track' }, barFill(Math.max(0, Math.min(1, r.value / max)), level(r.value, spec))),
        el('span', { class: 'bar-value' }, format(r.value, unit)),
      ),
    ),
  );
}

function barFill(fraction, cls) {
  const fill = el('span', { class: `bar-fill ${cls}` });
  fill.style.width = `${(fraction * 100).toFixed(1)}%`;
  return fill;
}

function table(rows, unit, spec) {
  const labelNames = [...new Set(rows.flatMap((r) => Object.keys(r.metric)))].filter((k) => k !== '__name__').sort();
  const showName = rows.some((r) => r.metric.__name__);
  const cols = [...(showName ? ['__name__'] : []), ...labelNames];
  const sorted = spec.sortByValue === false ? rows : [...rows].sort((a, b) => b.value - a.value);
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col' }, c === '__name__' ? 'metric' : c)), el('th', { scope: 'col', class: 'num' }, 'value'))),
      el(
        'tbody',
        {},
        sorted.slice(0, 500).map((r) => el('tr', {}, cols.map((c) => el('td', {}, r.metric[c] ?? '')), el('td', { class: 'num' }, format(r.value, unit)))),
      ),
    ),
  );
}

/** CSV of instant rows: one column per label, then the value. */
export function instantCsv(rows) {
  const labelNames = [...new Set(rows.flatMap((r) => Object.keys(r.metric)))].sort();
  const lines = [[...labelNames, 'value'].map(csvCell).join(',')];
  for (const r of rows) lines.push([...labelNames.map((k) => r.metric[k] ?? ''), r.value].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}
