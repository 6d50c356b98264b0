// "How to send this data": what an application page shows instead of empty charts when no
// application has sent its metrics in the range (a plain `vigil serve` records none). Each guide
// names the metric the page needs (with any namespace prefix), the Java recorder call that
// produces it and where the docs are.

import { el, clear } from '../dom.js';
import { series } from '../api.js';
import { byName, ERRORS_EXCLUDE } from './queries.js';

const DOCS = 'docs/metrics.md ("Application recorders") and docs/collectors.md in the Vigil repository';

/** Per page: the metrics whose presence means "this page has data", and how to produce them. */
export const GUIDES = {
  api: {
    probe: '(api|http)_(requests_total|request_duration_seconds_(bucket|count))',
    metric: '<ns>api_requests_total',
    call: 'vigil.recorders().recordApiRequest("checkout", "/orders/{id}", "GET", 200, 0.042);',
  },
  models: {
    probe: 'model_generations_total',
    metric: '<ns>model_generations_total',
    call: 'vigil.recorders().recordModelGeneration("llama2-7b", 1.8, true, 256, 512);',
  },
  errors: {
    probe: 'errors_total',
    exclude: ERRORS_EXCLUDE,
    metric: '<ns>errors_total',
    call: 'vigil.recorders().recordError("connection_timeout", "upstream timed out", "checkout", "error");',
  },
  users: {
    probe: 'sessions_(started_)?total',
    metric: '<ns>sessions_started_total',
    call: 'vigil.recorders().startUserSession(sessionId, userAgent);',
  },
  agents: {
    // Thread groups (per-agent CPU, vigil_thread_group_*) count too: an application may only
    // group its agents' threads (thread_groups in vigil.yml).
    probe: '(agent_(runs_total|status|heartbeats_total)|thread_group_cpu_seconds_total)',
    exclude: '__name__!~"vigil_agent_.*"',
    metric: '<ns>agent_runs_total',
    call: 'vigil.recorders().recordAgentRun("linter", "success", 0.2);',
  },
  files: {
    probe: '(file_operations|(file_write|file_read|dir_operation)_(success|failure))_total',
    metric: '<ns>file_operations_total',
    call: 'vigil.recorders().recordFileOperation("write", 1024, 0.01, true);',
  },
};

/** Vigil's own metrics (vigil_http_requests_total, ...) are not an application's. */
const NOT_VIGIL = '__name__!~"vigil_.*"';

/** Whether an application sent any series of the guide's page in the window. */
export async function hasData(guide, win) {
  try {
    const found = await series(byName(guide.probe, guide.exclude || NOT_VIGIL), win.start, win.end);
    return found.length > 0;
  } catch {
    return true; // the charts show the error themselves
  }
}

/** Draws the guide for a page into `node`. */
export function renderGuide(node, guide) {
  clear(node);
  node.append(
    el('h2', {}, 'No data for this page yet'),
    el('p', {}, 'No application has sent ', el('code', {}, guide.metric), ' (any namespace prefix) in this time range. To fill this page:'),
    el(
      'ol',
      {},
      el('li', {}, 'From Java, with Vigil embedded (namespace ', el('code', {}, 'app_'), ' by default, ', el('code', {}, 'collect.namespace'), ' in vigil.yml):', el('pre', {}, el('code', {}, guide.call))),
      el('li', {}, 'From any other program: expose ', el('code', {}, guide.metric), ' on a /metrics endpoint and add it to ', el('code', {}, 'scrape_configs'), ' in vigil.yml.'),
      el('li', {}, 'To see every page with data first: ', el('code', {}, './vigil serve --demo'), '.'),
    ),
    el('p', { class: 'muted' }, `Metric names, labels and every recorder call: ${DOCS}. `, el('a', { href: `#page=explore&q=${encodeURIComponent(`{__name__=~"(.+_)?${guide.probe}"}`)}` }, 'Look for these metrics in Explore')),
  );
}
