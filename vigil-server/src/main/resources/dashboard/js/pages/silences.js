// Silences: Alertmanager's API v2 (/api/v2/silences) from the dashboard. Lists active, pending
// and expired silences; creates one with a matcher editor that previews the alerts it would mute
// (from /api/v2/alerts when the notifier serves it, else /api/v1/alerts); expires one. A firing
// alert is silenced in one click ("Silence" next to it), and any page can link to the editor
// prefilled: #page=silences&matchers={alertname="X",job="y"}.

import { el, clear } from '../dom.js';
import { fetchJson, currentToken } from '../api.js';
import { parseDuration, formatTime, ago } from '../time.js';

const OPS = ['=', '!=', '=~', '!~'];

/** Parses Alertmanager's matcher syntax ({a="b",c=~"d"} or a=b,c=~d) into [{name, op, value}]. */
export function parseMatchers(text) {
  let s = String(text || '').trim();
  if (s.startsWith('{')) s = s.slice(1);
  if (s.endsWith('}')) s = s.slice(0, -1);
  const tokens = [];
  let cur = '';
  let quoted = false;
  let escaped = false;
  for (const ch of s) {
    if (ch === ',' && !quoted) {
      tokens.push(cur);
      cur = '';
      continue;
    }
    if (ch === '"' && !escaped) quoted = !quoted;
    escaped = ch === '\\' ? !escaped : false;
    cur += ch;
  }
  if (cur.trim()) tokens.push(cur);
  return tokens.map((t) => {
    const m = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/.exec(t);
    if (!m) throw new Error(`bad matcher format: ${t.trim()}`);
    let v = m[3];
    if (v.startsWith('"')) {
      if (v.length < 2 || !v.endsWith('"')) throw new Error(`matcher value contains unescaped double quote: ${m[3]}`);
      v = v.slice(1, -1).replace(/\\(["\\n])/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    return { name: m[1], op: m[2], value: v };
  });
}

/** Formats matchers as Alertmanager prints them: {a="b",c=~"d"}. */
export function formatMatchers(ms) {
  const q = (v) => `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  return `{${ms.map((m) => `${m.name}${m.op}${q(m.value)}`).join(',')}}`;
}

function opOf(m) {
  return m.isRegex ? (m.isEqual === false ? '!~' : '=~') : m.isEqual === false ? '!=' : '=';
}

/** Whether a label set (object) satisfies all matchers; regexes fully anchored, as Prometheus. */
export function matchesAll(ms, labels) {
  return ms.every((m) => {
    const v = labels[m.name] ?? '';
    switch (m.op) {
      case '=':
        return v === m.value;
      case '!=':
        return v !== m.value;
      default: {
        let re;
        try {
          re = new RegExp(`^(?:${m.value})$`, 's');
        } catch {
          return false;
        }
        return m.op === '=~' ? re.test(v) : !re.test(v);
      }
    }
  });
}

async function send(method, path, body) {
  const headers = { Accept: 'application/json' };
  const token = currentToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (res.ok) return text ? JSON.parse(text) : null;
  let msg = `${res.status} ${res.statusText}`;
  try {
    const j = JSON.parse(text);
    msg = typeof j === 'string' ? j : j.message || j.error || msg;
  } catch {
    // not JSON: keep the status line
  }
  if (res.status === 401 || res.status === 403) msg += ' (a write token is needed to change silences)';
  throw new Error(msg);
}

async function currentAlerts() {
  try {
    const v2 = await fetchJson('/api/v2/alerts');
    if (Array.isArray(v2)) return v2.map((a) => ({ labels: a.labels || {}, state: a.status?.state || 'active' }));
  } catch {
    // no API v2 alerts on this server: the rules' /api/v1/alerts
  }
  try {
    const v1 = await fetchJson('/api/v1/alerts');
    return (v1.alerts || []).map((a) => ({ labels: a.labels || {}, state: a.state }));
  } catch {
    return [];
  }
}

function labelText(labels) {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`)
    .join(', ');
}

/** Mounts the silences page. */
export function mountSilences(container, ctx) {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const message = el('p', { class: 'muted', role: 'status', id: 'silence-message' });
  const rows = el('div', { id: 'matcher-rows' });
  const duration = el('input', { id: 'silence-duration', value: '2h', size: 6, 'aria-label': 'Duration' });
  const author = el('input', { id: 'silence-author', value: localStorage.getItem('vigil.author') || '', 'aria-label': 'Created by', placeholder: 'your name' });
  const comment = el('input', { id: 'silence-comment', 'aria-label': 'Comment', placeholder: 'why', size: 40 });
  const preview = el('div', { id: 'silence-preview', class: 'muted' });
  const lists = el('div', { id: 'silence-lists' });
  const alertsBox = el('section', { class: 'panel', id: 'silence-alerts', 'aria-label': 'Alerts' });
  let alerts = [];

  function addRow(m = { name: '', op: '=', value: '' }) {
    const name = el('input', { class: 'm-name', value: m.name, placeholder: 'label', 'aria-label': 'Label name', size: 14, oninput: refreshPreview });
    const op = el('select', { class: 'm-op', 'aria-label': 'Operator', onchange: refreshPreview }, OPS.map((o) => el('option', { value: o, selected: o === m.op }, o)));
    const value = el('input', { class: 'm-value', value: m.value, placeholder: 'value', 'aria-label': 'Label value', size: 24, oninput: refreshPreview });
    const row = el('div', { class: 'matcher-row' }, name, op, value, el('button', { type: 'button', 'aria-label': 'Remove matcher', onclick: () => (row.remove(), refreshPreview()) }, '×'));
    rows.appendChild(row);
  }

  function editorMatchers() {
    return [...rows.querySelectorAll('.matcher-row')]
      .map((r) => ({ name: r.querySelector('.m-name').value.trim(), op: r.querySelector('.m-op').value, value: r.querySelector('.m-value').value }))
      .filter((m) => m.name);
  }

  function setEditor(ms) {
    clear(rows);
    for (const m of ms) addRow(m);
    if (!ms.length) addRow();
    refreshPreview();
  }

  function refreshPreview() {
    const ms = editorMatchers();
    clear(preview);
    if (!ms.length) {
      preview.textContent = 'Add a matcher to see the alerts it would mute.';
      return;
    }
    const hit = alerts.filter((a) => matchesAll(ms, a.labels));
    preview.dataset.count = String(hit.length);
    preview.append(el('p', {}, `${formatMatchers(ms)} would mute ${hit.length} of ${alerts.length} current alerts.`), el('ul', { class: 'preview-list' }, hit.map((a) => el('li', {}, labelText(a.labels)))));
  }

  async function create(e) {
    e.preventDefault();
    const ms = editorMatchers();
    const secs = parseDuration(duration.value.trim());
    if (!ms.length) return void (message.textContent = 'Add at least one matcher.');
    if (!Number.isFinite(secs) || secs <= 0) return void (message.textContent = `Bad duration "${duration.value}": write e.g. 30m, 2h, 1d.`);
    const now = Date.now();
    localStorage.setItem('vigil.author', author.value);
    try {
      const r = await send('POST', '/api/v2/silences', {
        matchers: ms.map((m) => ({ name: m.name, value: m.value, isRegex: m.op.includes('~'), isEqual: !m.op.startsWith('!') })),
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + secs * 1000).toISOString(),
        createdBy: author.value.trim() || 'dashboard',
        comment: comment.value.trim() || 'silenced from the dashboard',
      });
      message.textContent = `Silence ${r.silenceID} created.`;
      await update();
    } catch (err) {
      message.textContent = `Not created: ${err.message}`;
    }
  }

  async function expire(id) {
    try {
      await send('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
      message.textContent = `Silence ${id} expired.`;
      await update();
    } catch (err) {
      message.textContent = `Not expired: ${err.message}`;
    }
  }

  function table(title, state, list) {
    return el(
      'section',
      { class: 'panel', dataset: { state: list.length ? 'ok' : 'empty', silences: state }, 'aria-label': title },
      el('h3', {}, `${title} (${list.length})`),
      list.length
        ? el(
            'div',
            { class: 'table-wrap' },
            el(
              'table',
              {},
              el('thead', {}, el('tr', {}, ['matchers', 'starts', 'ends', 'created by', 'comment', ''].map((h) => el('th', { scope: 'col' }, h)))),
              el(
                'tbody',
                {},
                list.map((s) =>
                  el(
                    'tr',
                    { dataset: { id: s.id }, class: s.id === params.get('id') ? 'highlight' : undefined },
                    el('td', { class: 'labels' }, formatMatchers(s.matchers.map((m) => ({ name: m.name, op: opOf(m), value: m.value })))),
                    el('td', { title: s.startsAt }, formatTime(Date.parse(s.startsAt) / 1000)),
                    el('td', { title: s.endsAt }, state === 'expired' ? ago(Date.parse(s.endsAt) / 1000) : formatTime(Date.parse(s.endsAt) / 1000)),
                    el('td', {}, s.createdBy),
                    el('td', {}, s.comment),
                    el('td', {}, state === 'expired' ? '' : el('button', { type: 'button', class: 'expire', onclick: () => expire(s.id) }, 'Expire')),
                  ),
                ),
              ),
            ),
          )
        : el('p', { class: 'muted' }, 'None.'),
    );
  }

  function renderAlerts(silenced) {
    clear(alertsBox).appendChild(el('h3', {}, `Alerts (${alerts.length})`));
    if (!alerts.length) return void alertsBox.appendChild(el('p', { class: 'muted' }, 'No alerts right now.'));
    alertsBox.appendChild(
      el(
        'ul',
        { class: 'alert-list' },
        alerts.map((a) => {
          const muted = silenced.some((ms) => matchesAll(ms, a.labels));
          const ms = Object.keys(a.labels)
            .sort()
            .map((k) => ({ name: k, op: '=', value: a.labels[k] }));
          return el(
            'li',
            { dataset: { alertname: a.labels.alertname || '' } },
            el('span', { class: `badge ${muted ? 'ok' : a.state === 'firing' || a.state === 'active' ? 'crit' : 'warn'}` }, muted ? 'silenced' : a.state),
            ' ',
            labelText(a.labels),
            ' ',
            el('button', { type: 'button', class: 'silence-alert', onclick: () => (setEditor(ms), comment.focus()) }, 'Silence'),
          );
        }),
      ),
    );
  }

  async function update() {
    let list;
    try {
      [list, alerts] = await Promise.all([fetchJson('/api/v2/silences'), currentAlerts()]);
    } catch (err) {
      clear(lists).appendChild(el('div', { class: 'panel-error', role: 'alert' }, err.message));
      return;
    }
    const by = (st) => list.filter((s) => s.status.state === st);
    // Re-render only what changed, so a button is not replaced under the user's pointer.
    const listKey = JSON.stringify(list);
    if (listKey !== lists.dataset.key) {
      clear(lists).append(table('Active', 'active', by('active')), table('Pending', 'pending', by('pending')), table('Expired', 'expired', by('expired')));
      lists.dataset.key = listKey;
    }
    const silenced = by('active').map((s) => s.matchers.map((m) => ({ name: m.name, op: opOf(m), value: m.value })));
    const alertsKey = JSON.stringify([alerts, silenced]);
    if (alertsKey !== alertsBox.dataset.key) {
      renderAlerts(silenced);
      alertsBox.dataset.key = alertsKey;
    }
    refreshPreview();
  }

  const form = el(
    'form',
    { class: 'panel', id: 'silence-form', 'aria-label': 'New silence', onsubmit: create },
    el('h3', {}, 'New silence'),
    rows,
    el('button', { type: 'button', id: 'add-matcher', onclick: () => addRow() }, 'Add matcher'),
    el('p', {}, el('label', {}, 'Duration ', duration), ' ', el('label', {}, 'Created by ', author), ' ', el('label', {}, 'Comment ', comment)),
    preview,
    el('button', { type: 'submit', class: 'primary', id: 'silence-create' }, 'Create silence'),
  );
  container.append(message, form, alertsBox, lists);
  let initial = [];
  try {
    initial = params.get('matchers') ? parseMatchers(params.get('matchers')) : [];
  } catch (err) {
    message.textContent = err.message;
  }
  setEditor(initial);
  return {
    update,
    dispose() {
      clear(container);
    },
  };
}
