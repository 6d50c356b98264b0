// SLOs: per service level objective its objective, current SLI, error budget remaining over the
// period (a chart), the burn rate of each multi-window alert against its threshold, the state of
// its page and ticket alerts, and when the budget runs out at the current burn rate.
//
// The SLOs are the series of Sloth's recording rules (slo:objective:ratio and its siblings,
// labelled sloth_id/sloth_service/sloth_slo), so the page works against any Prometheus that
// evaluates Sloth's rules; Vigil's GET /api/v1/slos adds what the rules do not carry (the period,
// the description, the alert names, the spec's source). One instant query reads every SLO's
// figures, so the page costs the same for one SLO or fifty.
//
// Burn-rate windows and thresholds are the Google SRE workbook's multi-window alerts, as Sloth
// generates them: a threshold is the share of the period's budget that the long window may burn,
// times the period over the window (2 % in 1 h of 30 days is 14.4).
//
// "Budget runs out in": the remaining share R of the budget, burning at B times the sustainable
// rate, lasts R × period / B. The period is a rolling window (old errors leave it too), so this is
// the time until exhaustion if the current burn rate held, not a promise.

import { el, clear } from '../dom.js';
import { fetchJson, query } from '../api.js';
import { createPanel } from '../panels.js';
import { getState } from '../state.js';
import { formatTime } from '../time.js';
import { format } from '../units.js';

/**
 * Page and ticket windows of the SRE workbook as Sloth's catalogs have them: long and short
 * window, budget share burnt in the long one (7 days: 8 %, 12.5 %, 20 %, 42 %).
 */
export const WINDOWS = [
  { severity: 'page', long: '1h', short: '5m', share: 0.02, week: 0.08 },
  { severity: 'page', long: '6h', short: '30m', share: 0.05, week: 0.125 },
  { severity: 'ticket', long: '1d', short: '2h', share: 0.1, week: 0.2 },
  { severity: 'ticket', long: '3d', short: '6h', share: 0.1, week: 0.42 },
];

const HOURS = { '5m': 1 / 12, '30m': 0.5, '1h': 1, '2h': 2, '6h': 6, '1d': 24, '3d': 72 };

/**
 * An SLO's alert windows with their thresholds: Vigil's /api/v1/slos gives them (Pyrra's differ
 * from Sloth's); for rules alone, Sloth's catalog for the period.
 */
export function windowsOf(slo) {
  if (Array.isArray(slo.windows) && slo.windows.length) return slo.windows.map((w) => ({ severity: w.severity, long: w.long, short: w.short, factor: +w.factor }));
  return WINDOWS.map((w) => ({ severity: w.severity, long: w.long, short: w.short, factor: threshold(w, slo.days) }));
}

const FIGURES = 'slo:(sli_error:ratio_rate.+|objective:ratio|error_budget:ratio|period_error_budget_remaining:ratio|current_burn_rate:ratio|period_burn_rate:ratio|time_period:days)';

let sloApi = false;

/** Whether the server serves GET /api/v1/slos (/api/dashboard/config's `slos`); the rules suffice. */
export function useSloApi(enabled) {
  sloApi = enabled;
}

/** Parses "30d", "4w", "720h" into days (NaN when not a duration of whole units). */
export function periodDays(text) {
  const m = /^(\d+)([hdw])$/.exec(String(text || '').trim());
  if (!m) return NaN;
  return +m[1] * { h: 1 / 24, d: 1, w: 7 }[m[2]];
}

/** The burn-rate threshold of a window for a period of `days` (14.4 for 1 h of 30 d). */
export function threshold(w, days) {
  return ((days === 7 ? w.week : w.share) * days * 24) / HOURS[w.long];
}

/**
 * Seconds until the budget is gone at burn rate `burn` (0 when gone, Infinity when not burning,
 * NaN without a budget figure yet).
 */
export function budgetLeftSeconds(remaining, burn, days) {
  if (!Number.isFinite(remaining)) return NaN;
  if (!(remaining > 0)) return 0;
  if (!(burn > 0)) return Infinity;
  return (remaining * days * 86400) / burn;
}

/** A ratio as a percentage with up to 3 decimals (99.95 %, not 100 %). */
export function pct(x) {
  if (!Number.isFinite(x)) return '–';
  const t = (x * 100).toFixed(3).replace(/\.?0+$/, '');
  return `${t} %`;
}

function num(x) {
  return Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2)) : '–';
}

/**
 * Loads every SLO: [{id, service, name, objective (0-1), days, description, pageAlert,
 * ticketAlert, figures: {name: value}, alerts: [{labels, state}]}], the ones at risk first.
 * `specs` from /api/v1/slos when served; otherwise the rules' series alone.
 */
export async function loadSlos(time) {
  const [specs, figures, alerts] = await Promise.all([
    (sloApi ? fetchJson('/api/v1/slos') : Promise.resolve({})).then(
      (d) => d.slos || [],
      () => [],
    ),
    query(`{__name__=~"${FIGURES}"}`, time),
    fetchJson('/api/v1/alerts').then(
      (d) => d.alerts || [],
      () => [],
    ),
  ]);
  const byId = new Map();
  const get = (id) => {
    if (!byId.has(id)) byId.set(id, { id, figures: {}, alerts: [] });
    return byId.get(id);
  };
  for (const s of specs) {
    const slo = get(s.id);
    Object.assign(slo, { service: s.service, name: s.name, objective: s.objective / 100, days: periodDays(s.period), period: s.period, description: s.description, pageAlert: s.pageAlert, ticketAlert: s.ticketAlert, kind: s.kind, source: s.source, windows: s.windows });
  }
  for (const r of figures.result || []) {
    const id = r.metric.sloth_id;
    if (!id) continue;
    const slo = get(id);
    slo.service ??= r.metric.sloth_service;
    slo.name ??= r.metric.sloth_slo;
    slo.figures[r.metric.__name__] = +r.value[1];
  }
  for (const slo of byId.values()) {
    const f = slo.figures;
    if (!Number.isFinite(slo.objective)) slo.objective = f['slo:objective:ratio'];
    if (!Number.isFinite(slo.days)) slo.days = f['slo:time_period:days'] ?? 30;
    slo.budget = 1 - slo.objective;
    slo.remaining = f['slo:period_error_budget_remaining:ratio'];
    slo.burn = f['slo:current_burn_rate:ratio'] ?? f['slo:sli_error:ratio_rate5m'] / slo.budget;
    // The SLI now (5 m) and over the period: 1 minus the error ratios Sloth records for them.
    slo.sliNow = 1 - f['slo:sli_error:ratio_rate5m'];
    const periodBurn = f['slo:period_burn_rate:ratio'];
    slo.sliPeriod = Number.isFinite(periodBurn) ? 1 - periodBurn * slo.budget : 1 - f[`slo:sli_error:ratio_rate${slo.period || `${slo.days}d`}`];
    slo.alerts = alerts.filter((a) => a.labels.sloth_id === slo.id || (a.labels.alertname && [slo.pageAlert, slo.ticketAlert].includes(a.labels.alertname) && (!a.labels.sloth_id || a.labels.sloth_id === slo.id)));
    slo.status = status(slo);
  }
  // The SLOs at risk first, then burning, within budget, without data; by service and name.
  const rank = { crit: 0, warn: 1, ok: 2, unknown: 3 };
  return [...byId.values()].sort((a, b) => rank[a.status] - rank[b.status] || `${a.service}/${a.name}`.localeCompare(`${b.service}/${b.name}`));
}

function severityOf(a) {
  return a.labels.sloth_severity || a.labels.severity || '';
}

/** crit: a page alert fires or the budget is gone; warn: a ticket alert fires or any is pending. */
function status(slo) {
  const firing = slo.alerts.filter((a) => a.state === 'firing');
  if (firing.some((a) => severityOf(a) === 'page') || slo.remaining <= 0) return 'crit';
  if (firing.length || slo.alerts.some((a) => a.state === 'pending')) return 'warn';
  if (!Number.isFinite(slo.remaining)) return 'unknown';
  return 'ok';
}

const STATUS_TEXT = { ok: 'within budget', warn: 'burning', crit: 'budget at risk', unknown: 'no data yet' };
const BADGE = { ok: 'ok', warn: 'warn', crit: 'crit', unknown: 'warn' };

/** The time left as text: "exhausted", "not burning", "3.2 d" (and the date). */
export function leftText(seconds, now) {
  if (Number.isNaN(seconds)) return '–';
  if (seconds === 0) return 'exhausted';
  if (!Number.isFinite(seconds)) return 'not burning';
  return `${format(seconds, 's')} (${formatTime(now + seconds).slice(0, 16)})`;
}

function alertState(slo, severity) {
  const mine = slo.alerts.filter((a) => severityOf(a) === severity || a.labels.alertname === (severity === 'page' ? slo.pageAlert : slo.ticketAlert));
  if (mine.some((a) => a.state === 'firing')) return 'firing';
  if (mine.some((a) => a.state === 'pending')) return 'pending';
  return 'inactive';
}

function burnTable(slo) {
  const rows = windowsOf(slo).map((w) => {
    const limit = w.factor;
    const long = slo.figures[`slo:sli_error:ratio_rate${w.long}`] / slo.budget;
    const short = slo.figures[`slo:sli_error:ratio_rate${w.short}`] / slo.budget;
    const burning = long > limit && short > limit;
    return el(
      'tr',
      { class: 'slo-burn', dataset: { window: w.long, severity: w.severity, burning: String(burning) } },
      el('td', {}, w.severity),
      el('td', {}, `${w.long} and ${w.short}`),
      el('td', { class: `num${long > limit ? ' error-text' : ''}` }, `${num(long)}×`),
      el('td', { class: `num${short > limit ? ' error-text' : ''}` }, `${num(short)}×`),
      el('td', { class: 'num' }, `${num(limit)}×`),
      el('td', {}, el('span', { class: `badge ${burning ? (w.severity === 'page' ? 'crit' : 'warn') : 'ok'}` }, burning ? 'above' : 'below')),
    );
  });
  return el(
    'table',
    { class: 'slo-burn-table' },
    el('thead', {}, el('tr', {}, ['alert', 'windows', 'burn rate (long)', 'burn rate (short)', 'threshold', ''].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows),
  );
}

function figure(name, value, attrs = {}) {
  return el('div', { class: 'stat', ...attrs }, el('div', { class: 'stat-value small' }, value), el('div', { class: 'stat-name' }, name));
}

/** One SLO's card: figures, alert states, burn table; the budget chart is appended by the page. */
function card(slo, now) {
  const left = budgetLeftSeconds(slo.remaining, slo.burn, slo.days);
  const alertBadges = ['page', 'ticket'].map((sev) => {
    const state = alertState(slo, sev);
    // The spec's alert name (/api/v1/slos), else the name of the rules' alert of that severity.
    const name = (sev === 'page' ? slo.pageAlert : slo.ticketAlert) || slo.alerts.find((a) => severityOf(a) === sev)?.labels.alertname;
    return el('span', { class: 'slo-alert', dataset: { severity: sev, state } }, `${sev}${name ? ` (${name})` : ''}: `, el('span', { class: `badge ${state === 'firing' ? (sev === 'page' ? 'crit' : 'warn') : state === 'pending' ? 'warn' : 'ok'}` }, state), ' ');
  });
  return el(
    'section',
    { class: 'panel slo', dataset: { slo: slo.id, status: slo.status }, 'aria-label': `SLO ${slo.service} ${slo.name}` },
    el('header', {}, el('h3', {}, `${slo.service || ''} · ${slo.name || slo.id}`), el('span', { class: `badge ${BADGE[slo.status]}` }, STATUS_TEXT[slo.status])),
    slo.description ? el('p', { class: 'muted' }, slo.description) : null,
    el(
      'div',
      { class: 'stats' },
      figure('objective', pct(slo.objective), { dataset: { figure: 'objective' } }),
      figure('SLI now (5 m)', pct(slo.sliNow), { dataset: { figure: 'sli' } }),
      figure(`SLI over ${slo.period || `${slo.days}d`}`, pct(slo.sliPeriod), { dataset: { figure: 'sli-period' } }),
      figure('error budget left', pct(slo.remaining), { dataset: { figure: 'remaining' }, class: `stat ${slo.remaining <= 0 ? 'crit' : slo.remaining < 0.25 ? 'warn' : ''}` }),
      figure('burn rate now', `${num(slo.burn)}×`, { dataset: { figure: 'burn' } }),
      figure('budget runs out in', leftText(left, now), { dataset: { figure: 'left' }, class: `stat ${left < 86400 ? 'crit' : left < 7 * 86400 ? 'warn' : ''}` }),
    ),
    el('div', { class: 'slo-alerts' }, alertBadges),
    el('div', { class: 'table-wrap' }, burnTable(slo)),
  );
}

/** Mounts the SLO page. */
export function mountSlos(container) {
  const summary = el('p', { class: 'muted', id: 'slos-summary' });
  const filter = el('p', { class: 'muted', id: 'slos-filter', hidden: true });
  const list = el('div', { class: 'slo-list' });
  const guide = el('section', { class: 'guide', hidden: true });
  container.append(summary, filter, guide, list);
  let charts = [];
  let shown = '';

  function disposeCharts() {
    for (const c of charts) c.dispose();
    charts = [];
  }

  return {
    async update(win) {
      const all = await loadSlos(win.end);
      // #page=slos&slo=<sloth_id> (the alerts' runbook_url) shows that SLO alone.
      const only = getState().params.get('slo');
      const slos = only ? all.filter((x) => x.id === only) : all;
      filter.hidden = !only;
      if (only) clear(filter).append(slos.length ? `Only the SLO ${only}. ` : `No SLO ${only}. `, el('a', { href: '#page=slos' }, `All ${all.length} SLOs`));
      container.dataset.empty = String(!all.length);
      guide.hidden = all.length > 0;
      if (!slos.length) {
        if (!all.length && !guide.firstChild) renderSloGuide(guide);
        summary.textContent = '';
        disposeCharts();
        clear(list);
        shown = '';
        return;
      }
      const counts = { ok: 0, warn: 0, crit: 0, unknown: 0 };
      for (const s of slos) counts[s.status]++;
      summary.textContent = `${slos.length} SLOs: ${counts.ok} within budget, ${counts.warn} burning, ${counts.crit} at risk${counts.unknown ? `, ${counts.unknown} without data yet` : ''}.`;
      // Cards are rebuilt on each refresh; the budget charts only when the set of SLOs changes.
      const key = slos.map((s) => s.id).join('\n');
      if (key !== shown) {
        disposeCharts();
        charts = slos.map((s) =>
          createPanel({
            type: 'timeseries',
            title: 'Error budget remaining',
            unit: 'percentunit',
            max: 1,
            height: 180,
            targets: [{ expr: `slo:period_error_budget_remaining:ratio{sloth_id="${s.id.replace(/["\\]/g, '\\$&')}"}`, legendFormat: 'budget left' }],
          }),
        );
        shown = key;
      }
      clear(list);
      const now = Date.now() / 1000;
      slos.forEach((s, i) => {
        const node = card(s, now);
        charts[i].el.classList.add('slo-budget');
        node.appendChild(charts[i].el);
        list.appendChild(node);
      });
      await Promise.all(charts.map((c) => c.update(win)));
    },
    dispose() {
      disposeCharts();
      clear(container);
    },
  };
}

/** The guide shown without any SLO: how to declare one. */
export function renderSloGuide(node) {
  clear(node);
  node.append(
    el('h2', {}, 'No SLO declared yet'),
    el('p', {}, 'This server evaluates no SLO rules (no ', el('code', {}, 'slo:objective:ratio'), ' series). Declare a service level objective in Sloth\'s format and Vigil generates its recording rules and its page and ticket alerts:'),
    el(
      'pre',
      {},
      el(
        'code',
        {},
        `# vigil.yml
slo_files: [slos/checkout.yml]

# slos/checkout.yml (Sloth's prometheus/v1 spec; Pyrra's ServiceLevelObjective works too)
version: prometheus/v1
service: checkout
slos:
  - name: requests-availability
    objective: 99.9
    description: 99.9 % of checkout requests succeed.
    sli:
      events:
        error_query: sum(rate(app_api_requests_total{service="checkout",status=~"5.."}[{{.window}}]))
        total_query: sum(rate(app_api_requests_total{service="checkout"}[{{.window}}]))
    alerting:
      name: CheckoutAvailability
      page_alert: {labels: {severity: page}}
      ticket_alert: {labels: {severity: ticket}}
`,
      ),
    ),
    el('p', {}, 'Or inline, under ', el('code', {}, 'slos:'), ' in vigil.yml. ', el('code', {}, 'vigil slo generate slos/checkout.yml'), ' prints the same rules for Prometheus. To see SLOs burning first: ', el('code', {}, './vigil serve --demo'), '.'),
    el('p', { class: 'muted' }, 'Details: docs/dashboard.md ("SLOs") in the Vigil repository.'),
  );
}
