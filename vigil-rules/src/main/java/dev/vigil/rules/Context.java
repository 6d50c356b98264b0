package dev.vigil.rules;

import java.util.Map;

/**
 * What a rule's evaluation needs besides its query: templates, external labels and URL, and where
 * alert state changes go.
 */
record Context(
    AnnotationExpander templates,
    Map<String, String> externalLabels,
    String externalUrl,
    String group,
    String file,
    java.util.List<AlertEvent> events) {}
