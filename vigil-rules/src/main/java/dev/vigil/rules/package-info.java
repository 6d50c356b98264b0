/**
 * Recording and alerting rules evaluated with Prometheus' semantics over the PromQL engine: rule
 * files, groups, alert states, the {@code ALERTS} and {@code ALERTS_FOR_STATE} series, and alert
 * history. Go-template expansion for labels and annotations lives in {@code
 * dev.vigil.rules.template}.
 */
package dev.vigil.rules;
