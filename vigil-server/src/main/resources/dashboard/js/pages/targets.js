// Targets: every scrape target with health, last scrape, duration and error; below them, each
// remote write queue (where the samples go) with its shards, backlog, counts, lag and last error,
// and the query.remote backend (where queries read) with its requests by status and last error.

import { el, clear } from '../dom.js';
import { remoteQuery, remoteWrite, targets } from '../api.js';
import { ago, formatTime } from '../time.js';
import { format } from '../units.js';

/** Mounts the targets page. */
export function mountTargets(container) {
  const summary = el('p', { class: 'muted' });
  const wrap = el('section', { class: 'panel', dataset: { type: 'table', state: 'loading', series: '0', points: '0' }, 'aria-label': 'Scrape targets' });
  const rw = el('section', { class: 'panel', hidden: true, dataset: { type: 'table', state: 'loading', series: '0', points: '0' }, 'aria-label': 'Remote write queues' });
  const rq = el('section', { class: 'panel', hidden: true, dataset: { type: 'table', state: 'loading', series: '0', points: '0' }, 'aria-label': 'Remote query backend' });
  container.append(summary, wrap, rw, rq);
  return {
    async update() {
      updateRemoteWrite(rw);
      updateRemoteQuery(rq);
      let data;
      try {
        data = await targets();
      } catch (e) {
        wrap.dataset.state = 'error';
        clear(wrap).appendChild(el('div', { class: 'panel-error', role: 'alert' }, e.message));
        return;
      }
      const list = data.activeTargets || [];
      const up = list.filter((t) => t.health === 'up').length;
      summary.textContent = `${list.length} targets, ${up} up, ${list.length - up} not up; ${(data.droppedTargets || []).length} dropped by relabeling.`;
      clear(wrap);
      wrap.dataset.state = list.length ? 'ok' : 'empty';
      wrap.dataset.series = String(list.length);
      wrap.dataset.points = String(list.length);
      const rows = [...list].sort((a, b) => (a.scrapePool || '').localeCompare(b.scrapePool || '') || (a.scrapeUrl || '').localeCompare(b.scrapeUrl || ''));
      wrap.appendChild(
        el(
          'div',
          { class: 'table-wrap' },
          el(
            'table',
            {},
            el('thead', {}, el('tr', {}, ['job', 'endpoint', 'health', 'labels', 'last scrape', 'duration', 'error'].map((h) => el('th', { scope: 'col' }, h)))),
            el(
              'tbody',
              {},
              rows.map((t) => {
                const last = t.lastScrape ? Date.parse(t.lastScrape) / 1000 : NaN;
                return el(
                  'tr',
                  { class: `health-${t.health}` },
                  el('td', {}, t.scrapePool || t.labels?.job || ''),
                  el('td', {}, t.scrapeUrl || ''),
                  el('td', {}, el('span', { class: `badge ${t.health === 'up' ? 'ok' : t.health === 'down' ? 'crit' : 'warn'}` }, t.health || 'unknown')),
                  el('td', { class: 'labels' }, Object.entries(t.labels || {}).map(([k, v]) => el('span', { class: 'label' }, `${k}="${v}"`))),
                  el('td', { title: Number.isFinite(last) && last > 0 ? formatTime(last) : '' }, Number.isFinite(last) && last > 0 ? ago(last) : 'never'),
                  el('td', { class: 'num' }, format(t.lastScrapeDuration, 's')),
                  el('td', { class: 'error-text' }, t.lastError || ''),
                );
              }),
            ),
          ),
        ),
      );
    },
    dispose() {
      clear(container);
    },
  };
}

/** Renders the remote write queues; hidden when there are none. */
async function updateRemoteWrite(rw) {
  let data;
  try {
    data = await remoteWrite();
  } catch (e) {
    rw.hidden = false;
    rw.dataset.state = 'error';
    clear(rw).appendChild(el('div', { class: 'panel-error', role: 'alert' }, e.message));
    return;
  }
  const queues = data.queues || [];
  rw.hidden = queues.length === 0;
  rw.dataset.state = queues.length ? 'ok' : 'empty';
  rw.dataset.series = String(queues.length);
  rw.dataset.points = String(queues.length);
  clear(rw);
  if (!queues.length) return;
  rw.appendChild(el('h2', {}, 'Remote write'));
  rw.appendChild(
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ['queue', 'url', 'shards', 'pending', 'sent', 'failed', 'retried', 'dropped', 'lag', 'error'].map((h) => el('th', { scope: 'col' }, h)))),
        el(
          'tbody',
          {},
          queues.map((q) => {
            const lag = q.highestSentTimestamp > 0 ? Math.max(0, q.highestReadTimestamp - q.highestSentTimestamp) : NaN;
            const health = q.lastError && q.samplesPending > 0 ? 'down' : 'up';
            return el(
              'tr',
              { class: `health-${health}`, dataset: { queue: q.name } },
              el('td', {}, q.name),
              el('td', {}, q.url),
              el('td', { class: 'num' }, String(q.shards)),
              el('td', { class: 'num' }, String(q.samplesPending)),
              el('td', { class: 'num' }, String(q.samplesSent)),
              el('td', { class: 'num' }, String(q.samplesFailed)),
              el('td', { class: 'num' }, String(q.samplesRetried)),
              el('td', { class: 'num' }, String(q.samplesDropped)),
              el('td', { class: 'num' }, Number.isFinite(lag) ? format(lag, 's') : 'nothing sent yet'),
              el('td', { class: 'error-text' }, q.lastError || ''),
            );
          }),
        ),
      ),
    ),
  );
}

/** Renders the query.remote backend; hidden when queries read the local store only. */
async function updateRemoteQuery(rq) {
  let data;
  try {
    data = await remoteQuery();
  } catch (e) {
    rq.hidden = false;
    rq.dataset.state = 'error';
    clear(rq).appendChild(el('div', { class: 'panel-error', role: 'alert' }, e.message));
    return;
  }
  const on = Boolean(data.url);
  rq.hidden = !on;
  rq.dataset.state = on ? 'ok' : 'empty';
  rq.dataset.series = on ? '1' : '0';
  rq.dataset.points = on ? '1' : '0';
  clear(rq);
  if (!on) return;
  const requests = data.requests || {};
  let ok = 0;
  let failed = 0;
  for (const [code, n] of Object.entries(requests)) {
    if (/^2/.test(code)) ok += n;
    else failed += n;
  }
  const byCode = Object.entries(requests).map(([code, n]) => `${code}: ${n}`).join(', ');
  const health = data.lastError && failed > 0 ? 'down' : 'up';
  rq.appendChild(el('h2', {}, 'Remote query backend'));
  rq.appendChild(
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ['url', 'mode', 'requests ok', 'failed', 'by status', 'last error'].map((h) => el('th', { scope: 'col' }, h)))),
        el(
          'tbody',
          {},
          el(
            'tr',
            { class: `health-${health}`, dataset: { remoteQuery: data.url } },
            el('td', {}, data.url),
            el('td', {}, data.mode || ''),
            el('td', { class: 'num' }, String(ok)),
            el('td', { class: 'num' }, String(failed)),
            el('td', {}, byCode),
            el('td', { class: 'error-text' }, data.lastError || ''),
          ),
        ),
      ),
    ),
  );
}
