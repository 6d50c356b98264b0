package dev.vigil.notify.builtin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's inhibition: a target alert is muted while a firing source alert exists that
 * matches a rule's source matchers and has the same values for the rule's {@code equal} labels (a
 * label missing on both sides counts as equal). An alert never inhibits itself: when the target
 * matches both sides, only other source alerts count.
 *
 * <p>Not thread-safe: the dispatcher calls it under its lock.
 */
/*
 * Index: per rule, the stored alerts that match its source matchers, keyed by their values of the
 * rule's equal labels (an alert's labels never change: its fingerprint is their hash, so its
 * membership is decided once per put). A target is then checked against the sources sharing its
 * equal values only, as Alertmanager's per-rule source cache does, instead of every stored alert:
 * checking 10,000 targets among 20,000 alerts took 178.8 s with the scan and 0.15 s with the index
 * (InhibitionIndexTest, loaded 2-core machine). alertsByState() makes such a pass at each /metrics
 * scrape, and a flush one check per alert of its group.
 */
final class Inhibitor {
  private final List<NotifyConfig.InhibitRule> rules;

  /** Per rule: equal-label values to the source alerts with them, by fingerprint. */
  private final List<Map<List<String>, Map<Long, Alert>>> sources = new ArrayList<>();

  Inhibitor(List<NotifyConfig.InhibitRule> rules) {
    this.rules = rules;
    for (int i = 0; i < rules.size(); i++) {
      sources.add(new HashMap<>());
    }
  }

  /** Records a stored alert (new, or merged with a newer version of itself). */
  void put(Alert a) {
    for (int i = 0; i < rules.size(); i++) {
      NotifyConfig.InhibitRule r = rules.get(i);
      if (Matcher.all(r.source(), a.labels())) {
        sources
            .get(i)
            .computeIfAbsent(equalValues(r, a.labels()), k -> new LinkedHashMap<>())
            .put(a.fingerprint(), a);
      }
    }
  }

  /** Forgets a stored alert (garbage-collected). */
  void remove(Alert a) {
    for (int i = 0; i < rules.size(); i++) {
      NotifyConfig.InhibitRule r = rules.get(i);
      List<String> key = equalValues(r, a.labels());
      Map<Long, Alert> m = sources.get(i).get(key);
      if (m != null) {
        m.remove(a.fingerprint());
        if (m.isEmpty()) {
          sources.get(i).remove(key);
        }
      }
    }
  }

  private static List<String> equalValues(NotifyConfig.InhibitRule r, Map<String, String> labels) {
    List<String> v = new ArrayList<>(r.equal().size());
    for (String l : r.equal()) {
      v.add(labels.getOrDefault(l, ""));
    }
    return v;
  }

  /** The fingerprints of the source alerts inhibiting {@code target}; empty when it is not. */
  List<Long> inhibitedBy(Alert target, Instant now) {
    List<Long> by = new ArrayList<>();
    long targetFp = target.fingerprint();
    for (int i = 0; i < rules.size(); i++) {
      NotifyConfig.InhibitRule r = rules.get(i);
      if (!Matcher.all(r.target(), target.labels())) {
        continue;
      }
      Map<Long, Alert> candidates = sources.get(i).get(equalValues(r, target.labels()));
      if (candidates == null) {
        continue;
      }
      boolean twoSided = Matcher.all(r.source(), target.labels());
      for (Alert s : candidates.values()) {
        if (s.resolvedAt(now)) {
          continue;
        }
        if (twoSided && Matcher.all(r.target(), s.labels())) {
          continue;
        }
        long fp = s.fingerprint();
        if (fp == targetFp) {
          continue;
        }
        by.add(fp);
        return by;
      }
    }
    return by;
  }
}
