// Custom dashboards from the server's dashboard folder (`dashboard.folder` in vigil.yml): Vigil
// YAML and Grafana JSON files, listed at /api/dashboards and served as JSON at
// /api/dashboards/<file>.

import { el, clear } from '../dom.js';
import { fetchJson } from '../api.js';
import { mountBoard } from '../board.js';
import { getState } from '../state.js';
import { toBoard } from '../model.js';

const EXAMPLE = `title: Host
refresh: 15s
rows:
  - title: CPU
    panels:
      - title: CPU busy
        type: timeseries
        unit: percent
        queries:
          - expr: 100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval])))
            legend: busy
      - title: Load
        type: stat
        queries: [node_load1]`;

/** Mounts the dashboards page: the list, or one dashboard when #d=<file> is set. */
export function mountDashboards(container, { configured = true, onRefresh } = {}) {
  const name = getState().params.get('d');
  let board = null;
  let win = null;
  const loaded = (!configured ? showHowTo() : name ? showOne(name) : showList()).catch((e) => {
    container.appendChild(el('div', { class: 'panel-error', role: 'alert' }, e.message));
  });

  async function showList() {
    const files = await fetchJson('/api/dashboards');
    container.appendChild(el('p', { class: 'muted' }, 'Dashboards from the configured folder: Vigil YAML and Grafana JSON files.'));
    if (!files.length) {
      container.appendChild(el('p', {}, 'The dashboard folder is empty. Put Vigil YAML or Grafana JSON files in it.'));
      return;
    }
    container.appendChild(
      el(
        'ul',
        { class: 'dashboard-list' },
        files.map((f) => el('li', {}, el('a', { href: `#page=dashboards&d=${encodeURIComponent(f.name)}&range=${getState().range}` }, f.title || f.name), f.title ? el('span', { class: 'muted' }, ` ${f.name}`) : null)),
      ),
    );
  }

  /** Without `dashboard.folder` there is nothing to list: how to add a dashboard file. */
  async function showHowTo() {
    container.dataset.configured = 'false';
    container.append(
      el('p', {}, 'No dashboard folder is configured. Dashboards are files: Vigil YAML or Grafana dashboard JSON (exported or pasted), one per file.'),
      el(
        'ol',
        { class: 'how-to' },
        el('li', {}, 'Name a folder in vigil.yml (the key is ', el('code', {}, 'dashboard.folder'), '):', el('pre', {}, el('code', {}, 'dashboard:\n  folder: dashboards'))),
        el('li', {}, 'Put ', el('code', {}, '*.yml'), ', ', el('code', {}, '*.yaml'), ' or ', el('code', {}, '*.json'), ' files in it, for example ', el('code', {}, 'dashboards/host.yml'), ':', el('pre', {}, el('code', {}, EXAMPLE))),
        el('li', {}, 'Restart Vigil (or ', el('code', {}, 'POST /-/reload'), ' when it was started with --config); the files are listed here and each opens as its own page.'),
      ),
      el('p', { class: 'muted' }, 'Panel types: timeseries, stat, gauge, bargauge, table, heatmap. The file format, Grafana support and variables: docs/dashboard.md, "Dashboard files".'),
    );
  }

  async function showOne(file) {
    const doc = await fetchJson(`/api/dashboards/${encodeURIComponent(file)}`, { raw: true });
    const b = toBoard(doc);
    container.appendChild(el('h2', { class: 'board-title' }, b.title));
    const body = el('div');
    container.appendChild(body);
    board = mountBoard(body, b);
    if (b.refresh && onRefresh) onRefresh(b.refresh);
    if (win) await board.update(win);
  }

  return {
    async update(w) {
      win = w;
      await loaded;
      if (board) await board.update(w);
    },
    dispose() {
      if (board) board.dispose();
      clear(container);
    },
  };
}
