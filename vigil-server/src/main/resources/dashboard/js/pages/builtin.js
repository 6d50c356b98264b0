// The built-in boards: Resources and the seeds' pages (API performance, Models, Errors, Users
// and sessions, Agents, File operations). Each is a board (see board.js) of PromQL panels.

import { DISK_PERCENT, DISK_FULL_IN, MEM_EXHAUSTED_IN, ERRORS, ERRORS_EXCLUDE, byName, rateBy, quantile, average, CPU_BUSY, MEM_USED } from './queries.js';

const ts = (title, targets, more = {}) => ({ type: 'timeseries', title, span: 12, targets: targets.map((t) => (typeof t === 'string' ? { expr: t } : t)), ...more });
const t = (expr, legendFormat) => ({ expr, legendFormat });

/** Resources: CPU, memory, disk, network, load, process/JVM, GPU when present. */
export const resources = {
  title: 'Resources',
  rows: [
    {
      title: 'CPU',
      panels: [
        ts('CPU busy', [t(CPU_BUSY, 'busy')], { unit: 'percent', min: 0, max: 100 }),
        ts('CPU per core', [t('100 * (1 - avg by (cpu) (rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval])))', 'cpu {{cpu}}')], { unit: 'percent', min: 0, max: 100 }),
        ts('CPU by mode', [t('100 * avg by (mode) (rate(node_cpu_seconds_total{mode!="idle"}[$__rate_interval]))', '{{mode}}')], { unit: 'percent', stack: true }),
        ts('Load average', [t('node_load1', '1 m'), t('node_load5', '5 m'), t('node_load15', '15 m')], { unit: 'short' }),
      ],
    },
    {
      title: 'Memory',
      panels: [
        ts('Memory used', [t(MEM_USED, 'used')], { unit: 'percent', min: 0, max: 100 }),
        ts(
          'Memory',
          [
            t('node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes', 'used'),
            t('node_memory_Cached_bytes', 'cached'),
            t('node_memory_Buffers_bytes', 'buffers'),
            t('node_memory_MemAvailable_bytes', 'available'),
          ],
          { unit: 'bytes' },
        ),
        ts('Swap used', [t('node_memory_SwapTotal_bytes - node_memory_SwapFree_bytes', 'swap used')], { unit: 'bytes' }),
      ],
    },
    {
      title: 'Disk',
      panels: [
        { type: 'bargauge', title: 'Disk usage now', span: 12, unit: 'percent', max: 100, targets: [t(DISK_PERCENT, '{{mountpoint}}')] },
        ts('Disk usage', [t(DISK_PERCENT, '{{mountpoint}}')], { unit: 'percent' }),
        ts('Disk read', [t('sum by (device) (rate(node_disk_read_bytes_total[$__rate_interval]))', '{{device}}')], { unit: 'Bps' }),
        ts('Disk written', [t('sum by (device) (rate(node_disk_written_bytes_total[$__rate_interval]))', '{{device}}')], { unit: 'Bps' }),
      ],
    },
    {
      title: 'Forecasts',
      panels: [
        {
          type: 'stat',
          title: 'Disk full in',
          description: 'At the rate of the last 6 hours (predict_linear over node_filesystem_avail_bytes), per writable filesystem that is filling',
          span: 6,
          unit: 's',
          thresholds: [{ value: 0, level: 'crit' }, { value: 86400, level: 'warn' }, { value: 7 * 86400, level: '' }],
          targets: [t(DISK_FULL_IN, '{{mountpoint}}')],
          showName: true,
          empty: 'no filesystem is filling (free space did not shrink over the last 6 h)',
        },
        {
          type: 'stat',
          title: 'Memory exhausted in',
          description: 'At the rate of the last hour (predict_linear over node_memory_MemAvailable_bytes)',
          span: 6,
          unit: 's',
          thresholds: [{ value: 0, level: 'crit' }, { value: 4 * 3600, level: 'warn' }, { value: 86400, level: '' }],
          targets: [t(MEM_EXHAUSTED_IN, 'memory')],
          empty: 'available memory did not shrink over the last hour',
        },
        ts('Time left until full (forecast)', [t(DISK_FULL_IN, '{{mountpoint}}'), t(MEM_EXHAUSTED_IN, 'memory')], { unit: 's', min: 0, empty: 'nothing was filling in this range' }),
      ],
    },
    {
      title: 'Network',
      panels: [
        ts('Received', [t('sum by (device) (rate(node_network_receive_bytes_total{device!="lo"}[$__rate_interval]))', '{{device}}')], { unit: 'Bps' }),
        ts('Transmitted', [t('sum by (device) (rate(node_network_transmit_bytes_total{device!="lo"}[$__rate_interval]))', '{{device}}')], { unit: 'Bps' }),
      ],
    },
    {
      title: 'Processes and JVM',
      panels: [
        ts('Process resident memory', [t('process_resident_memory_bytes', '{{job}} {{instance}}')], { unit: 'bytes' }),
        ts('Process CPU', [t('rate(process_cpu_seconds_total[$__rate_interval])', '{{job}} {{instance}}')], { unit: 'percentunit' }),
        ts('JVM memory used', [t('sum by (area) (jvm_memory_used_bytes)', '{{area}}')], { unit: 'bytes', optional: true }),
        ts('JVM threads', [t('jvm_threads_current', 'threads')], { unit: 'short', optional: true }),
      ],
    },
    {
      title: 'GPU',
      panels: [
        ts('GPU utilisation', [t(byName('gpu_utilization(_percent|_ratio)?'), '{{gpu}} {{name}}')], { optional: true }),
        ts('GPU memory used', [t(byName('gpu_memory_used_bytes'), '{{gpu}} {{name}}')], { unit: 'bytes', optional: true }),
      ],
    },
  ],
};

/** API performance: request and error rates by service, latency percentiles, status codes. */
export const api = {
  title: 'API performance',
  widget: 'api',
  rows: [
    {
      panels: [
        ts('Requests by service', [t(rateBy('(api|http)_requests_total', 'service'), '{{service}}')], { unit: 'reqps' }),
        ts('Errors by service', [t(rateBy('(api_errors|http_errors)_total', 'service'), '{{service}}')], { unit: 'ops' }),
        ts(
          'Latency percentiles',
          [
            t(quantile(0.5, '(api|http)_(request_duration|response_time)_seconds'), 'p50'),
            t(quantile(0.95, '(api|http)_(request_duration|response_time)_seconds'), 'p95'),
            t(quantile(0.99, '(api|http)_(request_duration|response_time)_seconds'), 'p99'),
          ],
          { unit: 's' },
        ),
        ts('Average response time by service', [t(average('(api|http)_(request_duration|response_time)_seconds', 'service'), '{{service}}')], { unit: 's' }),
        ts('Responses by status', [t(rateBy('(api|http)_requests_total', 'status, status_code, code'), '{{status}}{{status_code}}{{code}}')], { unit: 'reqps', stack: true }),
        { type: 'heatmap', title: 'Latency distribution', span: 12, targets: [t(`sum by (le) (increase(${byName('(api|http)_(request_duration|response_time)_seconds_bucket')}[$__rate_interval]))`)] },
        { type: 'table', title: 'Services now (requests/s)', span: 24, targets: [t(`sum by (service, endpoint, method) (rate(${byName('(api|http)_requests_total')}[5m]))`)] },
      ],
    },
  ],
};

/** Models: generations, success rate, generation time, prompt and output sizes, queue. */
export const models = {
  title: 'Models',
  widget: 'models',
  rows: [
    {
      panels: [
        ts('Generations by model', [t(rateBy('model_generations_total', 'model, model_name'), '{{model}}{{model_name}}')], { unit: 'ops' }),
        ts(
          'Success rate by model',
          [t(`sum by (model, model_name) (rate(${byName('model_generations_total', 'success="true"')}[$__rate_interval]) or rate(${byName('model_generations_total', 'status="success"')}[$__rate_interval])) / sum by (model, model_name) (rate(${byName('model_generations_total')}[$__rate_interval]))`, '{{model}}{{model_name}}')],
          { unit: 'percentunit', min: 0, max: 1 },
        ),
        ts('Generation time p95', [t(quantile(0.95, 'model_generation_(duration|time)_seconds', 'model'), '{{model}}')], { unit: 's' }),
        ts('Average generation time', [t(average('model_generation_(duration|time)_seconds', 'model'), '{{model}}')], { unit: 's' }),
        ts('Tokens per second by type', [t(rateBy('model_tokens_total', 'type'), '{{type}}')], { unit: 'short', optional: true }),
        ts('Prompt and output length', [t(average('model_prompt_(length|tokens)'), 'prompt'), t(average('model_output_(length|tokens)'), 'output')], { unit: 'short', optional: true }),
        ts('Cost per hour by model', [t(`3600 * ${rateBy('model_cost_total', 'model, currency')}`, '{{model}} {{currency}}')], { unit: 'short', optional: true }),
        ts('Queue size', [t(byName('model_queue_(size|length|depth)'), '{{model}}')], { unit: 'short', optional: true }),
        { type: 'table', title: 'Generations in range', span: 24, targets: [t(`sum by (model, model_name, provider, success, status) (increase(${byName('model_generations_total')}[$__range]))`)] },
      ],
    },
  ],
};

/**
 * Errors: trend by type, service and severity, from the error recorder's family only (ERRORS).
 * The recorder labels an error with `type`; DinoAir's scraped metrics use `error_type`.
 */
export const errors = {
  title: 'Errors',
  widget: 'errors',
  rows: [
    {
      panels: [
        ts('Errors per minute by type', [t(`60 * sum by (type, error_type) (rate(${ERRORS}[$__rate_interval]))`, '{{type}}{{error_type}}')], { unit: 'errors/min', stack: true }),
        ts('Errors per minute by service', [t(`60 * sum by (service) (rate(${ERRORS}[$__rate_interval]))`, '{{service}}')], { unit: 'errors/min' }),
        { type: 'bargauge', title: 'Errors by severity in range', span: 12, targets: [t(`sum by (severity) (increase(${ERRORS}[$__range]))`, '{{severity}}')] },
        { type: 'table', title: 'Error counts in range', span: 12, targets: [t(`sum by (type, error_type, service, severity) (increase(${ERRORS}[$__range]))`)] },
      ],
    },
  ],
};

/** Users and sessions. */
export const users = {
  title: 'Users and sessions',
  widget: 'users',
  rows: [
    {
      panels: [
        ts('Active sessions', [t(`sum(${byName('active_sessions')})`, 'active')], { unit: 'short' }),
        ts('Sessions started per minute', [t(`60 * ${rateBy('sessions_(started_)?total', '')}`, 'started')], { unit: 'short' }),
        ts('Session duration', [t(quantile(0.5, 'session_durations?(_seconds)?'), 'p50'), t(quantile(0.95, 'session_durations?(_seconds)?'), 'p95')], { unit: 's' }),
        ts('Average session duration', [t(average('session_durations?(_seconds)?'), 'average')], { unit: 's' }),
        // DinoAir's "session distribution analysis": how long sessions last, and by browser.
        { type: 'heatmap', title: 'Session distribution by duration', span: 12, unit: 's', targets: [t(`sum by (le) (increase(${byName('session_durations?(_seconds)?_bucket')}[$__rate_interval]))`)] },
        { type: 'bargauge', title: 'Sessions started in range by browser', span: 12, targets: [t(`sum by (agent_family) (increase(${byName('sessions_started_total')}[$__range]))`, '{{agent_family}}')] },
      ],
    },
  ],
};

/** Agents: runs, success rate, queue depth, execution time, heartbeats. */
export const agents = {
  title: 'Agents',
  widget: 'agents',
  rows: [
    {
      panels: [
        { type: 'table', title: 'Agent status', span: 12, unit: 'none', targets: [t(byName('agent_status'))], optional: true },
        ts('Runs by agent', [t(rateBy('agent_runs_total', 'agent'), '{{agent}}')], { unit: 'ops' }),
        ts(
          'Success rate by agent',
          [t(`sum by (agent) (rate(${byName('agent_runs_total', 'status="success"')}[$__rate_interval])) / sum by (agent) (rate(${byName('agent_runs_total')}[$__rate_interval]))`, '{{agent}}')],
          { unit: 'percentunit', min: 0, max: 1 },
        ),
        ts('Queue depth', [t(byName('agent_queue_(depth|length|size)'), '{{agent}}')], { unit: 'short' }),
        ts('Execution time p95', [t(quantile(0.95, 'agent_execution_duration_seconds', 'agent'), '{{agent}}')], { unit: 's' }),
        ts('Errors and warnings', [t(rateBy('agent_errors_total', 'agent'), '{{agent}} errors'), t(rateBy('agent_warnings_total', 'agent'), '{{agent}} warnings')], { unit: 'ops', optional: true }),
        { type: 'table', title: 'Seconds since last heartbeat', span: 12, targets: [t(`time() - ${byName('agent_last_heartbeat(_timestamp)?_seconds')}`)], unit: 's', optional: true },
        { type: 'bargauge', title: 'Runs in range by agent', span: 12, targets: [t(`sum by (agent) (increase(${byName('agent_runs_total')}[$__range]))`, '{{agent}}')] },
      ],
    },
  ],
};

/** File operations: reads, writes, directory operations, failures, durations, sizes. */
export const files = {
  title: 'File operations',
  widget: 'files',
  rows: [
    {
      panels: [
        ts(
          'Operations',
          [
            ...['file_write', 'file_read', 'dir_operation'].flatMap((k) => [
              t(`sum(rate(${byName(`${k}_success_total`)}[$__rate_interval]))`, `${k} ok`),
              t(`sum(rate(${byName(`${k}_failure_total`)}[$__rate_interval]))`, `${k} failed`),
            ]),
            t(rateBy('file_operations_total', 'operation, status'), '{{operation}} {{status}}'),
          ],
          { unit: 'ops' },
        ),
        ts('Operation duration', [t(quantile(0.5, 'file_operation_duration_seconds'), 'p50'), t(quantile(0.95, 'file_operation_duration_seconds'), 'p95')], { unit: 's' }),
        ts('File size', [t(average('file_size_bytes'), 'average')], { unit: 'bytes' }),
        ts('Queue length', [t(byName('file_operation_queue_length'), 'queue')], { unit: 'short', optional: true }),
        { type: 'table', title: 'Operations in range', span: 24, targets: [t(`sum by (operation, status) (increase(${byName('file_operations_total')}[$__range]))`)], optional: true },
      ],
    },
  ],
};

// ---- Health page and the Agents page's performance, recovery and resources rows (issue 21) ----
// Incidents come from the recorders' recordIncidentStart/recordRecovered (<ns>incidents_*,
// <ns>incident_recovery_duration_seconds, scope="service"|"agent"); per-agent CPU and allocation
// from the thread groups (vigil_thread_group_*{group}: thread_groups in vigil.yml, or
// Vigil.threadGroups() in code). MTTR: recovery seconds over recoveries; "> 0" drops a window
// without recoveries instead of showing NaN.

const INCIDENT_RECOVERY = 'incident_recovery_duration_seconds';
/** Mean time to recover over `window`, by `by`, for the incidents matching `extra`. */
const mttr = (window, by = '', extra = '') => {
  const b = by ? ` by (${by})` : '';
  return `sum${b} (increase(${byName(`${INCIDENT_RECOVERY}_sum`, extra)}[${window}])) / (sum${b} (increase(${byName(`${INCIDENT_RECOVERY}_count`, extra)}[${window}])) > 0)`;
};
const NO_INCIDENTS = 'no recovery in this range (vigil.recorders().recordIncidentStart / recordRecovered)';
const NO_GROUPS = 'no thread groups: thread_groups in vigil.yml, or Vigil.threadGroups() in code (docs/collectors.md)';

/** Health (Dream.OS "Health Dashboard"): score, error and warning rates, incidents and recovery times. */
export const health = {
  title: 'Health',
  rows: [
    {
      title: 'Status',
      panels: [
        { type: 'stat', title: 'Health score', span: 6, unit: 'none', targets: [t('max(vigil_health_score)', 'score')], thresholds: [{ value: 0, level: 'crit' }, { value: 50, level: 'warn' }, { value: 80, level: '' }] },
        { type: 'stat', title: 'Open incidents', span: 6, unit: 'short', targets: [t(`sum(${byName('incidents_open')}) or vector(0)`, 'open')], thresholds: [{ value: 0, level: '' }, { value: 1, level: 'warn' }] },
        { type: 'stat', title: 'MTTR in range', description: 'Mean time to recover: recovery seconds over recoveries, services and agents, over the range', span: 6, unit: 's', targets: [t(mttr('$__range'), 'MTTR')], empty: NO_INCIDENTS },
        { type: 'stat', title: 'Recoveries in range', span: 6, unit: 'short', targets: [t(`round(sum(increase(${byName('incidents_recovered_total')}[$__range])))`, 'recoveries')], empty: NO_INCIDENTS },
      ],
    },
    {
      title: 'Errors and warnings',
      panels: [
        ts('Error rate', [t(`60 * sum by (service) (rate(${byName('errors_total', `${ERRORS_EXCLUDE}, severity!~"warning|warn|info|debug"`)}[$__rate_interval]))`, '{{service}}')], { unit: 'errors/min', empty: 'no errors recorded (vigil.recorders().recordError)' }),
        ts(
          'Warning rate',
          [t(`60 * sum by (service) (rate(${byName('warnings_total', 'agent!~".+"')}[$__rate_interval]))`, '{{service}}'), t(`60 * sum by (agent) (rate(${byName('agent_warnings_total')}[$__rate_interval]))`, 'agent {{agent}}')],
          { unit: 'warnings/min', empty: 'no warnings recorded (recordError with severity "warning", recordAgentWarning)' },
        ),
      ],
    },
    {
      title: 'Recovery',
      panels: [
        ts('Recovery time (MTTR over 1 h) by service', [t(mttr('1h', 'name', 'scope="service"'), '{{name}}')], { unit: 's', empty: NO_INCIDENTS }),
        ts('Recovery time (MTTR over 1 h) by agent', [t(mttr('1h', 'name', 'scope="agent"'), '{{name}}')], { unit: 's', empty: NO_INCIDENTS }),
        ts('Incidents open', [t(`sum by (scope, name) (${byName('incidents_open')}) > 0`, '{{scope}} {{name}}')], { unit: 'short', stack: true, empty: 'no incident was open in this range' }),
        { type: 'table', title: 'Recoveries in range', span: 12, targets: [t(`round(sum by (scope, name) (increase(${byName('incidents_recovered_total')}[$__range]))) > 0`)], empty: NO_INCIDENTS },
      ],
    },
  ],
};

agents.rows.push(
  {
    title: 'Performance',
    panels: [
      ts('Message processing time', [t(quantile(0.5, 'agent_message_processing_seconds', 'agent'), '{{agent}} p50'), t(quantile(0.95, 'agent_message_processing_seconds', 'agent'), '{{agent}} p95')], { unit: 's', empty: 'no messages recorded (vigil.recorders().recordAgentMessage)' }),
      ts('Messages processed', [t(rateBy('agent_messages_processed_total', 'agent'), '{{agent}}')], { unit: 'ops', empty: 'no messages recorded (vigil.recorders().recordAgentMessage)' }),
    ],
  },
  {
    title: 'Recovery',
    panels: [
      { type: 'stat', title: 'Agent MTTR in range', description: 'Mean time to recover of the agents over the range', span: 6, unit: 's', targets: [t(mttr('$__range', '', 'scope="agent"'), 'MTTR')], empty: NO_INCIDENTS },
      { type: 'stat', title: 'Agent incidents open', span: 6, unit: 'short', targets: [t(`sum(${byName('incidents_open', 'scope="agent"')}) or vector(0)`, 'open')], thresholds: [{ value: 0, level: '' }, { value: 1, level: 'warn' }] },
      { type: 'bargauge', title: 'Recoveries in range by agent', span: 12, targets: [t(`round(sum by (agent) (increase(${byName('agent_recoveries_total')}[$__range]))) > 0`, '{{agent}}')], empty: NO_INCIDENTS },
      ts('Recovery time (MTTR over 1 h)', [t(`sum by (agent) (increase(${byName('agent_recovery_duration_seconds_sum')}[1h])) / (sum by (agent) (increase(${byName('agent_recovery_duration_seconds_count')}[1h])) > 0)`, '{{agent}}')], { unit: 's', empty: NO_INCIDENTS }),
    ],
  },
  {
    title: 'Resources',
    panels: [
      ts('CPU by agent', [t('100 * sum by (group) (rate(vigil_thread_group_cpu_seconds_total[$__rate_interval]))', '{{group}}')], { unit: 'percent', description: 'Percent of one core used by each thread group (agent)', empty: NO_GROUPS }),
      ts('Allocation rate by agent', [t('sum by (group) (rate(vigil_thread_group_allocated_bytes_total[$__rate_interval]))', '{{group}}')], { unit: 'Bps', description: 'Heap bytes allocated per second (the JVM has no per-thread resident memory)', empty: NO_GROUPS }),
      ts('Threads by agent', [t('sum by (group) (vigil_thread_group_threads) > 0', '{{group}}')], { unit: 'short', optional: true }),
    ],
  },
);
