package dev.vigil.server.remote;

import dev.vigil.metrics.Collector;
import dev.vigil.model.Queryable;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.RemoteQueryConfig;
import dev.vigil.server.scrape.ScrapeTls;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * What queries read, as {@code query.remote} says: the local store alone (no {@code query.remote}),
 * the backend alone ({@code mode: replace}) or both ({@code mode: merge}). The engine, the series
 * API, the seeds' API and the rules ask it for their {@link Queryable} at every query, so a reload
 * that changes the backend applies to the next query. Thread-safe.
 *
 * <pre>{@code
 * RemoteQueryBackend backend = new RemoteQueryBackend();
 * backend.apply(RemoteQueryConfig.bind(config.query(), baseDir), Map.of());
 * Engine engine = Engine.builder((mint, maxt) -> backend.queryable(tsdb).querier(mint, maxt)).build();
 * }</pre>
 */
public final class RemoteQueryBackend {
  /* The backend's requests run on the thread that asks: the query pool for the HTTP API and the
   * seeds' API, a rule group's thread for the rules. Health checks, ingest and scraping never read
   * through here, so a slow or dead backend cannot hold them up. */

  private final RemoteQueryMetrics metrics = new RemoteQueryMetrics();
  private volatile RemoteQueryable remote;
  private volatile Map<String, String> externalLabels = Map.of();

  /**
   * Uses {@code c} from the next query on; null turns the backend off. {@code externalLabels}
   * ({@code global.external_labels}) are removed from the backend's series that carry them when it
   * is merged with the local store (see {@link MergedQueryable}).
   *
   * @throws ConfigException when its TLS files cannot be loaded (the running backend stays)
   */
  public synchronized void apply(RemoteQueryConfig c, Map<String, String> externalLabels) {
    this.externalLabels = Map.copyOf(externalLabels);
    RemoteQueryable cur = remote;
    if (c == null) {
      remote = null;
      if (cur != null) {
        cur.client().shutdown();
      }
      return;
    }
    if (cur != null && cur.client().config().equals(c)) {
      return;
    }
    SSLContext ssl = null;
    SSLParameters params = null;
    if (c.tls() != null) {
      try {
        ssl = ScrapeTls.context(c.tls());
        params = ScrapeTls.parameters(c.tls());
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new ConfigException("query.remote: tls_config: " + e.getMessage(), e);
      }
    }
    remote = new RemoteQueryable(new RemoteQueryClient(c, ssl, params, metrics));
    if (cur != null) {
      cur.client().shutdown();
    }
  }

  /** Stops using the backend (Vigil closes). */
  public void close() {
    apply(null, Map.of());
  }

  /** Whether a backend is configured. */
  public boolean enabled() {
    return remote != null;
  }

  /** What queries read: {@code local}, the backend, or both merged. */
  public Queryable queryable(Queryable local) {
    RemoteQueryable r = remote;
    if (r == null) {
      return local;
    }
    return r.client().config().mode() == RemoteQueryConfig.Mode.REPLACE
        ? r
        : new MergedQueryable(local, r, externalLabels);
  }

  /**
   * Where the rules restore their {@code for} state from ({@code ALERTS_FOR_STATE}): the local
   * store and the backend merged whatever the mode, so a Vigil whose local data is gone (a new
   * machine, a wiped disk) takes the state its predecessor remote-wrote.
   */
  public Queryable restoreQueryable(Queryable local) {
    RemoteQueryable r = remote;
    return r == null ? local : new MergedQueryable(local, r, externalLabels);
  }

  /** {@code vigil_remote_query_*}. */
  public Collector collector() {
    return metrics.collector();
  }

  /**
   * The backend's state for the dashboard's Targets page and {@code /api/v1/status/remote_query}.
   *
   * @param url the backend, or null when there is none
   * @param mode {@code replace} or {@code merge}, or null
   * @param requests requests by HTTP status ({@code error}: not reached, {@code timeout})
   * @param lastError the last failure, or null
   */
  public record Status(String url, String mode, Map<String, Long> requests, String lastError) {}

  public Status status() {
    RemoteQueryable r = remote;
    if (r == null) {
      return new Status(null, null, metrics.requests(), metrics.lastError());
    }
    RemoteQueryConfig c = r.client().config();
    return new Status(
        c.url().toString(),
        c.mode().name().toLowerCase(Locale.ROOT),
        metrics.requests(),
        metrics.lastError());
  }
}
