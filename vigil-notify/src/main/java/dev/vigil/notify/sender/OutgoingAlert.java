package dev.vigil.notify.sender;

import dev.vigil.model.Labels;
import java.util.Map;

/**
 * One alert as posted to Alertmanager's {@code POST /api/v2/alerts}.
 *
 * @param labels the alert's labels (external labels and relabeling applied by the sender)
 * @param annotations its annotations
 * @param startsAt when it started firing, milliseconds since the epoch
 * @param endsAt when it resolved, or until when it is valid without a re-send
 * @param generatorUrl the link back to the expression
 */
public record OutgoingAlert(
    Labels labels,
    Map<String, String> annotations,
    long startsAt,
    long endsAt,
    String generatorUrl) {

  public OutgoingAlert {
    annotations = Map.copyOf(annotations);
  }

  OutgoingAlert withLabels(Labels l) {
    return new OutgoingAlert(l, annotations, startsAt, endsAt, generatorUrl);
  }
}
