// Client of the Prometheus-compatible HTTP API (/api/v1/*) and Vigil's own endpoints. Works
// against any Prometheus-compatible server. With tokens configured on the server, a 401 asks the
// user for a token once, keeps it for the browser session and sends it on every call.

const MAX_CONCURRENT = 6;
let active = 0;
const waiting = [];
let token = sessionStorage.getItem('vigil.token') || '';
let tokenPrompt = null;

/** An API error with Prometheus' errorType and the HTTP status. */
export class ApiError extends Error {
  constructor(message, errorType, status) {
    super(message);
    this.errorType = errorType;
    this.status = status;
  }
}

/** The current bearer token ('' when none). */
export function currentToken() {
  return token;
}

async function slot() {
  if (active < MAX_CONCURRENT) {
    active++;
    return;
  }
  await new Promise((resolve) => waiting.push(resolve));
  active++;
}

function release() {
  active--;
  const next = waiting.shift();
  if (next) next();
}

async function askToken() {
  if (!tokenPrompt) {
    tokenPrompt = new Promise((resolve) => {
      const dialog = document.getElementById('token-dialog');
      const input = dialog.querySelector('input');
      dialog.querySelector('form').addEventListener(
        'submit',
        () => {
          token = input.value.trim();
          sessionStorage.setItem('vigil.token', token);
          tokenPrompt = null;
          resolve();
        },
        { once: true },
      );
      dialog.showModal();
      input.focus();
    });
  }
  return tokenPrompt;
}

/**
 * Fetches a path and returns the parsed JSON body. Prometheus-style envelopes
 * ({status, data, error, errorType}) are unwrapped to `data`; errors become ApiError.
 */
export async function fetchJson(path, { params, method = 'GET', raw = false, signal } = {}) {
  for (let attempt = 0; attempt < 2; attempt++) {
    await slot();
    let res;
    try {
      const headers = { Accept: 'application/json' };
      if (token) headers.Authorization = `Bearer ${token}`;
      let url = path;
      let body;
      if (params && method === 'GET') url += `?${new URLSearchParams(params)}`;
      if (params && method === 'POST') {
        body = new URLSearchParams(params);
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
      }
      res = await fetch(url, { method, headers, body, signal });
    } catch (e) {
      release();
      if (e.name === 'AbortError') throw e;
      throw new ApiError(`cannot reach the server: ${e.message}`, 'network', 0);
    }
    try {
      if (res.status === 401 && attempt === 0) {
        await askToken();
        continue;
      }
      const text = await res.text();
      let json;
      try {
        json = text ? JSON.parse(text) : {};
      } catch {
        if (!res.ok) throw new ApiError(`${res.status} ${res.statusText}: ${text.slice(0, 200)}`, 'http', res.status);
        throw new ApiError(`${path}: the response is not JSON`, 'parse', res.status);
      }
      if (json && json.status === 'error') throw new ApiError(json.error || 'unknown error', json.errorType, res.status);
      if (!res.ok) throw new ApiError(`${res.status} ${res.statusText}`, 'http', res.status);
      return raw || !json || !('data' in json) || !('status' in json) ? json : json.data;
    } finally {
      release();
    }
  }
  throw new ApiError('unauthorized: the token was refused', 'auth', 401);
}

/** Instant query: returns {resultType, result}. */
export function query(expr, time, opts = {}) {
  const params = { query: expr };
  if (time !== undefined) params.time = String(time);
  return fetchJson('/api/v1/query', { params, method: 'POST', ...opts });
}

/** Ranges at least this long (seconds) may be answered from the store's rollups. */
export const ROLLUP_MIN_RANGE = 24 * 3600;

/**
 * Query parameters of a range query over [start, end] (seconds) at `step` seconds. Ranges of 24 h
 * or more ask for `max_source_resolution=auto`: the server may read 5 m / 1 h rollups where they
 * answer the query (rate, *_over_time, plain selectors), so long charts read far fewer samples.
 */
export function rangeParams(expr, start, end, step) {
  const params = { query: expr, start: String(start), end: String(end), step: String(step) };
  if (Number(end) - Number(start) >= ROLLUP_MIN_RANGE) params.max_source_resolution = 'auto';
  return params;
}

/** Range query over [start, end] at `step` seconds: returns {resultType: 'matrix', result}. */
export function queryRange(expr, start, end, step, opts = {}) {
  return fetchJson('/api/v1/query_range', {
    params: rangeParams(expr, start, end, step),
    method: 'POST',
    ...opts,
  });
}

/** All label names, optionally restricted to series matching `match`. */
export function labels(match) {
  return fetchJson('/api/v1/labels', { params: match ? { 'match[]': match } : undefined });
}

/** Values of one label, optionally restricted to series matching `match`. */
export function labelValues(name, match) {
  return fetchJson(`/api/v1/label/${encodeURIComponent(name)}/values`, {
    params: match ? { 'match[]': match } : undefined,
  });
}

/** Series (label sets) matching a selector. */
export function series(match, start, end) {
  const params = { 'match[]': match };
  if (start !== undefined) params.start = String(start);
  if (end !== undefined) params.end = String(end);
  return fetchJson('/api/v1/series', { params });
}

/** Metric metadata: {name: [{type, help, unit}]}. */
export function metadata() {
  return fetchJson('/api/v1/metadata');
}

/** Remote write queues: {queues: [{name, url, shards, samplesPending, ...}]}. */
export function remoteWrite() {
  return fetchJson('/api/v1/status/remote_write');
}

/** The query.remote backend: {url, mode, requests: {code: n}, lastError}; url null when none. */
export function remoteQuery() {
  return fetchJson('/api/v1/status/remote_query');
}

/** Scrape targets: {activeTargets, droppedTargets}. */
export function targets() {
  return fetchJson('/api/v1/targets');
}
