// Vigil's dashboard: the shell (navigation, time range, refresh, pause, theme), the page router
// and the live loop. Plain ES modules, no build step.
//
// Live updates: when the server offers the /ws WebSocket, the dashboard subscribes to a tick
// every LIVE_PUSH seconds and each push refreshes the open page in the live range (at most one per
// LIVE_MIN_GAP); paused, nothing is fetched. Without /ws, the page polls at its
// refresh interval (overview 1 min, performance pages 15 s, live range 5 s, as DevLoop's tiers).

import { el, clear } from './dom.js';
import { fetchJson, currentToken, query } from './api.js';
import { getState, setState, onState, setDefaultRange } from './state.js';
import { RANGES, resolveRange, parseDuration, formatTime } from './time.js';
import { onZoom, COMPARE } from './panels.js';
import { mountBoard } from './board.js';
import { renderWidget } from './widgets.js';
import * as builtin from './pages/builtin.js';
import { GUIDES, hasData, renderGuide } from './pages/guides.js';
import { mountOverview } from './pages/overview.js';
import { mountTargets } from './pages/targets.js';
import { mountMetrics } from './pages/metrics.js';
import { mountExplore } from './pages/explore.js';
import { mountDashboards } from './pages/dashboards.js';
import { mountAlerts } from './pages/alerts.js';
import { mountSlos, useSloApi } from './pages/slos.js';
import { mountSilences } from './pages/silences.js';
import { browser } from './pages/browser.js';
import { quality, QUALITY_GUIDE } from './pages/quality.js';
import { withErrorSamples } from './pages/errorsamples.js';

const LIVE_REFRESH = 5;
const LIVE_MIN_GAP = 2000;
const LIVE_PUSH = 2;

/**
 * A built-in board page. An application page (one with a guide) shows its charts only when some
 * application sent its metrics in the range, and otherwise how to send them.
 */
function boardPage(board, guide) {
  return (container, ctx) => {
    const widgetBox = board.widget && ctx.config.widgets ? el('section', { class: 'widget' }) : null;
    const guideBox = guide ? el('section', { class: 'guide', hidden: true, 'aria-live': 'polite' }) : null;
    const body = el('div');
    if (guideBox) container.appendChild(guideBox);
    container.appendChild(body);
    if (widgetBox) container.appendChild(widgetBox);
    const b = mountBoard(body, board);
    return {
      async update(win) {
        const empty = guide && !(await hasData(guide, win));
        if (guideBox) {
          if (empty && guideBox.hidden) renderGuide(guideBox, guide);
          guideBox.hidden = !empty;
          body.hidden = empty;
          if (widgetBox) widgetBox.hidden = empty;
          container.dataset.empty = String(empty);
        }
        if (empty) return;
        await Promise.all([b.update(win), widgetBox ? renderWidget(widgetBox, board.widget, Math.max(1, Math.round((win.end - win.start) / 3600))) : null]);
      },
      dispose() {
        b.dispose();
        clear(container);
      },
    };
  };
}

/** The pages: id, title, default refresh in seconds (0 = manual), mount function. */
const PAGES = [
  { id: 'overview', title: 'Overview', refresh: 60, mount: mountOverview },
  { id: 'resources', title: 'Resources', refresh: 15, mount: boardPage(builtin.resources) },
  { id: 'health', title: 'Health', refresh: 15, mount: boardPage(builtin.health) },
  { id: 'api', title: 'API performance', refresh: 15, mount: boardPage(builtin.api, GUIDES.api) },
  { id: 'models', title: 'Models', refresh: 15, mount: boardPage(builtin.models, GUIDES.models) },
  { id: 'errors', title: 'Errors', refresh: 15, mount: (c, ctx) => withErrorSamples(boardPage(builtin.errors, GUIDES.errors)(c, ctx), c) },
  { id: 'users', title: 'Users and sessions', refresh: 60, mount: boardPage(builtin.users, GUIDES.users) },
  { id: 'agents', title: 'Agents', refresh: 15, mount: boardPage(builtin.agents, GUIDES.agents) },
  { id: 'files', title: 'File operations', refresh: 15, mount: boardPage(builtin.files, GUIDES.files) },
  { id: 'browser', title: 'Browser', refresh: 60, mount: boardPage(browser) },
  { id: 'quality', title: 'Quality', refresh: 60, mount: boardPage(quality, QUALITY_GUIDE) },
  { id: 'alerts', title: 'Alerts', refresh: 15, mount: mountAlerts },
  { id: 'slos', title: 'SLOs', refresh: 60, mount: mountSlos },
  { id: 'targets', title: 'Targets', refresh: 15, mount: mountTargets },
  { id: 'metrics', title: 'Metrics', refresh: 60, mount: mountMetrics },
  { id: 'explore', title: 'Explore', refresh: 0, mount: mountExplore },
  { id: 'dashboards', title: 'Dashboards', refresh: 60, mount: (c, ctx) => mountDashboards(c, { configured: ctx.config.dashboards, onRefresh: (r) => (ctx.boardRefresh = parseDuration(r)) }) },
  { id: 'silences', title: 'Silences', refresh: 15, mount: mountSilences },
];

const REFRESH_CHOICES = ['auto', 'off', '5s', '15s', '1m', '5m'];

let config = { ws: false, widgets: false, dashboards: true };
let current = null; // {page, key, handle, ctx}
let timer = null;
let paused = false;
let socket = null;
let lastRender = 0;
let rendering = null;

const main = document.getElementById('main');
const statusEl = document.getElementById('status');

function mountKey(s) {
  return `${s.page}|${s.params.get('d') || ''}|${s.params.get('slo') || ''}`;
}

function dataKey(s) {
  const vars = [...s.params].filter(([k]) => k.startsWith('var-')).map(([k, v]) => `${k}=${v}`).join('&');
  return `${s.range}|${s.from}|${s.to}|${s.params.get('compare') || ''}|${vars}`;
}

function pageOf(s) {
  return PAGES.find((p) => p.id === s.page) || PAGES[0];
}

function refreshSeconds(s) {
  const r = s.refresh || 'auto';
  if (r === 'off') return 0;
  if (r !== 'auto' && Number.isFinite(parseDuration(r))) return parseDuration(r);
  const configured = config.refresh && config.refresh[pageOf(s).id];
  if (configured === 'off') return 0;
  if (configured && Number.isFinite(parseDuration(configured))) return parseDuration(configured);
  if (s.range === '5m') return LIVE_REFRESH;
  if (current && current.ctx.boardRefresh) return current.ctx.boardRefresh;
  return pageOf(s).refresh;
}

async function render() {
  const s = getState();
  const page = pageOf(s);
  if (!current || current.key !== mountKey(s)) {
    if (current) current.handle.dispose();
    clear(main);
    document.title = `${page.title} · Vigil`;
    main.appendChild(el('h1', {}, page.title));
    const container = el('div', { class: 'page', id: `page-${page.id}` });
    main.appendChild(container);
    const ctx = { config };
    current = { key: mountKey(s), data: null, handle: page.mount(container, ctx), ctx };
    highlightNav(page.id);
  }
  current.data = dataKey(s);
  await update();
  schedule();
}

async function update() {
  if (rendering) return rendering;
  const s = getState();
  // The compared period (`compare` in the URL) travels with the window to every chart.
  const win = { ...resolveRange(s), compare: COMPARE[s.params.get('compare')] ? s.params.get('compare') : undefined };
  const started = performance.now();
  document.body.dataset.updating = 'true';
  rendering = (async () => {
    try {
      await current.handle.update(win);
      lastRender = Date.now();
      document.body.dataset.renders = String(+(document.body.dataset.renders || 0) + 1);
      document.body.dataset.lastRenderMs = String(Math.round(performance.now() - started));
      setStatus();
    } catch (e) {
      statusEl.textContent = `error: ${e.message}`;
    } finally {
      rendering = null;
      document.body.dataset.updating = 'false';
    }
  })();
  return rendering;
}

function setStatus() {
  const s = getState();
  const secs = refreshSeconds(s);
  const mode = paused ? 'paused' : socket && socket.readyState === WebSocket.OPEN && s.range === '5m' ? 'live (WebSocket)' : secs ? `every ${secs} s` : 'manual refresh';
  statusEl.textContent = `${mode} · updated ${formatTime(lastRender / 1000).slice(11)}`;
  document.body.dataset.paused = String(paused);
}

function schedule() {
  clearTimeout(timer);
  const secs = refreshSeconds(getState());
  if (paused || !secs) return;
  timer = setTimeout(async () => {
    await update();
    schedule();
  }, secs * 1000);
}

function connectSocket() {
  if (!config.ws || socket) return;
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (currentToken()) url.searchParams.set('token', currentToken());
  socket = new WebSocket(url);
  socket.addEventListener('open', () => {
    // Vigil's /ws pushes subscribed results; a tiny query every LIVE_PUSH seconds is the tick.
    socket.send(JSON.stringify({ id: 'live', query: 'vector(1)', interval: LIVE_PUSH }));
    setStatus();
  });
  socket.addEventListener('message', () => {
    const s = getState();
    if (paused || s.range !== '5m' || Date.now() - lastRender < LIVE_MIN_GAP) return;
    update();
  });
  socket.addEventListener('close', () => {
    socket = null;
    setTimeout(connectSocket, 5000);
  });
}

function highlightNav(id) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function buildShell() {
  const nav = document.getElementById('nav');
  for (const p of PAGES) {
    nav.appendChild(el('a', { href: `#page=${p.id}`, dataset: { page: p.id }, onclick: (e) => (e.preventDefault(), setState({ page: p.id, d: undefined, q: undefined, tab: undefined, search: undefined, slo: undefined })) }, p.title));
  }
  const ranges = document.getElementById('ranges');
  for (const r of RANGES) {
    ranges.appendChild(el('button', { type: 'button', dataset: { range: r.id }, onclick: () => setState({ range: r.id, from: undefined, to: undefined }) }, r.label));
  }
  const from = document.getElementById('from');
  const to = document.getElementById('to');
  document.getElementById('custom-range').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = Date.parse(from.value) / 1000;
    const t = Date.parse(to.value) / 1000;
    if (!(f < t)) {
      statusEl.textContent = 'custom range: "from" must be before "to"';
      return;
    }
    setState({ range: 'custom', from: Math.floor(f), to: Math.floor(t) });
  });
  const compare = document.getElementById('compare');
  compare.appendChild(el('option', { value: '' }, 'no comparison'));
  for (const [id, c] of Object.entries(COMPARE)) compare.appendChild(el('option', { value: id }, `compare with ${c.label}`));
  compare.addEventListener('change', () => setState({ compare: compare.value || undefined }));
  const refresh = document.getElementById('refresh');
  for (const r of REFRESH_CHOICES) refresh.appendChild(el('option', { value: r }, r === 'auto' ? 'auto refresh' : r === 'off' ? 'no refresh' : `every ${r}`));
  refresh.addEventListener('change', () => setState({ refresh: refresh.value === 'auto' ? undefined : refresh.value }, { replace: true }));
  const pause = document.getElementById('pause');
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    pause.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) update();
    schedule();
    setStatus();
  });
  document.getElementById('theme').addEventListener('click', () => {
    const dark = document.documentElement.dataset.theme !== 'dark';
    localStorage.setItem('vigil.theme', dark ? 'dark' : 'light');
    applyTheme();
    if (current) current.handle.dispose();
    current = null;
    render();
  });
  onZoom((f, t) => {
    if (t - f >= 10) setState({ range: 'custom', from: f, to: t });
  });
}

function applyTheme() {
  const saved = localStorage.getItem('vigil.theme');
  const dark = saved ? saved === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

function syncControls(s) {
  for (const b of document.querySelectorAll('#ranges button')) b.setAttribute('aria-pressed', String(b.dataset.range === s.range));
  const win = resolveRange(s);
  const local = (sec) => new Date(sec * 1000 - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  document.getElementById('from').value = local(win.start);
  document.getElementById('to').value = local(win.end);
  document.getElementById('compare').value = COMPARE[s.params.get('compare')] ? s.params.get('compare') : '';
  document.getElementById('refresh').value = s.refresh && REFRESH_CHOICES.includes(s.refresh) ? s.refresh : 'auto';
}

/**
 * The range shown when the URL names none: the longest of 5 m live and 1 h that the server has data
 * for, so a server started a minute ago does not show an hour of empty chart with its data at the
 * right edge. "Has data for 1 h" means a target was up (or Vigil scored its health) an hour ago.
 */
async function chooseDefaultRange() {
  try {
    const d = await query('count(up) or count(vigil_health_score)', Math.floor(Date.now() / 1000) - 3600);
    setDefaultRange(d.result && d.result.length ? '1h' : '5m');
  } catch {
    setDefaultRange('1h');
  }
}

async function start() {
  applyTheme();
  try {
    config = { ...config, ...(await fetchJson('/api/dashboard/config', { raw: true })) };
    useSloApi(config.slos === true);
  } catch {
    // A plain Prometheus-compatible server: no WebSocket, no widgets, no dashboard folder.
    config = { ws: false, widgets: false, dashboards: false };
  }
  await chooseDefaultRange();
  buildShell();
  onState((s) => {
    syncControls(s);
    if (current && current.key === mountKey(s) && current.data === dataKey(s)) {
      schedule();
      setStatus();
      return;
    }
    render();
  });
  syncControls(getState());
  connectSocket();
  await render();
}

start();
