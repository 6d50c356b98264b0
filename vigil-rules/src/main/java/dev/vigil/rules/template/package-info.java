/**
 * Go's text/template, the subset Prometheus' alerting rules use, with Prometheus' template data and
 * functions: {@link dev.vigil.rules.template.Expander} expands label and annotation templates,
 * {@link dev.vigil.rules.template.Templates#check(String, String)} checks them as promtool does.
 * Output and error messages are byte-identical to Prometheus 2.42's (see docs/rules.md,
 * "Templates").
 */
package dev.vigil.rules.template;
