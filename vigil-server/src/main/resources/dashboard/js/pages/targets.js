// Targets: every scrape target with health, last scrape, duration and error.

import { el, clear } from '../dom.js';
import { targets } from '../api.js';
import { ago, formatTime } from '../time.js';
import { format } from '../units.js';

/** Mounts the targets page. */
export function mountTargets(container) {
  const summary = el('p', { class: 'muted' });
  const wrap = el('section', { class: 'panel', dataset: { type: 'table', state: 'loading', series: '0', points: '0' }, 'aria-label': 'Scrape targets' });
  container.append(summary, wrap);
  return {
    async update() {
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
