// Metrics: every metric family in the store charted automatically, grouped by prefix and
// searchable, Netdata-style: an application's own counters get charts with no configuration.
// Counters are charted as rates, histograms as p50/p95/p99, gauges as they are; at most 10
// series per chart (topk), so a high-cardinality family stays readable.
// The application recorders export their families (app_*) at zero from the start; a family whose
// every series is zero throughout the range has no data yet, and is counted in a note instead of
// charted as if it had any (a plain `vigil serve` has no application).

import { el, clear } from '../dom.js';
import { labelValues, metadata, queryRange } from '../api.js';
import { mountBoard } from '../board.js';
import { getState, setState } from '../state.js';

/** Groups metric names into families: histogram _bucket/_sum/_count under one base name. */
export function families(names, meta) {
  const out = new Map();
  const all = new Set(names);
  for (const n of names) {
    let base = n;
    // Metadata scraped from OpenMetrics names a counter's family without `_total`.
    const family = n.endsWith('_total') && meta[n.slice(0, -6)]?.[0]?.type === 'counter' ? meta[n.slice(0, -6)] : undefined;
    let kind = meta[n]?.[0]?.type ?? family?.[0]?.type;
    const m = n.match(/^(.*)_(bucket|sum|count)$/);
    if (m && all.has(`${m[1]}_bucket`)) {
      base = m[1];
      kind = 'histogram';
    } else if (m && (meta[m[1]]?.[0]?.type === 'summary' || all.has(`${m[1]}_sum`) && all.has(`${m[1]}_count`) && !all.has(`${m[1]}_bucket`))) {
      base = m[1];
      kind = 'summary';
    } else if (n.endsWith('_created')) {
      continue;
    }
    if (!kind) kind = n.endsWith('_total') ? 'counter' : 'gauge';
    if (!out.has(base)) out.set(base, { name: base, type: kind, help: meta[base]?.[0]?.help || meta[n]?.[0]?.help || family?.[0]?.help || '' });
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The panel spec that charts a family. */
export function familyPanel(f) {
  let targets;
  let unit;
  if (f.type === 'histogram') {
    targets = [0.5, 0.95, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (rate(${f.name}_bucket[$__rate_interval])))`, legendFormat: `p${q * 100}` }));
  } else if (f.type === 'summary') {
    targets = [{ expr: `sum(rate(${f.name}_sum[$__rate_interval])) / sum(rate(${f.name}_count[$__rate_interval]))`, legendFormat: 'average' }];
    unit = f.name.endsWith('_seconds') ? 's' : undefined;
  } else if (f.type === 'counter' || f.name.endsWith('_total')) {
    targets = [{ expr: `topk(10, rate(${f.name}[$__rate_interval]))` }];
  } else {
    targets = [{ expr: `topk(10, ${f.name})` }];
  }
  return { type: 'timeseries', title: f.name, description: f.help, span: 8, height: 180, unit, targets };
}

/** The recorders' default namespace (collect.namespace in vigil.yml). */
const APP = 'app_';

/** Whether a series name belongs to family `f` (a histogram's _bucket, _sum, _count included). */
function inFamily(name, f) {
  return name === f.name || (name.startsWith(`${f.name}_`) && /^(bucket|sum|count|total)$/.test(name.slice(f.name.length + 1)));
}

/**
 * Names of the application families with no series other than zero anywhere in the window: one
 * range query, sampled at up to 240 steps (counters only grow, so a recorded one stays non-zero).
 */
async function zeroApplicationFamilies(list, win) {
  const apps = list.filter((f) => f.name.startsWith(APP));
  if (apps.length === 0) return new Set();
  const step = Math.max(1, Math.ceil((win.end - win.start) / 240));
  let names;
  try {
    const d = await queryRange(`count by (__name__) ({__name__=~"${APP}.+"} != 0)`, win.start, win.end, step);
    names = d.result.map((r) => r.metric.__name__);
  } catch {
    return new Set(); // when in doubt, chart them: the charts show any error themselves
  }
  return new Set(apps.filter((f) => !names.some((n) => inFamily(n, f))).map((f) => f.name));
}

function prefixOf(name) {
  const i = name.indexOf('_');
  return i > 0 ? name.slice(0, i) : name;
}

/** Mounts the metrics page. */
export function mountMetrics(container) {
  const state = getState();
  const search = el('input', {
    type: 'search',
    id: 'metric-search',
    placeholder: 'Search metrics (name or help text)',
    'aria-label': 'Search metrics',
    value: state.params.get('search') || '',
  });
  const info = el('p', { class: 'muted' });
  const note = el('p', { class: 'muted', id: 'metrics-no-data', hidden: true });
  const nav = el('nav', { class: 'prefixes', 'aria-label': 'Metric groups' });
  const body = el('div');
  container.append(el('div', { class: 'toolbar' }, search, info), note, nav, body);
  let all = [];
  let empty = new Set();
  let board = null;
  let win = null;
  let timer = null;

  function render() {
    if (board) board.dispose();
    const q = search.value.trim().toLowerCase();
    const shown = all.filter((f) => !empty.has(f.name) && (!q || f.name.toLowerCase().includes(q) || f.help.toLowerCase().includes(q)));
    const groups = new Map();
    for (const f of shown) {
      const p = prefixOf(f.name);
      if (!groups.has(p)) groups.set(p, []);
      groups.get(p).push(f);
    }
    info.textContent = `${shown.length} of ${all.length} metric families`;
    clear(nav);
    for (const [p, list] of groups) nav.appendChild(el('a', { href: `#group-${p}`, onclick: (e) => jump(e, p) }, `${p} (${list.length})`));
    board = mountBoard(body, { rows: [...groups].map(([p, list]) => ({ title: p, panels: list.map(familyPanel) })) });
    [...body.querySelectorAll('h2.row-title')].forEach((h) => (h.id = `group-${h.textContent}`));
    return win ? board.update(win) : Promise.resolve();
  }

  function showNote() {
    note.hidden = empty.size === 0;
    note.textContent =
      empty.size === 0
        ? ''
        : `${empty.size} application families have no data yet (${[...empty].join(', ')}): the recorders export them at zero until an application records; see docs/metrics.md ("Application recorders").`;
    note.dataset.count = String(empty.size);
  }

  function jump(e, p) {
    e.preventDefault();
    document.getElementById(`group-${p}`)?.scrollIntoView();
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      setState({ search: search.value.trim() || undefined }, { replace: true });
      render();
    }, 250);
  });

  const loaded = Promise.all([labelValues('__name__'), metadata().catch(() => ({}))]).then(([names, meta]) => {
    all = families(names, meta || {}); // charted once the first window says which have data
  });

  return {
    async update(w) {
      win = w;
      await loaded;
      const now = await zeroApplicationFamilies(all, w);
      if (win !== w) return; // a newer window is on its way
      const changed = now.size !== empty.size || [...now].some((n) => !empty.has(n));
      empty = now;
      showNote();
      await (changed || !board ? render() : board.update(w));
    },
    dispose() {
      if (board) board.dispose();
      clear(container);
    },
  };
}
