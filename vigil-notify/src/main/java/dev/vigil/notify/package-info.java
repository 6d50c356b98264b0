/**
 * Notifications with Alertmanager's semantics: sending alerts to Alertmanagers (API v2) as
 * Prometheus does, and the built-in notifier (routing tree, grouping, inhibition, silences, time
 * intervals, receivers, notification log).
 */
package dev.vigil.notify;
