// Browser: web vitals and UI timings that pages including /vitals.js send (POST /api/v1/vitals,
// docs/metrics.md "Browser metrics"): per vital its 75th percentile by page over time, as web
// vitals grade a site, with the good and poor thresholds drawn; navigation, resources, marks, and
// the beacons by result.

const p75 = (metric, by = 'page') => `histogram_quantile(0.75, sum by (le, ${by}) (rate(${metric}_bucket[$__rate_interval])))`;
const EMPTY = 'no beacons in this range: set browser_vitals.enabled in vigil.yml and include /vitals.js in your pages (docs/metrics.md)';

/** The thresholds of web vitals (web.dev): p75 at most `good` is good, above `poor` is poor. */
export const LEVELS = {
  lcp: { good: 2.5, poor: 4 },
  inp: { good: 0.2, poor: 0.5 },
  cls: { good: 0.1, poor: 0.25 },
  ttfb: { good: 0.8, poor: 1.8 },
  fcp: { good: 1.8, poor: 3 },
  fid: { good: 0.1, poor: 0.3 },
};

const vital = (key, title, metric, unit, optional = false) => ({
  type: 'timeseries',
  title: `${title} p75 by page`,
  description: `75th percentile of ${metric} by page; dashed lines at web vitals' thresholds: good at or below the lower, poor above the upper, needs improvement between`,
  span: 12,
  unit,
  min: 0,
  levels: LEVELS[key],
  empty: EMPTY,
  optional,
  targets: [{ expr: p75(metric), legendFormat: '{{page}}' }],
});

/** The Browser page's board. */
export const browser = {
  title: 'Browser',
  rows: [
    {
      title: 'Core web vitals',
      panels: [
        vital('lcp', 'Largest Contentful Paint', 'vigil_browser_lcp_seconds', 's'),
        vital('inp', 'Interaction to Next Paint', 'vigil_browser_inp_seconds', 's'),
        vital('cls', 'Cumulative Layout Shift', 'vigil_browser_cls', 'none'),
        vital('ttfb', 'Time to first byte', 'vigil_browser_ttfb_seconds', 's'),
        vital('fcp', 'First Contentful Paint', 'vigil_browser_fcp_seconds', 's'),
        vital('fid', 'First Input Delay', 'vigil_browser_fid_seconds', 's', true),
      ],
    },
    {
      title: 'UI timings',
      panels: [
        { type: 'timeseries', title: 'Page load p75 by page', span: 12, unit: 's', min: 0, empty: EMPTY, targets: [{ expr: p75('vigil_browser_load_seconds'), legendFormat: '{{page}} load' }, { expr: p75('vigil_browser_dom_content_loaded_seconds'), legendFormat: '{{page}} DOMContentLoaded' }] },
        { type: 'timeseries', title: 'Resource load p75 by kind', span: 12, unit: 's', min: 0, optional: true, targets: [{ expr: p75('vigil_browser_resource_duration_seconds', 'kind'), legendFormat: '{{kind}}' }] },
        { type: 'timeseries', title: 'Marks p75 (vigil.mark)', span: 12, unit: 's', min: 0, optional: true, targets: [{ expr: p75('vigil_browser_mark_seconds', 'page, mark'), legendFormat: '{{page}} {{mark}}' }] },
        { type: 'bargauge', title: 'Page views in range by page', span: 6, unit: 'none', targets: [{ expr: 'sum by (page) (increase(vigil_browser_ttfb_seconds_count[$__range]))', legendFormat: '{{page}}' }], empty: EMPTY },
        { type: 'bargauge', title: 'Beacons in range by result', span: 6, unit: 'none', targets: [{ expr: 'sum by (result) (increase(vigil_browser_beacons_total[$__range])) > 0', legendFormat: '{{result}}' }], empty: 'no beacons in this range' },
      ],
    },
  ],
};
