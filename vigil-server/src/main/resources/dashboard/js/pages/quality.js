// The Quality page: VIBEZEN's sequential thinking (steps, confidence, revisions, spec violations)
// and DevLoop's findings and value (issues by severity, auto-fix and false-positive rates, CI
// failures prevented, time saved, pushes), trends and per-agent breakdowns, from the quality
// recorder's <ns>quality_* families (docs/metrics.md). Kept in its own module: other pages are
// edited in parallel.

import { byName, rateBy, quantile, average } from './queries.js';

const t = (expr, legendFormat) => ({ expr, legendFormat });
const ts = (title, targets, more = {}) => ({ type: 'timeseries', title, span: 12, targets, ...more });
const inRange = (suffix, by = '', extra = '') => `sum${by ? ` by (${by})` : ''} (increase(${byName(suffix, extra)}[$__range]))`;
const ratio = (part, whole) => `sum(rate(${byName(part)}[$__rate_interval])) / sum(rate(${byName(whole)}[$__rate_interval]))`;

export const QUALITY_GUIDE = {
  probe: 'quality_(findings_total|thinking_steps_count|pushes_total|violations_total)',
  metric: '<ns>quality_findings_total',
  call: 'vigil.recorders().recordFinding("linter", "high", "unused import in Parser.java");',
};

export const quality = {
  title: 'Quality',
  widget: 'quality',
  rows: [
    {
      title: 'Thinking (VIBEZEN)',
      panels: [
        ts('Thinking steps per solution by agent', [t(average('quality_thinking_steps', 'agent'), '{{agent}}')], { unit: 'short' }),
        ts('Confidence (median) by agent', [t(quantile(0.5, 'quality_confidence_ratio', 'agent'), '{{agent}}')], { unit: 'percentunit', min: 0, max: 1 }),
        ts('Revisions per hour by agent', [t(`3600 * ${rateBy('quality_revisions_total', 'agent')}`, '{{agent}}')], { unit: 'short', optional: true }),
        ts('Spec violations per hour by kind', [t(`3600 * ${rateBy('quality_violations_total', 'kind')}`, '{{kind}}')], { unit: 'short', stack: true, optional: true }),
      ],
    },
    {
      title: 'Findings (DevLoop)',
      panels: [
        ts('Issues found per hour by severity', [t(`3600 * ${rateBy('quality_findings_total', 'severity')}`, '{{severity}}')], { unit: 'short', stack: true }),
        ts('Open issues by severity', [t(`sum by (severity) (${byName('quality_open_findings')})`, '{{severity}}')], { unit: 'short', stack: true, optional: true }),
        ts(
          'Auto-fix and false-positive rates',
          [t(ratio('quality_findings_autofixed_total', 'quality_findings_total'), 'auto-fixed'), t(ratio('quality_findings_false_positives_total', 'quality_findings_total'), 'false positives')],
          { unit: 'percentunit', min: 0, optional: true },
        ),
        { type: 'bargauge', title: 'Issues found in range by agent', span: 12, targets: [t(inRange('quality_findings_total', 'agent'), '{{agent}}')] },
      ],
    },
    {
      title: 'Value (DevLoop)',
      panels: [
        { type: 'stat', title: 'Issues prevented in range', span: 6, unit: 'short', targets: [t(inRange('quality_issues_prevented_total'), 'prevented')], optional: true },
        { type: 'stat', title: 'CI failures prevented in range', span: 6, unit: 'short', targets: [t(inRange('quality_ci_failures_prevented_total'), 'CI failures')], optional: true },
        { type: 'stat', title: 'Developer hours saved in range', span: 6, unit: 'short', targets: [t(`${inRange('quality_time_saved_seconds_total', '', 'kind="developer"')} / 3600`, 'hours')], optional: true },
        { type: 'stat', title: 'Push success rate in range', span: 6, unit: 'percentunit', targets: [t(`${inRange('quality_pushes_total', '', 'result="success"')} / ${inRange('quality_pushes_total')}`, 'pushes')], optional: true },
        ts('Time saved per hour by agent and kind', [t(`3600 * ${rateBy('quality_time_saved_seconds_total', 'agent, kind')}`, '{{agent}} {{kind}}')], { unit: 's', optional: true }),
        { type: 'table', title: 'Per agent in range', span: 12, targets: [t(inRange('quality_findings_total', 'agent, severity'))] },
      ],
    },
  ],
};
