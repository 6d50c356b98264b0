package dev.vigil.notify.builtin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Alertmanager's inhibition: a target alert is muted while a firing source alert exists that
 * matches a rule's source matchers and has the same values for the rule's {@code equal} labels (a
 * label missing on both sides counts as equal). An alert never inhibits itself: when the target
 * matches both sides, only other source alerts count.
 */
final class Inhibitor {
  private final List<NotifyConfig.InhibitRule> rules;

  Inhibitor(List<NotifyConfig.InhibitRule> rules) {
    this.rules = rules;
  }

  /** The fingerprints of the source alerts inhibiting {@code target}; empty when it is not. */
  List<Long> inhibitedBy(Alert target, Collection<Alert> all, Instant now) {
    List<Long> by = new ArrayList<>();
    long targetFp = target.fingerprint();
    for (NotifyConfig.InhibitRule r : rules) {
      if (!Matcher.all(r.target(), target.labels())) {
        continue;
      }
      boolean twoSided = Matcher.all(r.source(), target.labels());
      for (Alert s : all) {
        if (s.resolvedAt(now) || !Matcher.all(r.source(), s.labels())) {
          continue;
        }
        if (twoSided && Matcher.all(r.target(), s.labels())) {
          continue;
        }
        long fp = s.fingerprint();
        if (fp == targetFp) {
          continue;
        }
        boolean equal = true;
        for (String l : r.equal()) {
          if (!Objects.equals(
              s.labels().getOrDefault(l, ""), target.labels().getOrDefault(l, ""))) {
            equal = false;
            break;
          }
        }
        if (equal) {
          by.add(fp);
          return by;
        }
      }
    }
    return by;
  }
}
