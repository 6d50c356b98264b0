/*
 * Vigil browser vitals: include in a page with
 *   <script src="https://vigil.example.com:9470/vitals.js" defer></script>
 * and it measures, with the browser's own PerformanceObserver, Largest Contentful Paint, First
 * Contentful Paint, Interaction to Next Paint, First Input Delay, Cumulative Layout Shift, time to
 * first byte, DOMContentLoaded and load, resource load times by kind, and vigil.mark(name)
 * timings, and sends them with navigator.sendBeacon to /api/v1/vitals on the server it came from
 * when the page is hidden (tab switched, closed, navigated away) or on vigil.flush().
 *
 * Attributes: data-page="/orders/:id" names the page (default: location.pathname, which the
 * server turns into a template); data-endpoint="URL" sends elsewhere.
 * API: vigil.mark(name) records the time since navigation start under a name (lower case, digits,
 * _); vigil.mark(name, seconds) records a duration; vigil.flush() sends what is measured now.
 *
 * No dependencies, no cookies, nothing but timings and the path leaves the page. All times in
 * seconds. Written for Vigil (docs/metrics.md, "Browser metrics").
 */
(function () {
  'use strict';
  if (window.vigil && window.vigil.vitals) return;
  var script = document.currentScript;
  var base = script && script.src ? script.src : location.href;
  var endpoint = new URL((script && script.getAttribute('data-endpoint')) || '/api/v1/vitals', base).href;
  var fixedPage = script && script.getAttribute('data-page');
  var MAX_RESOURCES = 100;
  var MAX_MARKS = 20;
  var MAX_SECONDS = 600; // the server refuses a beacon with a longer time (CLS: a score up to 100)

  var vitals = {}; // key -> seconds (cls: score), reported once per page load
  var reported = {};
  var resources = {}; // kind -> [seconds]
  var resourceCount = 0;
  var marks = {};
  var markCount = 0;

  function supported(type) {
    return typeof PerformanceObserver !== 'undefined' && (PerformanceObserver.supportedEntryTypes || []).indexOf(type) >= 0;
  }

  function observe(type, fn, extra) {
    if (!supported(type)) return;
    try {
      var opts = { type: type, buffered: true };
      for (var k in extra || {}) opts[k] = extra[k];
      new PerformanceObserver(function (list) {
        list.getEntries().forEach(fn);
      }).observe(opts);
    } catch (e) {
      /* an old browser without this entry type: nothing to measure */
    }
  }

  function secs(ms) {
    return Math.max(0, ms) / 1000;
  }

  // Largest Contentful Paint: the last candidate before the first input or hide.
  observe('largest-contentful-paint', function (e) {
    vitals.lcp = secs(e.renderTime || e.loadTime || e.startTime);
  });

  observe('paint', function (e) {
    if (e.name === 'first-contentful-paint') vitals.fcp = secs(e.startTime);
  });

  observe('first-input', function (e) {
    vitals.fid = secs(e.processingStart - e.startTime);
    interaction(e);
  });

  // Cumulative Layout Shift: the largest session window (shifts less than 1 s apart, at most 5 s
  // long), shifts right after an input excluded.
  var windowValue = 0;
  var windowStart = 0;
  var windowLast = 0;
  var cls = 0;
  observe('layout-shift', function (e) {
    if (e.hadRecentInput) return;
    if (windowValue && e.startTime - windowLast < 1000 && e.startTime - windowStart < 5000) {
      windowValue += e.value;
    } else {
      windowValue = e.value;
      windowStart = e.startTime;
    }
    windowLast = e.startTime;
    if (windowValue > cls) cls = windowValue;
    vitals.cls = cls;
  });
  if (supported('layout-shift')) vitals.cls = 0;

  // Interaction to Next Paint: the longest interaction, or with many of them about the 98th
  // percentile (one ignored per 50 interactions).
  var longest = []; // the 10 longest interaction durations, ms, descending
  var interactionMax = {};
  var interactions = 0;
  function interaction(e) {
    if (!e.interactionId) return;
    var prev = interactionMax[e.interactionId];
    if (prev === undefined) interactions++;
    if (prev !== undefined && prev >= e.duration) return;
    interactionMax[e.interactionId] = e.duration;
    var i = longest.indexOf(prev);
    if (prev !== undefined && i >= 0) longest.splice(i, 1);
    longest.push(e.duration);
    longest.sort(function (a, b) {
      return b - a;
    });
    if (longest.length > 10) longest.length = 10;
    vitals.inp = secs(longest[Math.min(longest.length - 1, Math.floor(interactions / 50))]);
  }
  observe('event', interaction, { durationThreshold: 40 });

  function kindOf(e) {
    var t = e.initiatorType;
    if (/\.(woff2?|ttf|otf)(\?|$)/.test(e.name)) return 'font';
    if (t === 'script') return 'script';
    if (t === 'css' || (t === 'link' && /\.css(\?|$)/.test(e.name))) return 'css';
    if (t === 'img' || t === 'image') return 'img';
    if (t === 'fetch' || t === 'xmlhttprequest' || t === 'beacon') return 'fetch';
    return 'other';
  }

  observe('resource', function (e) {
    if (e.name.indexOf(endpoint) === 0 || resourceCount >= MAX_RESOURCES) return;
    var k = kindOf(e);
    if (secs(e.duration) > MAX_SECONDS) return;
    (resources[k] = resources[k] || []).push(secs(e.duration));
    resourceCount++;
  });

  function navigation() {
    var n = performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
    if (!n) return;
    if (n.responseStart > 0) vitals.ttfb = secs(n.responseStart - (n.activationStart || 0));
    if (n.domContentLoadedEventEnd > 0) vitals.dom_content_loaded = secs(n.domContentLoadedEventEnd);
    if (n.loadEventEnd > 0) vitals.load = secs(n.loadEventEnd);
  }

  function mark(name, seconds) {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(String(name))) return;
    if (!(name in marks) && markCount >= MAX_MARKS) return;
    var value = typeof seconds === 'number' ? seconds : secs(performance.now());
    if (!(value >= 0 && value <= MAX_SECONDS)) return;
    if (!(name in marks)) markCount++;
    marks[name] = value;
    if (typeof seconds !== 'number' && performance.mark) performance.mark('vigil:' + name);
  }

  function flush() {
    navigation();
    var body = { page: (fixedPage || location.pathname).slice(0, 1024) };
    var v = {};
    var any = false;
    for (var k in vitals) {
      if (!reported[k] && vitals[k] >= 0 && vitals[k] <= (k === 'cls' ? 100 : MAX_SECONDS)) {
        v[k] = Math.round(vitals[k] * 1e6) / 1e6;
        any = true;
      }
    }
    if (any) body.vitals = v;
    if (resourceCount) body.resources = resources;
    if (markCount) body.marks = marks;
    if (!any && !resourceCount && !markCount) return false;
    var text = JSON.stringify(body);
    var sent = false;
    try {
      sent = navigator.sendBeacon && navigator.sendBeacon(endpoint, text);
    } catch (e) {
      sent = false;
    }
    if (!sent && window.fetch) {
      fetch(endpoint, { method: 'POST', body: text, keepalive: true, mode: 'no-cors', headers: { 'Content-Type': 'text/plain' } }).catch(function () {});
    }
    for (var r in v) reported[r] = true;
    resources = {};
    resourceCount = 0;
    marks = {};
    markCount = 0;
    return true;
  }

  addEventListener(
    'visibilitychange',
    function () {
      if (document.visibilityState === 'hidden') flush();
    },
    true,
  );
  addEventListener('pagehide', flush, true);

  window.vigil = window.vigil || {};
  window.vigil.vitals = true;
  window.vigil.mark = mark;
  window.vigil.flush = flush;
})();
