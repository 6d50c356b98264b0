// PromQL building blocks shared by the built-in pages. Host metrics use node_exporter's names;
// application metrics are matched by suffix on __name__, so the seeds' recorder names work with
// any namespace prefix (dinoair_custom_api_requests_total, devloop_agent_runs_total, ...).

/**
 * Filesystems that are real disks: node_exporter's default exclusions (pseudo filesystems, /dev,
 * /proc, /sys, container layers) plus memory-backed ones (tmpfs, ramfs) and /run.
 */
export const FS =
  'fstype!~"tmpfs|ramfs|autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs|fuse[.].*", mountpoint!~"/(dev|proc|sys|run)(/.*)?|/var/lib/(docker|containers/storage)/.+"';

/** Used share of each filesystem as df shows it: used / (used + available), in percent. */
export const DISK_PERCENT = `100 * (node_filesystem_size_bytes{${FS}} - node_filesystem_free_bytes{${FS}}) / (node_filesystem_size_bytes{${FS}} - node_filesystem_free_bytes{${FS}} + node_filesystem_avail_bytes{${FS}})`;

/**
 * Forecasts, in seconds left (as the host pack's vigil:filesystem_full_in:hours and
 * vigil:memory_exhausted_in:hours, times 3600, so the dashboard needs no pack): the least-squares
 * line's value now over its loss per second, only while the line goes down. Disks over 6 h (a
 * download or a log rotation makes no forecast), writable ones only; memory over 1 h.
 */
const AVAIL = `node_filesystem_avail_bytes{${FS}}`;
export const DISK_FULL_IN = `clamp_min(predict_linear(${AVAIL}[6h], 0) / -deriv(${AVAIL}[6h]), 0) and deriv(${AVAIL}[6h]) < 0 and on (device, fstype, mountpoint) node_filesystem_readonly == 0`;
export const MEM_EXHAUSTED_IN = 'clamp_min(predict_linear(node_memory_MemAvailable_bytes[1h], 0) / -deriv(node_memory_MemAvailable_bytes[1h]), 0) and deriv(node_memory_MemAvailable_bytes[1h]) < 0';

/**
 * Namespaces of servers' own metrics, left out of application selectors: PromQL 2.x rejects a
 * rate() over two metric names whose label sets are equal once the name is dropped. Vigil's own
 * HTTP metrics too: the dashboard's own polling is not an application's requests.
 */
const NOT_APP = '__name__!~"(prometheus|promhttp|go|process|net|scrape|jvm|node|vigil_http)_.*"';

/** A selector for metrics named `suffix` with any namespace prefix, e.g. byName('api_requests_total'). */
export function byName(suffix, extra = '') {
  return `{__name__=~"(.+_)?${suffix}", ${NOT_APP}${extra ? `, ${extra}` : ''}}`;
}

/** Per-second rate summed by `by` labels. */
export function rateBy(suffix, by, extra = '') {
  return `sum${by ? ` by (${by})` : ''} (rate(${byName(suffix, extra)}[$__rate_interval]))`;
}

/** A histogram quantile over buckets of a histogram named `suffix` (without `_bucket`). */
export function quantile(q, suffix, by = '') {
  return `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ''}) (rate(${byName(`${suffix}_bucket`)}[$__rate_interval])))`;
}

/** Average from a histogram's or summary's _sum and _count. */
export function average(suffix, by = '') {
  const b = by ? ` by (${by})` : '';
  return `sum${b} (rate(${byName(`${suffix}_sum`)}[$__rate_interval])) / sum${b} (rate(${byName(`${suffix}_count`)}[$__rate_interval]))`;
}

export const CPU_BUSY = '100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval])))';
export const MEM_USED = '100 * (1 - sum(node_memory_MemAvailable_bytes) / sum(node_memory_MemTotal_bytes))';
/**
 * The fullest writable disk, in percent: Vigil's own figure (the one /api/metrics/realtime and the
 * health score use), else df's figure from node_exporter's metrics for other servers.
 */
export const DISK_USED = `(100 * max(vigil_filesystem_fullest_usage_ratio)) or max(${DISK_PERCENT} unless on (device, mountpoint) node_filesystem_readonly == 1)`;
/**
 * The error recorder's family, `<namespace>errors_total`, and not the other counters that share its
 * suffix: the API and agent recorders' (api_errors_total, agent_errors_total) and Vigil's own
 * (vigil_collector_errors_total). Their labels differ, so each made a row of blank labels.
 */
export const ERRORS_EXCLUDE = '__name__!~"vigil_.*|(.+_)?(api|http|agent|model|file)_errors_total"';
export const ERRORS = byName('errors_total', ERRORS_EXCLUDE);
export const REQUESTS = rateBy('(api|http)_requests_total', '');
/** Errors per minute: the applications' error events, else their API errors. */
export const ERRORS_PER_MIN = `(60 * sum(rate(${ERRORS}[$__rate_interval]))) or (60 * ${rateBy('(api|http)_errors_total', '')})`;
export const SESSIONS = `sum(${byName('active_sessions')})`;
export const FIRING = 'count(ALERTS{alertstate="firing"}) or vector(0)';
