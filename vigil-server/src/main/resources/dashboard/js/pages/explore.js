// Explore: a PromQL editor with completion of metric names, label names and values and functions;
// errors shown at their position; graph and table views; query history; the URL reproduces the
// view (#page=explore&q=…&tab=…&range=…).

import { el, clear } from '../dom.js';
import { labelValues, labels } from '../api.js';
import { createPanel } from '../panels.js';
import { getState, setState } from '../state.js';
import { FUNCTIONS, AGGREGATIONS, KEYWORDS, completionContext, errorPosition } from '../promql.js';

const HISTORY_KEY = 'vigil.explore.history';
const HISTORY_MAX = 30;

/** Mounts the explore page. */
export function mountExplore(container) {
  const state = getState();
  const editor = el('textarea', {
    id: 'promql',
    class: 'editor',
    rows: 3,
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-label': 'PromQL expression',
    'aria-autocomplete': 'list',
    'aria-controls': 'completions',
    placeholder: 'PromQL, e.g. rate(node_cpu_seconds_total[5m])  — Ctrl+Enter runs, Ctrl+Space completes',
  });
  editor.value = state.params.get('q') || '';
  const list = el('ul', { id: 'completions', class: 'completions', role: 'listbox', hidden: true });
  const run = el('button', { type: 'button', id: 'run-query', class: 'primary' }, 'Run');
  const tabGraph = el('button', { type: 'button', role: 'tab', id: 'tab-graph' }, 'Graph');
  const tabTable = el('button', { type: 'button', role: 'tab', id: 'tab-table' }, 'Table');
  const share = el('a', { id: 'share-link', href: location.href }, 'Link to this view');
  const errorBox = el('div', { id: 'query-error', class: 'query-error', role: 'alert', hidden: true });
  const result = el('div', { id: 'explore-result' });
  const historyList = el('ol', { class: 'history' });
  container.append(
    el('div', { class: 'editor-wrap' }, editor, list),
    el('div', { class: 'toolbar' }, run, el('div', { role: 'tablist', class: 'tabs' }, tabGraph, tabTable), share),
    errorBox,
    result,
    el('details', { class: 'history-box' }, el('summary', {}, 'Query history'), historyList),
  );

  let tab = state.params.get('tab') === 'table' ? 'table' : 'graph';
  let panel = null;
  let win = null;
  let names = null;
  const labelCache = new Map();
  let items = [];
  let selected = 0;

  function selectTab(t) {
    tab = t;
    tabGraph.setAttribute('aria-selected', String(t === 'graph'));
    tabTable.setAttribute('aria-selected', String(t === 'table'));
  }
  selectTab(tab);
  tabGraph.addEventListener('click', () => go('graph'));
  tabTable.addEventListener('click', () => go('table'));
  run.addEventListener('click', () => (hide(), go(tab)));

  function go(t) {
    selectTab(t);
    const q = editor.value.trim();
    setState({ q: q || undefined, tab: t === 'table' ? 'table' : undefined }, { replace: true });
    share.href = location.href;
    execute();
  }

  async function execute() {
    const q = editor.value.trim();
    if (panel) panel.dispose();
    clear(result);
    errorBox.hidden = true;
    panel = null;
    if (!q || !win) return;
    panel = createPanel({ type: tab === 'table' ? 'table' : 'timeseries', title: q, targets: [{ expr: q }], height: 360 });
    result.appendChild(panel.el);
    await panel.update(win);
    const err = panel.el.querySelector('.panel-error').textContent;
    if (panel.el.dataset.state === 'error') showError(err, q);
    else remember(q);
  }

  function showError(message, q) {
    errorBox.hidden = false;
    clear(errorBox);
    const pos = errorPosition(message, q);
    errorBox.appendChild(el('div', { class: 'error-message' }, message));
    if (pos) {
      errorBox.dataset.line = String(pos.line);
      errorBox.dataset.column = String(pos.column);
      const lineText = q.split('\n')[pos.line - 1] ?? '';
      errorBox.appendChild(
        el('pre', { class: 'error-caret', 'aria-label': `error at line ${pos.line}, column ${pos.column}` }, `${lineText}\n${' '.repeat(Math.max(0, pos.column - 1))}^ line ${pos.line}, column ${pos.column}`),
      );
      editor.focus();
      editor.setSelectionRange(pos.offset, Math.min(q.length, pos.offset + 1));
    }
  }

  function remember(q) {
    const h = history().filter((x) => x !== q);
    h.unshift(q);
    localStorage.setItem(HISTORY_KEY, JSON.stringify(h.slice(0, HISTORY_MAX)));
    renderHistory();
  }

  function history() {
    try {
      return JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
    } catch {
      return [];
    }
  }

  function renderHistory() {
    clear(historyList);
    for (const q of history()) {
      historyList.appendChild(el('li', {}, el('button', { type: 'button', class: 'link', onclick: () => ((editor.value = q), go(tab)) }, q)));
    }
  }
  renderHistory();

  // Completion.
  async function candidates(ctx) {
    const p = ctx.prefix.toLowerCase();
    if (ctx.kind === 'labelValue') {
      const key = `${ctx.label}|${ctx.metric}`;
      if (!labelCache.has(key)) labelCache.set(key, labelValues(ctx.label, ctx.metric || undefined).catch(() => []));
      return (await labelCache.get(key)).filter((v) => v.toLowerCase().startsWith(p)).map((v) => ({ text: v, kind: 'value' }));
    }
    if (ctx.kind === 'labelName') {
      const key = `|${ctx.metric}`;
      if (!labelCache.has(key)) labelCache.set(key, labels(ctx.metric || undefined).catch(() => []));
      return (await labelCache.get(key)).filter((v) => v !== '__name__' && v.toLowerCase().startsWith(p)).map((v) => ({ text: v, kind: 'label' }));
    }
    if (ctx.kind === 'duration') return ['1m', '5m', '15m', '1h', '$__rate_interval'].map((d) => ({ text: d, kind: 'duration', insert: false }));
    if (!p) return [];
    if (!names) names = labelValues('__name__').catch(() => []);
    const fns = [...Object.keys(FUNCTIONS), ...AGGREGATIONS].filter((f) => f.startsWith(p)).map((f) => ({ text: f, kind: 'function', detail: FUNCTIONS[f] || 'aggregation' }));
    const kws = KEYWORDS.filter((k) => k.startsWith(p)).map((k) => ({ text: k, kind: 'keyword' }));
    const ms = (await names).filter((n) => n.toLowerCase().includes(p)).slice(0, 50).map((n) => ({ text: n, kind: 'metric' }));
    return [...fns, ...ms, ...kws].slice(0, 60);
  }

  let generation = 0; // completions that arrive after a newer keystroke, Escape or Run are dropped

  async function complete(force) {
    const mine = ++generation;
    const ctx = completionContext(editor.value, editor.selectionStart);
    if (!force && ctx.kind === 'name' && ctx.prefix.length < 2) return hide();
    const found = await candidates(ctx);
    if (mine !== generation || document.activeElement !== editor) return;
    items = found.map((c) => ({ ...c, from: ctx.from }));
    selected = 0;
    if (!items.length) return hide();
    clear(list);
    items.forEach((c, i) =>
      list.appendChild(
        el(
          'li',
          { role: 'option', id: `completion-${i}`, class: `kind-${c.kind}`, 'aria-selected': String(i === selected), onmousedown: (e) => (e.preventDefault(), accept(i)) },
          el('span', { class: 'c-text' }, c.text),
          el('span', { class: 'c-kind' }, c.detail || c.kind),
        ),
      ),
    );
    list.hidden = false;
    editor.setAttribute('aria-activedescendant', 'completion-0');
  }

  function hide() {
    generation++;
    list.hidden = true;
    items = [];
    editor.removeAttribute('aria-activedescendant');
  }

  function move(d) {
    selected = (selected + d + items.length) % items.length;
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === selected)));
    list.children[selected]?.scrollIntoView({ block: 'nearest' });
    editor.setAttribute('aria-activedescendant', `completion-${selected}`);
  }

  function accept(i) {
    const c = items[i];
    if (!c || c.insert === false) return hide();
    const pos = editor.selectionStart;
    const suffix = c.kind === 'function' ? '(' : '';
    editor.value = editor.value.slice(0, c.from) + c.text + suffix + editor.value.slice(pos);
    const caret = c.from + c.text.length + suffix.length;
    editor.setSelectionRange(caret, caret);
    hide();
    editor.focus();
  }

  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      hide();
      go(tab);
    } else if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault();
      complete(true);
    } else if (!list.hidden && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (!list.hidden && (e.key === 'Enter' || e.key === 'Tab')) {
      e.preventDefault();
      accept(selected);
    } else if (e.key === 'Escape') {
      hide();
    }
  });
  editor.addEventListener('input', () => complete(false));
  editor.addEventListener('blur', () => setTimeout(hide, 150));

  return {
    async update(w) {
      win = w;
      await execute();
    },
    dispose() {
      if (panel) panel.dispose();
      clear(container);
    },
  };
}
