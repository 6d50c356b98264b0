// Alerts: firing and pending alerts (labels, value, active since, annotations, flapping, and where
// each was notified: the built-in notifier's receivers, deliveries, silences and inhibitions, or
// the Alertmanagers it was sent to), every rule group (health, last evaluation, duration, error),
// the notification log (filterable by receiver and alert), and the alert history of the time
// range as one timeline per alert, from /api/v1/alerts, /api/v1/rules, /api/v1/notifications,
// /api/v2/alerts and Vigil's /api/v1/alerts/history. Flapping alerts (more state changes than
// rules.flapping.changes within rules.flapping.window) are marked.

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

/** A label set's identity, whatever the order of its keys. */
function labelKey(labels) {
  return JSON.stringify(Object.keys(labels || {}).sort().map((k) => [k, labels[k]]));
}

function alertTitle(labels) {
  const rest = Object.entries(labels || {}).filter(([k]) => k !== 'alertname').map(([k, v]) => `${k}="${v}"`);
  return `${labels.alertname || ''}${rest.length ? `{${rest.join(', ')}}` : ''}`;
}

/**
 * Where alerts are notified: the built-in notifier's alerts by label set (Alertmanager's status:
 * receivers, silencedBy, inhibitedBy as alert labels), each alert's latest notification per
 * integration, and the Alertmanagers alerts are sent to with their last post.
 */
async function loadNotifications() {
  const log = await fetchJson('/api/v1/notifications', { params: { limit: '1000' } });
  const status = new Map();
  if (log.builtin) {
    const v2 = await fetchJson('/api/v2/alerts');
    const byFp = new Map((v2 || []).map((a) => [a.fingerprint, a.labels]));
    for (const a of v2 || []) {
      status.set(labelKey(a.labels), {
        receivers: (a.receivers || []).map((r) => r.name),
        silencedBy: a.status.silencedBy || [],
        inhibitedBy: (a.status.inhibitedBy || []).map((fp) => byFp.get(fp) || { fingerprint: fp }),
      });
    }
  }
  const sent = new Map();
  for (const n of log.notifications || []) {
    for (const a of n.alerts) {
      const key = labelKey(a.labels);
      if (!sent.has(key)) sent.set(key, new Map());
      const per = sent.get(key);
      const integration = `${n.receiver}/${n.integration}`;
      if (!per.has(integration)) per.set(integration, n); // newest first: the latest per integration
    }
  }
  return { builtin: log.builtin, status, sent, alertmanagers: log.alertmanagers || [] };
}

/** The "notified" cell of one alert. */
function notifiedCell(a, where) {
  if (where.error) return el('td', { class: 'notified muted' }, `unknown: ${where.error}`);
  const parts = [];
  const key = labelKey(a.labels);
  if (where.builtin) {
    const st = where.status.get(key);
    if (a.state !== 'firing') parts.push(el('div', { class: 'muted' }, 'pending alerts are not sent'));
    else if (!st) parts.push(el('div', { class: 'muted' }, 'not yet with the notifier'));
    else {
      parts.push(el('div', { class: 'routed' }, 'routed to ', st.receivers.map((r) => el('span', { class: 'label receiver' }, r))));
      for (const id of st.silencedBy) {
        parts.push(el('div', { class: 'silenced', dataset: { silence: id } }, el('span', { class: 'badge warn' }, 'silenced'), ' by ', el('a', { href: `#page=silences&id=${encodeURIComponent(id)}` }, id)));
      }
      for (const src of st.inhibitedBy) {
        parts.push(el('div', { class: 'inhibited', dataset: { by: src.alertname || src.fingerprint || '' } }, el('span', { class: 'badge warn' }, 'inhibited'), ' by ', el('span', { class: 'label' }, src.fingerprint ? src.fingerprint : alertTitle(src))));
      }
    }
    for (const [integration, n] of where.sent.get(key) || []) {
      const ok = n.status === 'delivered';
      parts.push(
        el(
          'div',
          { class: 'delivery', dataset: { integration, status: n.status } },
          el('span', { class: `badge ${ok ? 'ok' : 'crit'}` }, ok ? 'delivered' : 'failed'),
          ` ${integration} `,
          since(n.time),
          ok ? null : el('span', { class: 'error-text' }, ` ${n.error || ''}`),
        ),
      );
    }
  }
  if (a.state === 'firing') {
    for (const am of where.alertmanagers) {
      const ok = am.lastPost && !am.lastError;
      parts.push(
        el(
          'div',
          { class: 'alertmanager', dataset: { url: am.url, status: !am.lastPost ? 'none' : ok ? 'ok' : 'error' } },
          'sent to Alertmanager ',
          el('span', { class: 'label' }, am.url),
          ' ',
          !am.lastPost ? el('span', { class: 'muted' }, 'no post yet') : el('span', { class: `badge ${ok ? 'ok' : 'crit'}` }, ok ? 'last post ok' : 'last post failed'),
          am.lastPost ? [' ', since(am.lastPost)] : null,
          am.lastError ? el('span', { class: 'error-text' }, ` ${am.lastError}`) : null,
        ),
      );
    }
  }
  if (!parts.length) parts.push(el('span', { class: 'muted' }, where.builtin ? '' : 'no notifier: configure notify or alerting.alertmanagers'));
  return el('td', { class: 'notified' }, parts);
}

/** The notification log's table. */
function logTable(list) {
  if (!list.length) return el('p', { class: 'muted' }, 'No notification matches.');
  return table(
    ['time', 'receiver', 'integration', 'group', 'alerts', 'outcome', 'error'],
    list.map((n) =>
      el(
        'tr',
        { dataset: { receiver: n.receiver, integration: n.integration, status: n.status } },
        el('td', {}, since(n.time)),
        el('td', {}, n.receiver),
        el('td', {}, n.integration),
        el('td', { class: 'labels', title: n.groupKey }, labelList(n.groupLabels)),
        el('td', {}, n.alerts.map((a) => el('div', { class: 'sent-alert', dataset: { alert: a.labels.alertname || '' } }, el('span', { class: `badge ${a.status === 'firing' ? 'crit' : 'ok'}` }, a.status), ' ', alertTitle(a.labels)))),
        el('td', {}, el('span', { class: `badge ${n.status === 'delivered' ? 'ok' : 'crit'}` }, n.status), n.attempts > 1 ? el('span', { class: 'muted' }, ` after ${n.attempts} attempts`) : null),
        el('td', { class: 'error-text' }, n.error || ''),
      ),
    ),
  );
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
  const log = section('Notification log', 'alerts-notifications');
  const receiverInput = el('input', { id: 'notify-filter-receiver', type: 'text', placeholder: 'receiver', 'aria-label': 'filter by receiver' });
  const alertInput = el('input', { id: 'notify-filter-alert', type: 'text', placeholder: 'alertname', 'aria-label': 'filter by alert name' });
  log.node.querySelector('header').append(el('div', { class: 'filters' }, receiverInput, ' ', alertInput));
  const loadLog = () =>
    load(log, async () => {
      const params = { limit: '200' };
      if (receiverInput.value.trim()) params.receiver = receiverInput.value.trim();
      if (alertInput.value.trim()) params.alertname = alertInput.value.trim();
      const d = await fetchJson('/api/v1/notifications', { params });
      const list = d.notifications || [];
      log.node.dataset.state = list.length ? 'ok' : 'empty';
      log.node.dataset.count = String(list.length);
      clear(log.body).appendChild(d.builtin ? logTable(list) : el('p', { class: 'muted' }, 'The built-in notifier is off (no notify section in vigil.yml).'));
    });
  receiverInput.addEventListener('change', loadLog);
  alertInput.addEventListener('change', loadLog);
  container.append(summary, active.node, groups.node, log.node, history.node);

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
          const [d, where] = await Promise.all([fetchJson('/api/v1/alerts'), loadNotifications().catch((e) => ({ error: e.message }))]);
          const list = (d.alerts || []).slice().sort((a, b) => (a.state === b.state ? (a.labels.alertname || '').localeCompare(b.labels.alertname || '') : a.state === 'firing' ? -1 : 1));
          const firing = list.filter((a) => a.state === 'firing').length;
          summary.textContent = `${firing} firing, ${list.length - firing} pending.`;
          active.node.dataset.state = list.length ? 'ok' : 'empty';
          clear(active.body).appendChild(
            list.length
              ? table(
                  ['alert', 'state', 'labels', 'value', 'active since', 'annotations', 'notified'],
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
                      notifiedCell(a, where),
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
        loadLog(),
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
