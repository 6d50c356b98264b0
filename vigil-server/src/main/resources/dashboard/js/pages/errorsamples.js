// Errors page: the stack-trace samples the recorders keep (GET /api/v1/errors/samples), one row
// per error type; clicking a type shows its samples, each with its cause chain and frames. The
// section sits between the Errors board and its widget and hides itself while no sample exists.

import { el, clear } from '../dom.js';
import { fetchJson } from '../api.js';

const LIMIT = 1000;

/** Wraps a mounted page handle: adds the samples section to `container` and refreshes it too. */
export function withErrorSamples(handle, container) {
  const box = el('section', { class: 'error-samples', hidden: true, 'aria-label': 'Error samples' });
  // Below the charts, above the widget's long recent-error log.
  container.insertBefore(box, container.querySelector(':scope > section.widget'));
  let selected = null;
  let samples = [];

  function draw() {
    clear(box);
    box.appendChild(el('h2', { class: 'row-title' }, 'Stack traces by error type'));
    const byType = new Map();
    for (const s of samples) {
      const t = byType.get(s.type) || { type: s.type, fingerprints: 0, count: 0, last: s.last_seen };
      t.fingerprints++;
      t.count += s.count;
      byType.set(s.type, t);
    }
    const list = el('ul', { class: 'error-types' });
    for (const t of byType.values()) {
      const button = el(
        'button',
        { type: 'button', class: 'error-type', 'aria-expanded': String(t.type === selected), dataset: { type: t.type }, onclick: () => { selected = selected === t.type ? null : t.type; draw(); } },
        t.type,
      );
      list.appendChild(el('li', {}, button, el('span', { class: 'muted' }, ` ${t.count} × in ${t.fingerprints} stack trace${t.fingerprints === 1 ? '' : 's'}, last ${t.last}`)));
    }
    box.appendChild(list);
    if (selected && byType.has(selected)) {
      const detail = el('div', { class: 'error-detail', dataset: { type: selected } });
      for (const s of samples.filter((x) => x.type === selected)) detail.appendChild(sampleView(s));
      box.appendChild(detail);
    }
  }

  async function refresh() {
    try {
      samples = (await fetchJson('/api/v1/errors/samples', { params: { limit: LIMIT } })) || [];
    } catch (e) {
      samples = [];
    }
    box.hidden = samples.length === 0;
    if (samples.length) draw();
  }

  return {
    async update(win) {
      await Promise.all([handle.update(win), refresh()]);
    },
    dispose() {
      handle.dispose();
    },
  };
}

/** One sample: header line, then the chain as a JVM prints it ("Caused by: ..."). */
function sampleView(s) {
  const lines = [];
  s.chain.forEach((c, i) => {
    lines.push(`${i === 0 ? '' : 'Caused by: '}${c.class}${c.message == null ? '' : `: ${c.message}`}`);
    for (const f of c.frames) lines.push(`    at ${f}`);
    if (c.frames_omitted > 0) lines.push(`    ... ${c.frames_omitted} more`);
  });
  return el(
    'article',
    { class: 'error-sample', dataset: { fingerprint: s.fingerprint } },
    el('p', { class: 'muted' }, `${s.count} × from ${s.service}, first ${s.first_seen}, last ${s.last_seen} · fingerprint ${s.fingerprint}`),
    el('pre', { class: 'stack' }, lines.join('\n')),
  );
}
