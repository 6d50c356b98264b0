// A board: rows of panels with template variables, drawn into a container. Built-in pages,
// Vigil YAML dashboards and Grafana dashboards are all boards:
//   {title, refresh, variables: [{name, label, query | values, multi, includeAll}],
//    rows: [{title, panels: [panelSpec]}]}

import { el, clear } from './dom.js';
import { createPanel } from './panels.js';
import { labelValues, series as seriesApi, query } from './api.js';
import { getState, setState } from './state.js';
import { substitute } from './time.js';

/**
 * Mounts a board. Panels below the fold are drawn when they scroll into view, so a board with
 * many panels renders its first screen quickly.
 */
export function mountBoard(container, board, { lazy = true } = {}) {
  const panels = [];
  const visible = new WeakSet();
  let win = null;
  const varValues = {};
  const varBar = el('div', { class: 'variables' });
  container.appendChild(varBar);

  const observer = lazy
    ? new IntersectionObserver(
        (entries) => {
          for (const e of entries) {
            const p = panels.find((x) => x.el === e.target);
            if (!p) continue;
            if (e.isIntersecting && !visible.has(p)) {
              visible.add(p);
              if (win) p.update(win, varValues);
            }
          }
        },
        { rootMargin: '200px' },
      )
    : null;

  for (const row of board.rows || []) {
    if (row.title) container.appendChild(el('h2', { class: 'row-title' }, row.title));
    const grid = el('div', { class: 'grid' });
    container.appendChild(grid);
    for (const spec of row.panels || []) {
      const p = createPanel(spec);
      panels.push(p);
      grid.appendChild(p.el);
      if (observer) observer.observe(p.el);
      else visible.add(p);
    }
  }
  if (!panels.length) container.appendChild(el('p', { class: 'muted' }, 'This dashboard has no panels.'));

  const varsReady = setupVariables(board.variables || [], varBar, varValues, () => refresh());

  async function refresh() {
    if (!win) return;
    await Promise.all(panels.filter((p) => visible.has(p)).map((p) => p.update(win, varValues)));
  }

  return {
    panels,
    async update(w) {
      win = w;
      await varsReady;
      await refresh();
    },
    dispose() {
      if (observer) observer.disconnect();
      for (const p of panels) p.dispose();
      clear(container);
    },
  };
}

/**
 * Grafana-style query variables: `label_values(label)`, `label_values(metric, label)`,
 * `metrics(regex)`, `query_result(expr)`; plus custom lists. Current values live in the URL
 * as var-<name>, as in Grafana.
 */
async function setupVariables(vars, bar, values, onChange) {
  const state = getState();
  for (const v of vars) {
    let options = [];
    try {
      options = await variableOptions(v, values);
    } catch (e) {
      bar.appendChild(el('span', { class: 'panel-error' }, `variable ${v.name}: ${e.message}`));
    }
    if (v.includeAll) options = ['$__all', ...options];
    const fromUrl = (state.params.get(`var-${v.name}`) || '').split(',').filter(Boolean);
    let current = fromUrl.length ? fromUrl : v.current !== undefined ? [].concat(v.current) : options.slice(0, 1);
    const apply = (sel) => {
      const real = sel.includes('$__all') ? options.filter((o) => o !== '$__all') : sel;
      values[v.name] = real;
      if (!real.length) values[v.name] = ['.*'];
    };
    apply(current);
    const select = el(
      'select',
      {
        id: `var-${v.name}`,
        multiple: v.multi ? true : undefined,
        onchange: () => {
          current = [...select.selectedOptions].map((o) => o.value);
          apply(current);
          setState({ [`var-${v.name}`]: current.join(',') }, { replace: true });
          onChange();
        },
      },
      options.map((o) => el('option', { value: o, selected: current.includes(o) ? true : undefined }, o === '$__all' ? 'All' : o)),
    );
    bar.appendChild(el('label', { class: 'variable' }, el('span', {}, v.label || v.name), select));
  }
}

async function variableOptions(v, values) {
  if (Array.isArray(v.values)) return v.values.map(String);
  const q = substitute(typeof v.query === 'object' && v.query ? v.query.query || '' : v.query || '', values).trim();
  if (v.type === 'custom') return q.split(',').map((s) => s.trim()).filter(Boolean);
  if (v.type === 'constant' || v.type === 'textbox') return [q];
  if (v.type === 'interval') return q.split(',').map((s) => s.trim()).filter(Boolean);
  let m = q.match(/^label_values\(\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/);
  if (m) return labelValues(m[1]);
  m = q.match(/^label_values\(\s*(.+?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/);
  if (m) {
    const sets = await seriesApi(m[1]);
    return [...new Set(sets.map((s) => s[m[2]]).filter((x) => x !== undefined))].sort();
  }
  m = q.match(/^metrics\(\s*(.*)\s*\)$/);
  if (m) {
    const re = new RegExp(m[1] || '.*');
    return (await labelValues('__name__')).filter((n) => re.test(n));
  }
  m = q.match(/^query_result\(\s*(.+)\s*\)$/);
  if (m) {
    const d = await query(m[1]);
    return (d.result || []).map((r) => JSON.stringify(r.metric));
  }
  if (q) return labelValues('__name__').then((names) => names.filter((n) => n.includes(q)));
  return [];
}
