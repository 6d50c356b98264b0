// Overview: status and health score with what pulls it down, resources now, requests, error rate,
// sessions, firing alerts, service status.
//
// Health score (0-100): Vigil's own vigil_health_score, the figure /api/metrics/dashboard?widget=
// overview reports, with the points each input took away (vigil_health_score_penalty); the listed
// points always add up to 100 minus the headline (see wholePoints). Against a server that exports
// no vigil_health_score, computed in the browser as 100 minus
//   CPU busy above 70 %          1 point per point, at most 30
//   memory used above 80 %       1.5 points per point, at most 30
//   fullest disk above 85 %      2 points per point, at most 20
//   each scrape target down      10 points, at most 30
//   errors per minute            1 point each, at most 20

import { el, clear } from '../dom.js';
import { query, fetchJson } from '../api.js';
import { mountBoard } from '../board.js';
import { CPU_BUSY, MEM_USED, DISK_USED, REQUESTS, ERRORS_PER_MIN, SESSIONS, FIRING, byName } from './queries.js';
import { intervalVars, substitute } from '../time.js';
import { format } from '../units.js';
import { loadSlos, pct } from './slos.js';

const stat = (title, expr, unit, more = {}) => ({ type: 'stat', title, span: 4, unit, targets: [{ expr }], ...more });
const ts = (title, expr, legendFormat, unit) => ({ type: 'timeseries', title, span: 12, unit, targets: [{ expr, legendFormat }] });

const board = {
  rows: [
    {
      panels: [
        stat('CPU busy', CPU_BUSY, 'percent', { thresholds: [{ value: 80, level: 'warn' }, { value: 95, level: 'crit' }] }),
        stat('Memory used', MEM_USED, 'percent', { thresholds: [{ value: 85, level: 'warn' }, { value: 95, level: 'crit' }] }),
        stat('Fullest disk', DISK_USED, 'percent', { thresholds: [{ value: 85, level: 'warn' }, { value: 95, level: 'crit' }] }),
        stat('Requests', `${REQUESTS} or vector(0)`, 'reqps'),
        stat('Errors', `${ERRORS_PER_MIN} or vector(0)`, 'errors/min', { thresholds: [{ value: 1, level: 'warn' }, { value: 5, level: 'crit' }] }),
        stat('Active sessions', `${SESSIONS} or vector(0)`, 'none'),
      ],
    },
    {
      panels: [
        ts('CPU and memory', CPU_BUSY, 'CPU busy', 'percent'),
        ts('Requests by service', `sum by (service) (rate(${byName('(api|http)_requests_total')}[$__rate_interval]))`, '{{service}}', 'reqps'),
        ts('Errors per minute', `${ERRORS_PER_MIN}`, 'errors', 'errors/min'),
        { type: 'table', title: 'Service status', span: 12, unit: 'none', targets: [{ expr: 'up' }] },
      ],
    },
  ],
};
board.rows[1].panels[0].targets.push({ expr: MEM_USED, legendFormat: 'memory used' });

// AgentOS' organisation: cache performance and active connections beside the system's health.
// The cache hit rate is the recorders' (recordCacheOperation) per cache; connections are any
// application gauge named *_active_connections, *_connections_active or *_open_connections.
export const CACHE_HIT_RATE = `sum by (cache) (rate(${byName('cache_requests_total', 'result="hit"')}[$__rate_interval])) / sum by (cache) (rate(${byName('cache_requests_total')}[$__rate_interval]))`;
export const ACTIVE_CONNECTIONS = `sum by (job, protocol) (${byName('(active_connections|connections_active|open_connections)')})`;
board.rows.push({
  panels: [
    { ...ts('Cache hit rate', CACHE_HIT_RATE, '{{cache}}', 'percentunit'), min: 0, max: 1, optional: true },
    { ...ts('Active connections', ACTIVE_CONNECTIONS, '{{job}} {{protocol}}', 'short'), min: 0, optional: true },
  ],
});

/** Mounts the overview page. */
export function mountOverview(container) {
  const health = el('section', { class: 'health', 'aria-live': 'polite' });
  container.appendChild(health);
  const slos = el('section', { class: 'slo-tiles', id: 'overview-slos', hidden: true, 'aria-label': 'SLO indicators' });
  container.appendChild(slos);
  const boardEl = el('div');
  container.appendChild(boardEl);
  const b = mountBoard(boardEl, board, { lazy: false });
  return {
    async update(win) {
      await Promise.all([b.update(win), updateHealth(health, win), updateSloTiles(slos, win)]);
    },
    dispose() {
      b.dispose();
      clear(container);
    },
  };
}

const SLO_BADGE = { ok: 'ok', warn: 'warn', crit: 'crit', unknown: 'warn' };

/**
 * DevLoop's "critical SLO indicators": one tile per SLO (its status, SLI and budget left), linking
 * to the SLO page; hidden on a server without SLOs.
 */
async function updateSloTiles(node, win) {
  let list = [];
  try {
    list = await loadSlos(win.end);
  } catch {
    list = [];
  }
  node.hidden = !list.length;
  clear(node);
  if (!list.length) return;
  node.append(
    el('h2', {}, el('a', { href: '#page=slos' }, 'SLOs')),
    el(
      'div',
      { class: 'slo-tile-list' },
      list.map((s) =>
        el(
          'a',
          { class: `slo-tile ${s.status}`, href: '#page=slos', dataset: { slo: s.id, status: s.status } },
          el('span', { class: `badge ${SLO_BADGE[s.status]}` }, s.status === 'ok' ? 'ok' : s.status === 'unknown' ? 'no data' : s.status === 'warn' ? 'burning' : 'at risk'),
          el('b', {}, ` ${s.service || ''} · ${s.name || s.id}`),
          el('span', { class: 'muted' }, ` SLI ${pct(s.sliPeriod)} of ${pct(s.objective)} · budget left ${pct(s.remaining)}`),
        ),
      ),
    ),
  );
}

async function scalar(expr, win) {
  try {
    const d = await query(substitute(expr, intervalVars(win)), win.end);
    const r = d.result || [];
    if (d.resultType === 'scalar') return +r[1];
    return r.length ? +r[0].value[1] : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Rounds penalties to whole points so that they add up to the rounded total (largest remainder):
 * rounding each on its own could list "-20" and "-23" beside a score of 58.
 */
export function wholePoints(penalties, total) {
  const floors = penalties.map((p) => Math.floor(p));
  let left = Math.round(total) - floors.reduce((a, b) => a + b, 0);
  const order = penalties.map((p, i) => [p - Math.floor(p), i]).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floors[i]++;
    left--;
  }
  return floors;
}

async function serverPenalties(win) {
  try {
    const [p, v] = await Promise.all([query('vigil_health_score_penalty', win.end), query('vigil_health_input', win.end)]);
    const values = new Map((v.result || []).map((r) => [r.metric.input, +r.value[1]]));
    return (p.result || []).map((r) => {
      const input = r.metric.input || 'unknown';
      const value = values.get(input);
      const unit = ['cpu', 'memory', 'disk'].includes(input) ? 'percentunit' : 'none';
      return { exact: +r.value[1], text: `${input}${Number.isFinite(value) ? ` at ${format(value, unit)}` : ''}` };
    });
  } catch {
    return [];
  }
}

async function updateHealth(node, win) {
  const [cpu, mem, disk, errs, down, total, firing, exported, alerts] = await Promise.all([
    scalar(CPU_BUSY, win),
    scalar(MEM_USED, win),
    scalar(DISK_USED, win),
    scalar(ERRORS_PER_MIN, win),
    scalar('count(up == 0)', win),
    scalar('count(up)', win),
    scalar(FIRING, win),
    scalar('max(vigil_health_score)', win),
    fetchJson('/api/v1/alerts').then((d) => (d.alerts || []).filter((a) => a.state === 'firing'), () => []),
  ]);
  let factors = [];
  const add = (cond, penalty, text) => {
    if (cond && penalty > 0) factors.push({ penalty: Math.round(penalty), text });
  };
  // Vigil exports its own score with the points each input took away: show those when present.
  const penalties = Number.isFinite(exported) ? await serverPenalties(win) : [];
  add(cpu > 70, Math.min(30, cpu - 70), `CPU ${format(cpu, 'percent')} busy`);
  add(mem > 80, Math.min(30, (mem - 80) * 1.5), `memory ${format(mem, 'percent')} used`);
  add(disk > 85, Math.min(20, (disk - 85) * 2), `fullest disk ${format(disk, 'percent')} used`);
  add(down > 0, Math.min(30, down * 10), `${down} of ${total} scrape targets down`);
  add(errs > 0, Math.min(20, errs), `${format(errs, 'none')} errors per minute`);
  const computed = Math.max(0, 100 - factors.reduce((s, f) => s + f.penalty, 0));
  const score = Number.isFinite(exported) ? exported : computed;
  if (Number.isFinite(exported)) {
    const points = wholePoints(penalties.map((p) => p.exact), 100 - Math.round(score));
    factors = penalties.map((p, i) => ({ penalty: points[i], text: p.text })).filter((f) => f.penalty > 0);
    // A score without its breakdown (a demo backfill, another exporter): still add up.
    const rest = 100 - Math.round(score) - points.reduce((a, b) => a + b, 0);
    if (rest > 0) factors.push({ penalty: rest, text: 'not broken down by input at this time (no vigil_health_score_penalty)' });
  }
  const level = score >= 80 ? 'ok' : score >= 50 ? 'warn' : 'crit';
  const status = level === 'ok' ? 'Healthy' : level === 'warn' ? 'Degraded' : 'Unhealthy';
  clear(node);
  node.dataset.score = String(Math.round(score));
  node.appendChild(
    el(
      'div',
      { class: `health-score ${level}` },
      el('div', { class: 'score', 'aria-label': 'health score' }, String(Math.round(score))),
      el('div', { class: 'status' }, status),
    ),
  );
  const list = el('ul', { class: 'factors' });
  if (!factors.length) list.appendChild(el('li', {}, 'Nothing pulls the score down.'));
  for (const f of factors.sort((a, b) => b.penalty - a.penalty)) list.appendChild(el('li', {}, el('b', {}, `−${f.penalty}`), ' ', f.text));
  node.appendChild(
    el(
      'div',
      { class: 'health-detail' },
      el('h2', {}, 'What pulls the score down'),
      list,
      el('p', { class: 'muted' }, `Firing alerts: ${Number.isFinite(firing) ? firing : 0}${Number.isFinite(exported) ? ' · score reported by the server' : ' · score computed in the browser'}`),
      firingList(alerts),
    ),
  );
}

/** Which alerts fire now, by name (with how many of each), linking to the Alerts page. */
function firingList(alerts) {
  if (!alerts.length) return null;
  const counts = new Map();
  for (const a of alerts) counts.set(a.labels.alertname || '', (counts.get(a.labels.alertname || '') || 0) + 1);
  return el(
    'p',
    { class: 'firing-alerts', dataset: { firing: String(alerts.length) } },
    'Firing: ',
    [...counts].sort().map(([name, n], i) => [i ? ', ' : '', el('a', { href: '#page=alerts' }, name), n > 1 ? ` ×${n}` : '']),
  );
}
