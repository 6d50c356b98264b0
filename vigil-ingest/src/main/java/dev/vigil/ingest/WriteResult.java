package dev.vigil.ingest;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link Ingester#write}: samples committed, samples refused by reason (decoder,
 * limits and storage together), and the first messages saying why.
 *
 * @param accepted samples committed to storage
 * @param rejected refused points by reason
 * @param errors up to {@link Ingester#MAX_ERRORS} messages naming the series or line and the
 *     problem
 * @param rateLimited true when the whole request was refused for the ingest rate (nothing stored)
 * @param exemplarsAccepted exemplars committed to storage (refused ones, e.g. out of order, are
 *     skipped without failing the request, as in Prometheus)
 */
public record WriteResult(
    long accepted,
    Map<RejectReason, Long> rejected,
    List<String> errors,
    boolean rateLimited,
    long exemplarsAccepted) {

  public WriteResult {
    rejected = Map.copyOf(rejected);
    errors = List.copyOf(errors);
  }

  /** A result without exemplars. */
  public WriteResult(
      long accepted, Map<RejectReason, Long> rejected, List<String> errors, boolean rateLimited) {
    this(accepted, rejected, errors, rateLimited, 0);
  }

  /** Total refused points. */
  public long rejectedCount() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Refused points for one reason. */
  public long rejected(RejectReason reason) {
    return rejected.getOrDefault(reason, 0L);
  }
}
