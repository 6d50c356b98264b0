// Converts dashboard files into boards (see board.js): Vigil's own YAML (served as JSON by the
// server) and Grafana dashboard JSON, including partial snippets such as the seeds' (no panel
// type, no gridPos, no datasource): missing fields take defaults (a time series, an automatic
// grid, Vigil as the data source).

const TYPES = { graph: 'timeseries', timeseries: 'timeseries', stat: 'stat', singlestat: 'stat', gauge: 'gauge', bargauge: 'bargauge', table: 'table', 'table-old': 'table', heatmap: 'heatmap' };

/** Whether a parsed file looks like a Grafana dashboard (or the {dashboard: …} API wrapper). */
export function isGrafana(doc) {
  const d = doc && doc.dashboard ? doc.dashboard : doc;
  return Boolean(d && (Array.isArray(d.panels) || (Array.isArray(d.rows) && d.rows.some((r) => Array.isArray(r.panels) && r.panels.some((p) => p.targets)))) && !d.vigil);
}

/** Converts a Grafana dashboard (JSON object) into a board. */
export function fromGrafana(doc) {
  const d = doc.dashboard || doc;
  const rows = [];
  let current = { title: '', panels: [] };
  const push = () => {
    if (current.panels.length || current.title) rows.push(current);
  };
  const flat = Array.isArray(d.panels) ? d.panels : (d.rows || []).flatMap((r) => [{ type: 'row', title: r.title, panels: [] }, ...(r.panels || [])]);
  const sorted = flat.every((p) => p.gridPos) ? [...flat].sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x) : flat;
  for (const p of sorted) {
    if (p.type === 'row') {
      push();
      current = { title: p.title || '', panels: [] };
      for (const inner of p.panels || []) current.panels.push(grafanaPanel(inner));
      continue;
    }
    current.panels.push(grafanaPanel(p));
  }
  push();
  return {
    title: d.title || 'Untitled dashboard',
    refresh: d.refresh,
    variables: ((d.templating && d.templating.list) || []).filter((v) => ['query', 'custom', 'constant', 'interval', 'textbox'].includes(v.type || 'query')).map((v) => ({
      name: v.name,
      label: v.label,
      type: v.type || 'query',
      query: v.definition || v.query,
      multi: v.multi,
      includeAll: v.includeAll,
      current: v.current && v.current.value !== undefined ? v.current.value : undefined,
    })),
    rows,
  };
}

function grafanaPanel(p) {
  const type = TYPES[p.type] || 'timeseries';
  const defaults = (p.fieldConfig && p.fieldConfig.defaults) || {};
  const unit = defaults.unit || (p.yaxes && p.yaxes[0] && p.yaxes[0].format) || p.format || undefined;
  const steps = (defaults.thresholds && defaults.thresholds.steps) || [];
  return {
    type,
    title: p.title || '',
    description: p.description,
    unit: unit === 'short' ? undefined : unit,
    min: defaults.min ?? undefined,
    max: defaults.max ?? undefined,
    stack: Boolean(p.stack || defaults.custom?.stacking?.mode === 'normal'),
    span: p.gridPos ? Math.max(1, Math.min(24, p.gridPos.w || 12)) : p.span ? p.span * 2 : type === 'stat' || type === 'gauge' ? 6 : 12,
    height: p.gridPos && p.gridPos.h ? Math.max(120, p.gridPos.h * 30 - 60) : undefined,
    thresholds: steps.filter((s) => s.value !== null && s.value !== undefined).map((s, i) => ({ value: s.value, level: i === 0 ? 'warn' : 'crit' })),
    targets: (p.targets || []).filter((t) => t.expr || t.query).map((t) => ({ expr: t.expr || t.query, legendFormat: t.legendFormat, hide: t.hide })),
  };
}

/**
 * Converts a Vigil dashboard:
 *   title: …
 *   refresh: 15s
 *   variables: [{name, query | values, multi}]
 *   rows: [{title, panels: [{title, type, unit, span, queries: ["expr" | {expr, legend}]}]}]
 * A top-level `panels:` list is one row.
 */
export function fromVigil(doc) {
  const rows = Array.isArray(doc.rows) ? doc.rows : [{ title: '', panels: doc.panels || [] }];
  return {
    title: doc.title || 'Untitled dashboard',
    refresh: doc.refresh,
    variables: (doc.variables || []).map((v) => ({ ...v, type: v.values ? 'custom' : 'query' })),
    rows: rows.map((r) => ({
      title: r.title || '',
      panels: (r.panels || []).map((p) => {
        const queries = p.queries || p.targets || (p.query || p.expr ? [p.query || p.expr] : []);
        const type = TYPES[p.type] || 'timeseries';
        return {
          type,
          title: p.title || '',
          description: p.description,
          unit: p.unit,
          min: p.min,
          max: p.max,
          stack: Boolean(p.stack),
          span: p.span || p.width || (type === 'stat' || type === 'gauge' ? 6 : 12),
          height: p.height,
          thresholds: p.thresholds,
          targets: queries.map((q) => (typeof q === 'string' ? { expr: q } : { expr: q.expr || q.query, legendFormat: q.legend || q.legendFormat })),
        };
      }),
    })),
  };
}

/** Converts any supported dashboard document. */
export function toBoard(doc) {
  if (!doc || typeof doc !== 'object') throw new Error('the dashboard file is empty or not an object');
  return isGrafana(doc) ? fromGrafana(doc) : fromVigil(doc);
}
