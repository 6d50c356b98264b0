/**
 * Sending alerts to Alertmanagers as Prometheus' notifier does: {@link
 * dev.vigil.notify.sender.AlertFeed} turns each rule group evaluation into the alerts to send
 * (Prometheus' {@code sendAlerts}: re-sent every resend delay, resolutions sent), {@link
 * dev.vigil.notify.sender.AlertmanagerSender} queues them (bounded, oldest dropped) and posts them
 * in batches to every Alertmanager's API v2 at once.
 */
package dev.vigil.notify.sender;
