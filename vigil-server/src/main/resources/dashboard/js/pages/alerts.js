// Alerts: firing and pending alerts (labels, value, active since, annotations, flapping), every
// rule group (health, last evaluation, duration, error), and the alert history of the time range
// as one timeline per alert, from /api/v1/alerts, /api/v1/rules and Vigil's
// /api/v1/alerts/history. Flapping alerts (more state changes than rules.flapping.changes within
// rules.flapping.window) are marked.

import { el, clear } from '../dom.js';
import { fetchJson } from '../api.js';
import { ago, formatTime } from '../time.js';
import { format } from '../units.js';
import { intervals } from '../alertbands.js';

const STATE_BADGE = { firing: 'crit', pending: 'warn', inactive: 'ok' };

function labelList(labels, skip = []) {
  return Object.entries(labels || {})
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => el('span', { class: 'label' }, `${k}="${v}"`));
}

function since(iso) {
  const t = Date.parse(iso) / 1000;
  return Number.isFinite(t) && t > 0 ? el('span', { title: formatTime(t) }, ago(t)) : 'never';
}

function section(title, id) {
  const body = el('div', { class: 'table-wrap' });
  const node = el('section', { class: 'panel', id, dataset: { state: 'loading' }, 'aria-label': title }, el('header', {}, el('h3', {}, title)), body);
  return { node, body };
}

function table(headers, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, rows));
}

/** Mounts the alerts page. */
export function mountAlerts(container) {
  const summary = el('p', { class: 'muted', id: 'alerts-summary' });
  const active = section('Firing and pending alerts', 'alerts-active');
  const groups = section('Rule groups', 'alerts-groups');
  const history = section('History', 'alerts-history');
  container.append(summary, active.node, groups.node, history.node);

  async function load(target, fn) {
    try {
      await fn();
    } catch (e) {
      target.node.dataset.state = 'error';
      clear(target.body).appendChild(el('div', { class: 'panel-error', role: 'alert' }, e.message));
    }
  }

  return {
    async update(win) {
      await Promise.all([
        load(active, async () => {
          const d = await fetchJson('/api/v1/alerts');
          const list = (d.alerts || []).slice().sort((a, b) => (a.state === b.state ? (a.labels.alertname || '').localeCompare(b.labels.alertname || '') : a.state === 'firing' ? -1 : 1));
          const firing = list.filter((a) => a.state === 'firing').length;
          summary.textContent = `${firing} firing, ${list.length - firing} pending.`;
          active.node.dataset.state = list.length ? 'ok' : 'empty';
          clear(active.body).appendChild(
            list.length
              ? table(
                  ['alert', 'state', 'labels', 'value', 'active since', 'annotations'],
                  list.map((a) =>
                    el(
                      'tr',
                      { dataset: { alert: a.labels.alertname || '', state: a.state, flapping: String(Boolean(a.flapping)) } },
                      el('td', {}, a.labels.alertname || ''),
                      el('td', {}, el('span', { class: `badge ${STATE_BADGE[a.state] || 'warn'}` }, a.state), a.flapping ? el('span', { class: 'badge warn flapping', title: 'changed state often in the flapping window' }, 'flapping') : null),
                      el('td', { class: 'labels' }, labelList(a.labels, ['alertname'])),
                      el('td', { class: 'num' }, format(parseFloat(a.value), 'none')),
                      el('td', {}, since(a.activeAt)),
                      el('td', {}, Object.entries(a.annotations || {}).map(([k, v]) => el('div', { class: 'annotation' }, el('b', {}, `${k}: `), v))),
                    ),
                  ),
                )
              : el('p', { class: 'muted' }, 'No alert is firing or pending.'),
          );
        }),
        load(groups, async () => {
          const d = await fetchJson('/api/v1/rules');
          const list = d.groups || [];
          groups.node.dataset.state = list.length ? 'ok' : 'empty';
          clear(groups.body).appendChild(
            list.length
              ? table(
                  ['group', 'file', 'rules', 'health', 'last evaluation', 'duration', 'error'],
                  list.map((g) => {
                    const rules = g.rules || [];
                    const failed = rules.filter((r) => r.health === 'err');
                    const health = failed.length ? 'err' : rules.some((r) => r.health === 'unknown') ? 'unknown' : 'ok';
                    return el(
                      'tr',
                      { dataset: { group: g.name, health } },
                      el('td', {}, g.name),
                      el('td', { class: 'muted' }, g.file),
                      el('td', { class: 'num' }, String(rules.length)),
                      el('td', {}, el('span', { class: `badge ${health === 'ok' ? 'ok' : health === 'err' ? 'crit' : 'warn'}` }, health)),
                      el('td', {}, since(g.lastEvaluation)),
                      el('td', { class: 'num' }, format(g.evaluationTime, 's')),
                      el('td', { class: 'error-text' }, failed.map((r) => el('div', {}, `${r.name}: ${r.lastError || ''}`))),
                    );
                  }),
                )
              : el('p', { class: 'muted' }, 'No rule groups: list rule files under rule_files in vigil.yml.'),
          );
        }),
        load(history, async () => {
          const d = await fetchJson('/api/v1/alerts/history', { params: { start: String(win.start), end: String(win.end), limit: '10000' } });
          drawHistory(history, d.changes || [], win);
        }),
      ]);
    },
    dispose() {
      clear(container);
    },
  };
}

/** One row per alert: its labels, a flapping mark, a timeline of pending/firing, its changes. */
function drawHistory(target, changes, win) {
  const byAlert = new Map();
  for (const c of changes) {
    const key = JSON.stringify(c.labels);
    if (!byAlert.has(key)) byAlert.set(key, { labels: c.labels, changes: [] });
    byAlert.get(key).changes.push(c);
  }
  target.node.dataset.state = byAlert.size ? 'ok' : 'empty';
  clear(target.body);
  if (!byAlert.size) {
    target.body.appendChild(el('p', { class: 'muted' }, 'No alert changed state in this time range.'));
    return;
  }
  target.body.appendChild(
    el('div', { class: 'alert-timeline-axis muted' }, el('span', {}, formatTime(win.start)), el('span', {}, 'pending', el('span', { class: 'alert-key pending' }), ' firing', el('span', { class: 'alert-key firing' })), el('span', {}, formatTime(win.end))),
  );
  const span = win.end - win.start;
  const pct = (t) => `${(((t - win.start) / span) * 100).toFixed(3)}%`;
  for (const a of byAlert.values()) {
    const flapping = a.changes.some((c) => c.flapping);
    const bands = intervals(a.changes, win.start, win.end);
    const bar = el(
      'div',
      { class: 'alert-timeline', role: 'img', 'aria-label': `${a.labels.alertname} timeline` },
      bands.map((b) =>
        el('span', {
          class: `alert-band ${b.state}`,
          dataset: { state: b.state },
          title: `${b.state} ${formatTime(b.from)} – ${formatTime(b.to)}`,
          style: `left:${pct(b.from)};width:${pct(win.start + (b.to - b.from))}`,
        }),
      ),
    );
    const list = el(
      'details',
      {},
      el('summary', {}, `${a.changes.length} changes`),
      el(
        'ol',
        { class: 'alert-changes' },
        a.changes.map((c) =>
          el(
            'li',
            { dataset: { to: c.to } },
            el('span', { title: c.time }, formatTime(Date.parse(c.time) / 1000)),
            ` ${c.from} → `,
            el('span', { class: `badge ${STATE_BADGE[c.to] || 'warn'}` }, c.to),
            ` value ${format(parseFloat(c.value), 'none')}`,
            c.flapping ? ' · flapping' : '',
          ),
        ),
      ),
    );
    target.body.appendChild(
      el(
        'div',
        { class: 'alert-history-row', dataset: { alert: a.labels.alertname || '', flapping: String(flapping), changes: String(a.changes.length) } },
        el('div', { class: 'alert-history-head' }, el('b', {}, a.labels.alertname || ''), ' ', labelList(a.labels, ['alertname']), flapping ? el('span', { class: 'badge warn flapping' }, 'flapping') : null),
        bar,
        list,
      ),
    );
  }
}
