package dev.vigil.notify.silence;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One silence, immutable: the alerts its matchers all match are muted from {@code startsAt} to
 * {@code endsAt}. Times are truncated to milliseconds, as Alertmanager's API shows them.
 *
 * <pre>{@code
 * Silence s = new Silence(null, Matchers.parse("alertname=Disk"), start, end, null, "ops", "disk swap");
 * String id = silences.set(s);
 * }</pre>
 *
 * @param id the silence's UUID; null or empty for a new one
 * @param matchers at least one; all must match an alert's labels for the silence to mute it
 * @param startsAt when it starts muting
 * @param endsAt when it stops muting (a silence is still active at exactly {@code endsAt}, as in
 *     Alertmanager)
 * @param updatedAt when it was last changed; set by {@link Silences}, ignored on input
 * @param createdBy the author
 * @param comment why
 */
public record Silence(
    String id,
    List<LabelMatcher> matchers,
    Instant startsAt,
    Instant endsAt,
    Instant updatedAt,
    String createdBy,
    String comment) {

  /** Alertmanager's silence states. */
  public enum State {
    PENDING,
    ACTIVE,
    EXPIRED;

    /** The name in API v2 JSON: {@code pending}, {@code active}, {@code expired}. */
    public String apiName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Silence {
    matchers = List.copyOf(matchers);
    startsAt = truncate(startsAt);
    endsAt = truncate(endsAt);
    updatedAt = truncate(updatedAt);
    createdBy = Objects.requireNonNullElse(createdBy, "");
    comment = Objects.requireNonNullElse(comment, "");
  }

  private static Instant truncate(Instant t) {
    return t == null ? null : Instant.ofEpochMilli(t.toEpochMilli());
  }

  /** The state at {@code now}: pending before the start, expired after the end, else active. */
  public State state(Instant now) {
    if (now.isBefore(startsAt)) {
      return State.PENDING;
    }
    if (endsAt.isBefore(now)) {
      return State.EXPIRED;
    }
    return State.ACTIVE;
  }

  /** Whether all matchers match these labels (a missing label is the empty string). */
  public boolean matches(Labels labels) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  Silence withId(String newId) {
    return new Silence(newId, matchers, startsAt, endsAt, updatedAt, createdBy, comment);
  }

  Silence withTimes(Instant start, Instant end, Instant updated) {
    return new Silence(id, matchers, start, end, updated, createdBy, comment);
  }
}
