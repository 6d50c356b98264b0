// Panels: one chart or table bound to PromQL targets. A panel spec is the internal model that
// built-in pages, Vigil YAML dashboards and Grafana dashboard JSON are all converted into:
//   {title, type: timeseries|stat|gauge|bargauge|table|heatmap, unit, min, max, stack,
//    span (of 24 columns), height, targets: [{expr, legendFormat}], description}
// Each panel element carries data-state (loading|ok|empty|error), data-series and data-points,
// which the browser tests read.
//
// Period comparison: with `win.compare` set (`1d` or `1w`, the URL's `compare`), a time-series
// chart also draws each series as it was one day or week earlier, dashed, and gives the change in
// percent (tooltip per point, footer over the range's average). The earlier series is the same
// query over the window moved back by the period, its points moved forward again: what `offset 1d`
// on every selector of the query gives, without rewriting the query (Grafana's time shift does the
// same).

import * as echarts from './vendor.js';
import { el, clear, escapeHtml, legendName, seriesName, download, csvCell } from './dom.js';
import { format, guessUnit } from './units.js';
import { query, queryRange } from './api.js';
import { substitute, intervalVars, formatTime } from './time.js';
import { renderInstant, instantCsv } from './panels-instant.js';
import { leBound, bucketBounds, markBound } from './quantile-bounds.js';
import { drawAlertBands } from './alertbands.js';
import { drawAnomalyBands, anomalyMarks, markOf, toggleMark } from './anomalybands.js';
import { drawLevels } from './levels.js';

/** The ECharts connect group: crosshair and tooltip are synchronised across all charts in it. */
export const GROUP = 'vigil';
echarts.connect(GROUP);

let zoomHandler = () => {};

/** Sets what happens when the user drag-selects a time window on any chart. */
export function onZoom(fn) {
  zoomHandler = fn;
}

/** Whether the dark theme is active. */
export function isDark() {
  return document.documentElement.dataset.theme === 'dark';
}

/**
 * Creates a panel element for a spec. Returns {el, update(win, vars), dispose()}; `update`
 * fetches and draws the data for a window {start, end, step} with template variables.
 */
export function createPanel(spec) {
  const type = spec.type || 'timeseries';
  const body = el('div', { class: `panel-body panel-${type}` });
  const footer = el('div', { class: 'panel-footer' });
  const error = el('div', { class: 'panel-error', role: 'alert' });
  const tools = el('div', { class: 'panel-tools' });
  const root = el(
    'section',
    { class: 'panel', dataset: { type, state: 'idle', series: '0', points: '0' }, 'aria-label': spec.title || 'panel' },
    el('header', {}, el('h3', { title: spec.description || '' }, spec.title || ''), tools),
    body,
    footer,
    error,
  );
  if (spec.span) root.style.gridColumn = `span ${Math.max(1, Math.min(24, spec.span))}`;
  if (spec.height) body.style.height = `${spec.height}px`;

  let chart = null;
  let last = null; // last data, for CSV export
  let resizeObserver = null;

  const chartNeeded = type === 'timeseries' || type === 'gauge' || type === 'heatmap';
  function ensureChart() {
    if (chart || !chartNeeded) return chart;
    chart = echarts.init(body, isDark() ? 'dark' : null, { renderer: 'canvas' });
    chart.group = GROUP;
    let first = true; // the observer reports the initial size too: no need to redraw for it
    resizeObserver = new ResizeObserver(() => {
      if (first) first = false;
      else if (chart) chart.resize();
    });
    resizeObserver.observe(body);
    if (type === 'timeseries') {
      // Drag on the plot brushes a time window; releasing zooms every chart into it.
      chart.on('brushEnd', (e) => {
        const range = e.areas && e.areas[0] && e.areas[0].coordRange;
        chart.dispatchAction({ type: 'brush', areas: [] });
        if (range && range[1] > range[0]) zoomHandler(Math.floor(range[0] / 1000), Math.ceil(range[1] / 1000));
      });
    }
    return chart;
  }

  if (chartNeeded) {
    tools.appendChild(
      el('button', { type: 'button', class: 'tool', title: 'Export as PNG', 'aria-label': `Export ${spec.title || 'panel'} as PNG`, onclick: () => exportPng() }, 'PNG'),
    );
  }
  let lastWin = null;
  let lastVars = {};
  const anomalyTool =
    type === 'timeseries'
      ? el(
          'button',
          {
            type: 'button',
            class: 'tool tool-anomaly',
            title: 'Detect anomalies: keep a baseline and band for these series (docs/anomaly.md)',
            'aria-label': `Detect anomalies in ${spec.title || 'panel'}`,
            'aria-pressed': 'false',
            onclick: () => toggleAnomalies(),
          },
          'Anomalies',
        )
      : null;
  if (anomalyTool) tools.appendChild(anomalyTool);

  function firstExpr(vars) {
    const t = (spec.targets || []).find((x) => x.expr && !x.hide);
    return t && lastWin ? substitute(t.expr, { ...intervalVars(lastWin), ...vars }) : null;
  }

  async function toggleAnomalies() {
    const expr = firstExpr(lastVars);
    if (!expr) return;
    try {
      const on = await toggleMark(expr);
      anomalyTool.setAttribute('aria-pressed', String(on));
      error.textContent = '';
    } catch (e) {
      error.textContent = `anomaly detection: ${e.message}`;
    }
  }

  tools.appendChild(
    el('button', { type: 'button', class: 'tool', title: 'Export as CSV', 'aria-label': `Export ${spec.title || 'panel'} as CSV`, onclick: () => exportCsv() }, 'CSV'),
  );

  function fileName(ext) {
    return `${(spec.title || 'panel').replace(/[^a-zA-Z0-9_-]+/g, '_')}.${ext}`;
  }

  function exportPng() {
    if (!chart) return;
    const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: isDark() ? '#111418' : '#ffffff' });
    const a = el('a', { href: url, download: fileName('png') });
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function exportCsv() {
    if (!last) return;
    const csv = last.kind === 'range' ? rangeCsv(last.series) : instantCsv(last.rows);
    download(fileName('csv'), csv, 'text/csv');
  }

  function setState(state, series = 0, points = 0) {
    root.dataset.state = state;
    root.dataset.series = String(series);
    root.dataset.points = String(points);
  }

  async function update(win, vars = {}) {
    lastWin = win;
    lastVars = vars;
    const all = { ...intervalVars(win), ...vars };
    const targets = (spec.targets || []).filter((t) => t.expr && !t.hide);
    if (root.dataset.state === 'idle') root.dataset.state = 'loading';
    if (!targets.length) {
      setState('empty');
      error.textContent = 'no query';
      return;
    }
    try {
      if (type === 'timeseries' || type === 'heatmap') {
        // Quantile targets also ask for their buckets' top bounds, to mark where they are reached.
        const shift = type === 'timeseries' && !spec.noCompare ? COMPARE[win.compare] : undefined;
        const results = await Promise.all(
          targets.map((t) => {
            const expr = substitute(t.expr, all);
            const bounds = type === 'timeseries' ? bucketBounds(expr, win.end) : null;
            const before = shift ? queryRange(expr, win.start - shift.seconds, win.end - shift.seconds, win.step) : null;
            return Promise.all([queryRange(expr, win.start, win.end, win.step), bounds, before]).then(([d, b, p]) => ({ t, d, b, p }));
          }),
        );
        const series = [];
        const earlier = [];
        for (const { t, d, b, p } of results) {
          const here = [];
          for (const r of d.result || []) {
            here.push({ name: legendName(r.metric, t.legendFormat), metric: r.metric, values: r.values || [], bound: b?.of(r.metric) });
          }
          series.push(...here);
          for (const r of p?.result || []) {
            const key = JSON.stringify(r.metric);
            const now = here.find((s) => JSON.stringify(s.metric) === key);
            earlier.push({ metric: r.metric, of: now, values: (r.values || []).map(([ts, v]) => [ts + shift.seconds, v]) });
          }
        }
        shortenNames(series, targets);
        for (const e of earlier) {
          e.name = `${e.of ? e.of.name : legendName(e.metric)} (${shift.label})`;
          e.earlier = true;
          if (e.of) e.of.before = e;
        }
        series.push(...earlier);
        last = { kind: 'range', series };
        const points = series.reduce((n, s) => n + s.values.length, 0);
        error.textContent = '';
        root.hidden = Boolean(spec.optional && !points);
        if (!points) {
          setState('empty');
          clearChart();
          footer.textContent = spec.empty || 'no data in this range';
          return;
        }
        footer.textContent = '';
        ensureChart();
        if (type === 'heatmap') drawHeatmap(chart, series, spec, win);
        else {
          root.dataset.bounded = String(drawTimeseries(chart, series, spec, win, footer));
          compareFooter(root, footer, series, shift, unitOf(spec));
          drawLevels(chart, spec, root, unitOf(spec));
          const current = series.filter((s) => !s.earlier);
          drawAlertBands(chart, current, win).then((n) => (root.dataset.alertBands = String(n)));
          drawAnomalyBands(chart, current, win).then((n) => (root.dataset.anomalyBands = String(n)));
          const expr = firstExpr(vars);
          anomalyMarks().then((marks) => anomalyTool.setAttribute('aria-pressed', String(Boolean(expr && markOf(marks, expr)))));
        }
        setState('ok', series.length, points);
      } else {
        const results = await Promise.all(targets.map((t) => query(substitute(t.expr, all), win.end).then((d) => ({ t, d }))));
        const rows = [];
        for (const { t, d } of results) {
          if (d.resultType === 'scalar' || d.resultType === 'string') {
            rows.push({ name: t.legendFormat || t.expr, metric: {}, value: +d.result[1] });
          } else {
            for (const r of d.result || []) rows.push({ name: legendName(r.metric, t.legendFormat), metric: r.metric, value: +r.value[1] });
          }
        }
        last = { kind: 'instant', rows };
        error.textContent = '';
        footer.textContent = rows.length ? '' : spec.empty || 'no data';
        if (type === 'gauge') {
          ensureChart();
          drawGauge(chart, rows, spec);
        } else {
          renderInstant(body, type, rows, spec);
        }
        root.hidden = Boolean(spec.optional && !rows.length);
        setState(rows.length ? 'ok' : 'empty', rows.length, rows.length);
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
      setState('error');
      error.textContent = e.message;
    }
  }

  function clearChart() {
    if (chart) chart.clear();
  }

  function dispose() {
    if (resizeObserver) resizeObserver.disconnect();
    if (chart) chart.dispose();
    chart = null;
  }

  return { el: root, update, dispose, spec };
}

/** ECharts' default palette, to give a compared series and its earlier period one colour. */
const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc'];

/** The periods a chart can be compared with (the URL's `compare`). */
export const COMPARE = {
  '1d': { seconds: 86400, label: '1 day before' },
  '1w': { seconds: 7 * 86400, label: '1 week before' },
};

/** Mean of the finite values of [t, "v"] samples (NaN without any). */
function mean(values) {
  let sum = 0;
  let n = 0;
  for (const [, v] of values) {
    const x = parseFloat(v);
    if (Number.isFinite(x)) {
      sum += x;
      n++;
    }
  }
  return n ? sum / n : NaN;
}

/** The change from `before` to `now` in percent, as text ("+12.5 %", "−3 %", "n/a" from 0). */
export function changeText(now, before) {
  if (!Number.isFinite(now) || !Number.isFinite(before) || before === 0) return 'n/a';
  const pct = ((now - before) / Math.abs(before)) * 100;
  const a = Math.abs(pct);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  const t = a.toFixed(digits);
  return `${pct >= 0 ? '+' : '−'}${t.includes('.') ? t.replace(/\.?0+$/, '') : t} %`;
}

/**
 * Footer and data-compare of a compared chart: per series the change of the range's average
 * against the earlier period's (at most 4 listed, the rest counted).
 */
function compareFooter(root, footer, series, shift, unit) {
  if (!shift) {
    delete root.dataset.compare;
    return;
  }
  const pairs = series.filter((s) => s.before);
  root.dataset.compare = String(pairs.length);
  const parts = pairs.slice(0, 4).map((s) => {
    const now = mean(s.values);
    const before = mean(s.before.values);
    return `${pairs.length > 1 ? `${s.name} ` : ''}${changeText(now, before)} (avg ${format(now, unit)} vs ${format(before, unit)})`;
  });
  if (pairs.length > 4) parts.push(`+${pairs.length - 4} more`);
  const text = pairs.length ? `vs ${shift.label}: ${parts.join(' · ')}` : `vs ${shift.label}: no data then`;
  footer.appendChild(el('div', { class: 'compare-change' }, text));
}

/**
 * Without a legend format, names series by the labels that differ between them (job, instance and
 * the metric name are usually the same for all), so legends and tooltips stay short.
 */
function shortenNames(series, targets) {
  if (series.length < 2 || targets.some((t) => t.legendFormat)) return;
  const keys = [...new Set(series.flatMap((s) => Object.keys(s.metric)))];
  const varying = keys.filter((k) => new Set(series.map((s) => s.metric[k] ?? '')).size > 1).sort();
  if (!varying.length) return;
  for (const s of series) s.name = varying.map((k) => `${k}="${s.metric[k] ?? ''}"`).join(', ');
}

function unitOf(spec) {
  return spec.unit || guessUnit((spec.targets || []).map((t) => t.expr).join(' '));
}

function tooltipFormatter(unit, series = []) {
  // A compared chart: each series' value also shows its change from the earlier period's.
  const earlierOf = new Map(series.filter((s) => s.before).map((s) => [s.name, s.before.name]));
  return (params) => {
    const list = (Array.isArray(params) ? params : [params]).filter(
      (p) => p.seriesType !== 'scatter' && !String(p.seriesId || '').startsWith('anomaly-band') && p.value && p.value[1] !== null,
    );
    if (!list.length) return '';
    const valueOf = new Map(list.map((p) => [p.seriesName, p.value[1]]));
    list.sort((a, b) => b.value[1] - a.value[1]);
    const change = (p) => {
      const before = earlierOf.has(p.seriesName) ? valueOf.get(earlierOf.get(p.seriesName)) : undefined;
      return before === undefined ? '' : ` <span class="tt-change">${escapeHtml(changeText(p.value[1], before))}</span>`;
    };
    const rows = list
      .slice(0, 12)
      .map((p) => `<div class="tt-row">${p.marker}<span class="tt-name">${escapeHtml(p.seriesName)}</span><b>${escapeHtml(valueText(p, unit))}${change(p)}</b></div>`);
    if (list.length > 12) rows.push(`<div class="tt-more">+${list.length - 12} more</div>`);
    return `<div class="tt-time">${escapeHtml(formatTime(list[0].value[0] / 1000))}</div>${rows.join('')}`;
  };
}

/** A tooltip value: "≥ 60 s (upper bucket bound)" for a quantile at its buckets' top bound. */
function valueText(p, unit) {
  const bound = p.data && p.data.bound;
  return bound !== undefined ? `≥ ${format(bound, unit)} (upper bucket bound)` : format(p.value[1], unit);
}

/** Converts [t, "v"] samples into chart points, with nulls across gaps so lines break there. */
function toPoints(values, step) {
  const out = [];
  let prev = null;
  for (const [t, v] of values) {
    if (prev !== null && t - prev > step * 1.5) out.push([(prev + step) * 1000, null]);
    out.push([t * 1000, parseFloat(v)]);
    prev = t;
  }
  return out;
}

function drawTimeseries(chart, series, spec, win, footer) {
  const unit = unitOf(spec);
  const option = {
    animation: false,
    grid: { left: 8, right: 16, top: 12, bottom: 36, containLabel: true },
    tooltip: { trigger: 'axis', confine: true, formatter: tooltipFormatter(unit, series), axisPointer: { type: 'cross', label: { show: false } } },
    // Every chart has a legend, however many series (Explore draws up to hundreds): it pages
    // when it does not fit, and clicking a name hides or shows that series.
    legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 11 } },
    brush: { xAxisIndex: 0, brushType: 'lineX', brushMode: 'single', transformable: false, throttleType: 'debounce', brushStyle: { color: 'rgba(68,147,248,0.15)', borderColor: 'rgba(68,147,248,0.6)' } },
    toolbox: { show: false },
    xAxis: { type: 'time', min: win.start * 1000, max: win.end * 1000, axisLabel: { hideOverlap: true } },
    yAxis: {
      type: 'value',
      min: spec.min,
      max: spec.max,
      axisLabel: { formatter: (v) => format(v, unit) },
      splitLine: { lineStyle: { opacity: 0.4 } },
    },
    series: series.map((s) => ({
      name: s.name,
      type: spec.bars ? 'bar' : 'line',
      showSymbol: false,
      sampling: 'lttb',
      lineStyle: s.earlier ? { width: 1, type: 'dashed', opacity: 0.7 } : { width: 1.5 },
      areaStyle: s.earlier ? undefined : spec.stack || spec.fill ? { opacity: 0.25 } : undefined,
      stack: spec.stack && !s.earlier ? 'total' : undefined,
      emphasis: { focus: 'series' },
      data: toPoints(s.values, win.step),
    })),
  };
  // A quantile at its histogram's highest finite bound is only "≥ bound": such points carry
  // {bound} for the tooltip and get a marker series of the same name (one legend entry).
  const bounded = [];
  option.series.slice().forEach((o, i) => {
    if (!Number.isFinite(series[i].bound)) return;
    const { data, marks } = markBound(o.data, series[i].bound);
    if (!marks.length) return;
    o.data = data;
    o.sampling = undefined; // keep every marked point
    bounded.push({ bound: series[i].bound, n: marks.length });
    option.series.push({ name: o.name, type: 'scatter', symbol: 'triangle', symbolSize: 7, silent: true, tooltip: { show: false }, itemStyle: { color: '#e5534b' }, data: marks });
  });
  // A compared series and its earlier period share a colour (the earlier one dashed).
  if (series.some((x) => x.earlier)) {
    const current = series.filter((x) => !x.earlier);
    series.forEach((x, i) => {
      const k = current.indexOf(x.earlier ? x.of : x);
      if (k < 0) return;
      const color = PALETTE[k % PALETTE.length];
      option.series[i].itemStyle = { color };
      option.series[i].lineStyle = { ...option.series[i].lineStyle, color };
    });
  }
  chart.setOption(option, { notMerge: true, lazyUpdate: false });
  // Silent: connected charts re-broadcast every action to the whole group, which made this
  // O(charts²) — 30 charts took 5 s to draw instead of under 1.5 s.
  chart.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'lineX', brushMode: 'single' } }, { silent: true });
  footer.textContent = summary(series.filter((s) => !s.earlier), unit);
  const marked = bounded.reduce((n, b) => n + b.n, 0);
  if (marked) {
    const top = Math.max(...bounded.map((b) => b.bound));
    footer.textContent += ` · ▲ ${marked} points at the upper bucket bound (≥ ${format(top, unit)}: the quantile is above the histogram's buckets)`;
  }
  return marked;
}

/** "avg … · peak …" over every point of every series in the window. */
function summary(series, unit) {
  let sum = 0;
  let n = 0;
  let max = -Infinity;
  for (const s of series) {
    for (const [, v] of s.values) {
      const x = parseFloat(v);
      if (!Number.isFinite(x)) continue;
      sum += x;
      n++;
      if (x > max) max = x;
    }
  }
  if (!n) return '';
  const last = series.length === 1 ? ` · now ${format(parseFloat(series[0].values[series[0].values.length - 1][1]), unit)}` : '';
  return `avg ${format(sum / n, unit)} · peak ${format(max, unit)}${last}`;
}

function drawGauge(chart, rows, spec) {
  const unit = unitOf(spec);
  const max = spec.max ?? (unit === 'percentunit' ? 1 : unit === 'percent' ? 100 : Math.max(1, ...rows.map((r) => r.value)) * 1.2);
  const min = spec.min ?? 0;
  const shown = rows.slice(0, 4);
  chart.setOption(
    {
      animation: false,
      series: shown.map((r, i) => ({
        type: 'gauge',
        min,
        max,
        center: [`${((i + 0.5) / shown.length) * 100}%`, '60%'],
        radius: shown.length > 1 ? `${Math.round(80 / shown.length)}%` : '85%',
        progress: { show: true, width: 10 },
        axisLine: { lineStyle: { width: 10 } },
        axisLabel: { show: shown.length === 1, formatter: (v) => format(v, unit), distance: 14, fontSize: 10 },
        splitLine: { length: 6 },
        axisTick: { show: false },
        pointer: { show: false },
        title: { show: true, offsetCenter: [0, '75%'], fontSize: 11 },
        detail: { valueAnimation: false, offsetCenter: [0, '10%'], fontSize: 18, formatter: (v) => format(v, unit) },
        data: [{ value: r.value, name: shown.length > 1 ? r.name : '' }],
      })),
    },
    { notMerge: true },
  );
}

/**
 * Heatmap: for classic histograms (series with an `le` label) each cell is the increase of one
 * bucket (cumulative counts made per-bucket) at one step; other series become one row each.
 * Buckets are ordered by bound, +Inf last (the top row). Columns are the query's step grid from
 * the window's start, so a gap in the data is an empty column, not a squeezed axis.
 */
function drawHeatmap(chart, series, spec, win) {
  const columns = Math.floor((win.end - win.start) / win.step) + 1;
  const times = Array.from({ length: columns }, (_, i) => win.start + i * win.step);
  const column = (t) => Math.round((t - win.start) / win.step);
  const bucketed = series.length && series.every((s) => s.metric.le !== undefined);
  let rows;
  if (bucketed) {
    const sorted = [...series].sort((a, b) => leBound(a.metric.le) - leBound(b.metric.le));
    rows = sorted.map((s, i) => {
      const prev = sorted[i - 1];
      const prevMap = prev ? new Map(prev.values.map(([t, v]) => [t, parseFloat(v)])) : null;
      return { name: s.metric.le, values: s.values.map(([t, v]) => [t, parseFloat(v) - (prevMap?.get(t) ?? 0)]) };
    });
  } else {
    rows = series.map((s) => ({ name: s.name, values: s.values.map(([t, v]) => [t, parseFloat(v)]) }));
  }
  const data = [];
  let max = 0;
  rows.forEach((r, y) => {
    for (const [t, v] of r.values) {
      const x = column(t);
      if (x < 0 || x >= columns) continue;
      data.push([x, y, v]);
      if (v > max) max = v;
    }
  });
  chart.setOption(
    {
      animation: false,
      grid: { left: 8, right: 16, top: 12, bottom: 40, containLabel: true },
      tooltip: {
        confine: true,
        formatter: (p) =>
          `${escapeHtml(formatTime(times[p.value[0]]))}<br>${escapeHtml(rows[p.value[1]].name)}: <b>${escapeHtml(format(p.value[2], 'short'))}</b>`,
      },
      // Category data are the column times in ms (the browser tests check the spacing).
      xAxis: { type: 'category', data: times.map((t) => t * 1000), axisLabel: { hideOverlap: true, formatter: (ms) => formatTime(ms / 1000).slice(11, 16) } },
      yAxis: { type: 'category', data: rows.map((r) => r.name) },
      visualMap: { min: 0, max: max || 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 80, itemWidth: 10, textStyle: { fontSize: 10 } },
      series: [{ type: 'heatmap', data, progressive: 0 }],
    },
    { notMerge: true },
  );
}

function rangeCsv(series) {
  const times = [...new Set(series.flatMap((s) => s.values.map((v) => v[0])))].sort((a, b) => a - b);
  const maps = series.map((s) => new Map(s.values));
  const lines = [['time', ...series.map((s) => seriesName(s.metric))].map(csvCell).join(',')];
  for (const t of times) lines.push([new Date(t * 1000).toISOString(), ...maps.map((m) => m.get(t) ?? '')].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

/** Removes and disposes all panels in a container. */
export function disposeAll(panels, container) {
  for (const p of panels) p.dispose();
  if (container) clear(container);
}
