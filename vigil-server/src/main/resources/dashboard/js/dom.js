// Small DOM helpers. Every piece of text from the server (metric names, label values, error
// messages) goes through textContent, never innerHTML: a label value like "<img onerror=...>" is
// shown literally and executes nothing.

/**
 * Creates an element. `attrs` keys starting with "on" become event listeners, `class` sets
 * className, `dataset` sets data-* attributes; children are nodes or strings (text nodes).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Removes all children of a node. */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Escapes text for the few places (ECharts tooltips) that take HTML strings. */
export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Formats a label set as Prometheus does: name{a="b", c="d"}. */
export function seriesName(metric) {
  const name = metric.__name__ || '';
  const labels = Object.keys(metric).filter((k) => k !== '__name__').sort().map((k) => `${k}="${metric[k]}"`);
  if (!labels.length) return name || '{}';
  return `${name}{${labels.join(', ')}}`;
}

/** Applies a Grafana-style legend format ("{{service}} {{method}}") to a label set. */
export function legendName(metric, format) {
  if (!format || format === '__auto') return seriesName(metric);
  return format.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, k) => metric[k] ?? '');
}

/** Triggers a browser download of the given content. */
export function download(filename, content, type) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: filename });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Quotes a CSV cell when it holds a comma, quote or newline. */
export function csvCell(s) {
  const t = String(s);
  return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}
