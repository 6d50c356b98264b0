// The view state lives in the URL hash (#page=explore&range=1h&q=...), so every view can be
// shared as a link and the browser's back button works.

const listeners = new Set();

/** Reads the current state from the URL. */
export function getState() {
  const p = new URLSearchParams(location.hash.replace(/^#/, ''));
  const num = (k) => (p.get(k) && Number.isFinite(+p.get(k)) ? +p.get(k) : undefined);
  return {
    page: p.get('page') || 'overview',
    range: p.get('range') || defaultRange(),
    from: num('from'),
    to: num('to'),
    refresh: p.get('refresh') || undefined,
    params: p,
  };
}

let fallbackRange = '1h';

function defaultRange() {
  return fallbackRange;
}

/** Sets the range used when the URL names none (the dashboard picks it from the data at start). */
export function setDefaultRange(id) {
  fallbackRange = id;
}

/**
 * Changes the state: `changes` maps keys to values (undefined or null removes a key). Pushes a
 * history entry unless `replace` is set; listeners run on the resulting hashchange.
 */
export function setState(changes, { replace = false } = {}) {
  const p = new URLSearchParams(location.hash.replace(/^#/, ''));
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === null || v === '') p.delete(k);
    else p.set(k, String(v));
  }
  const hash = `#${p.toString()}`;
  if (hash === location.hash) return;
  if (replace) {
    history.replaceState(null, '', hash);
    notify();
  } else {
    location.hash = hash;
  }
}

/** Registers a listener called with the new state whenever the URL changes. */
export function onState(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function notify() {
  const s = getState();
  for (const fn of listeners) fn(s);
}

window.addEventListener('hashchange', notify);
