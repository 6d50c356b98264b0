// Threshold levels on a time-series chart: a panel spec with `levels: {good, poor}` gets two
// horizontal lines, "good ≤ good" and "poor > poor" (between them: needs improvement), as web
// vitals grade a page's p75. The y axis always reaches the poor line, so both are in view.
// Drawn as a markLine on the first series (alert bands use markArea, so both can be drawn).

import { format } from './units.js';

const GOOD = '#3ba272';
const POOR = '#e5534b';

/** Draws spec.levels on a chart drawn by panels.js; sets data-levels on the panel element. */
export function drawLevels(chart, spec, root, unit) {
  const l = spec.levels;
  if (!l || !chart) return;
  const line = (value, color, text) => ({ yAxis: value, lineStyle: { color, type: 'dashed', width: 1 }, label: { formatter: text, position: 'insideEndTop', color, fontSize: 10 } });
  chart.setOption({
    yAxis: { max: (v) => Math.max(v.max, l.poor * 1.15) },
    series: [
      {
        markLine: {
          silent: true,
          symbol: 'none',
          data: [line(l.good, GOOD, `good ≤ ${format(l.good, unit)}`), line(l.poor, POOR, `poor > ${format(l.poor, unit)}`)],
        },
      },
    ],
  });
  root.dataset.levels = `${l.good},${l.poor}`;
}

