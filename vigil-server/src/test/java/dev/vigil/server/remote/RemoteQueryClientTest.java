package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.Series;
import dev.vigil.model.SeriesSet;
import dev.vigil.server.config.RemoteQueryConfig;
import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.http.ApiError;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remote query client against a stand-in backend: what it asks (the selector as a range
 * selector, the time, credentials), how it cuts and bounds the answer, and how a refusal reads. The
 * merge of two stores is checked here too, over in-memory series.
 */
class RemoteQueryClientTest {
  private HttpServer server;
  private volatile int status = 200;
  private volatile String body = "";
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final List<String> auths = new CopyOnWriteArrayList<>();
  private final List<String> tenants = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/prom/api/v1/",
        ex -> {
          queries.add(
              ex.getRequestURI().getPath()
                  + "?"
                  + URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
          auths.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          tenants.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Scope-OrgID")));
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private RemoteQueryable backend(int seriesLimit, long samplesLimit) {
    RemoteQueryConfig c =
        new RemoteQueryConfig(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prom"),
            RemoteQueryConfig.Mode.REPLACE,
            Duration.ofSeconds(10),
            Map.of("X-Scope-OrgID", "team-a"),
            new ScrapeConfig.BasicAuth("u", "p", null),
            null,
            null,
            seriesLimit,
            samplesLimit);
    return new RemoteQueryable(new RemoteQueryClient(c, null, null, new RemoteQueryMetrics()));
  }

  private static String matrix(int series, int samples) {
    StringBuilder sb =
        new StringBuilder(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
    for (int s = 0; s < series; s++) {
      sb.append(s == 0 ? "" : ",")
          .append("{\"metric\":{\"__name__\":\"m\",\"i\":\"")
          .append(9 - s)
          .append("\"},\"values\":[");
      for (int j = 0; j < samples; j++) {
        sb.append(j == 0 ? "" : ",")
            .append("[")
            .append(100 + j * 15)
            .append(".5,\"")
            .append(j)
            .append("\"]");
      }
      sb.append("]}");
    }
    return sb.append("]}}").toString();
  }

  private static List<String> read(SeriesSet set) {
    List<String> out = new ArrayList<>();
    while (set.next()) {
      Series s = set.at();
      SampleIterator it = s.iterator();
      StringBuilder sb = new StringBuilder(s.labels().toString());
      while (it.next()) {
        sb.append(' ').append(it.timestamp()).append('=').append(it.value());
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void select_asksForTheRawSamplesOfTheSelector_andCutsThemToTheRange() {
    body = matrix(2, 4); // samples at 100.5 s, 115.5 s, 130.5 s, 145.5 s
    try (Querier q = backend(10, 100).querier(115_500, 145_000)) {
      List<String> got =
          read(
              q.select(
                  SelectHints.range(0, Long.MAX_VALUE),
                  LabelMatcher.equal("__name__", "m"),
                  LabelMatcher.regex("job", "a|b\"c")));
      // Sorted by labels; the sample at 100.5 s (before mint) and at 145.5 s (after maxt) cut.
      assertThat(got)
          .containsExactly("m{i=\"8\"} 115500=1.0 130500=2.0", "m{i=\"9\"} 115500=1.0 130500=2.0");
    }
    assertThat(queries)
        .containsExactly(
            "/prom/api/v1/query?query={__name__=\"m\",job=~\"a|b\\\"c\"}[29501ms]&time=145.000");
    assertThat(auths).containsExactly("Basic dTpw");
    assertThat(tenants).containsExactly("team-a");
  }

  @Test
  void seriesOnlySelects_askForSeries_notSamples() {
    body =
        "{\"status\":\"success\",\"data\":[{\"__name__\":\"m\",\"i\":\"2\"},{\"__name__\":\"m\",\"i\":\"1\"}]}";
    try (Querier q = backend(10, 100).querier(1000, 2000)) {
      assertThat(
              read(
                  q.select(
                      new SelectHints(1000, 2000, 0, "series", 0, null),
                      LabelMatcher.equal("__name__", "m"))))
          .containsExactly("m{i=\"1\"}", "m{i=\"2\"}");
    }
    assertThat(queries)
        .containsExactly("/prom/api/v1/series?match[]={__name__=\"m\"}&start=1.000&end=2.000");
  }

  @Test
  void answersOverTheLimits_areErrorsNamingTheLimit() {
    body = matrix(3, 2);
    assertThatThrownBy(
            () ->
                backend(2, 100)
                    .querier(0, 1_000_000)
                    .select(SelectHints.range(0, 1_000_000), LabelMatcher.equal("__name__", "m")))
        .isInstanceOf(ApiError.class)
        .hasMessageContaining("returned more than query.remote.series_limit (2) series")
        .hasMessageContaining("raise query.remote.series_limit")
        .satisfies(e -> assertThat(((ApiError) e).type()).isEqualTo(ApiError.Type.EXECUTION));
    assertThatThrownBy(
            () ->
                backend(10, 5)
                    .querier(0, 1_000_000)
                    .select(SelectHints.range(0, 1_000_000), LabelMatcher.equal("__name__", "m")))
        .isInstanceOf(ApiError.class)
        .hasMessageContaining("returned more than query.remote.samples_limit (5) samples");
  }

  @Test
  void backendRefusals_areApiErrorsNamingTheBackend_withItsMessage() {
    String base =
        "remote query backend http://127.0.0.1:" + server.getAddress().getPort() + "/prom";
    status = 422;
    body = "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"too many points\"}";
    assertThatThrownBy(() -> backend(10, 100).querier(0, 1000).labelNames(List.of()))
        .isInstanceOf(ApiError.class)
        .hasMessage(base + " answered HTTP 422: too many points")
        .satisfies(e -> assertThat(((ApiError) e).type()).isEqualTo(ApiError.Type.EXECUTION));
    status = 502;
    body = "<html>bad gateway</html>";
    assertThatThrownBy(() -> backend(10, 100).querier(0, 1000).labelValues("job", List.of()))
        .isInstanceOf(ApiError.class)
        .hasMessage(base + " answered HTTP 502: <html>bad gateway</html>")
        .satisfies(e -> assertThat(((ApiError) e).type()).isEqualTo(ApiError.Type.UNAVAILABLE));
    status = 200;
    body = "not json";
    assertThatThrownBy(() -> backend(10, 100).querier(0, 1000).labelNames(List.of()))
        .isInstanceOf(ApiError.class)
        .hasMessageStartingWith(base + " answered unreadable JSON");
  }

  @Test
  void selectWithOnlyEmptyMatchers_isRefusedAsByTheLocalStore() {
    assertThatThrownBy(
            () ->
                backend(10, 100)
                    .querier(0, 1000)
                    .select(SelectHints.range(0, 1000), LabelMatcher.equal("job", "")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(queries).isEmpty();
  }

  @Test
  void merge_oneSeriesPerLabelSet_localSampleWinsAtAnEqualTimestamp_seekWorks() {
    Labels both = Labels.of("__name__", "m", "s", "both");
    var local =
        List.<Series>of(
            new RemoteQueryable.ArraySeries(
                both, new long[] {10, 20, 30}, new double[] {1, 2, 3}, 3),
            new RemoteQueryable.ArraySeries(
                Labels.of("__name__", "m", "s", "local"), new long[] {5}, new double[] {5}, 1));
    var remote =
        List.<Series>of(
            new RemoteQueryable.ArraySeries(
                both, new long[] {15, 20, 40}, new double[] {15, 99, 40}, 3),
            new RemoteQueryable.ArraySeries(
                Labels.of("__name__", "m", "s", "remote"), new long[] {7}, new double[] {7}, 1));
    MergedQueryable m = new MergedQueryable((a, b) -> fixed(local), (a, b) -> fixed(remote));
    try (Querier q = m.querier(0, 100)) {
      assertThat(read(q.select(SelectHints.range(0, 100), LabelMatcher.equal("__name__", "m"))))
          .containsExactly(
              "m{s=\"both\"} 10=1.0 15=15.0 20=2.0 30=3.0 40=40.0",
              "m{s=\"local\"} 5=5.0",
              "m{s=\"remote\"} 7=7.0");
      SeriesSet set = q.select(SelectHints.range(0, 100), LabelMatcher.equal("s", "both"));
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator();
      assertThat(it.seek(16)).isTrue();
      assertThat(it.timestamp()).isEqualTo(20);
      assertThat(it.value()).isEqualTo(2.0);
      assertThat(it.seek(18)).isTrue(); // already there: stays
      assertThat(it.timestamp()).isEqualTo(20);
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).isEqualTo(30);
      assertThat(it.seek(41)).isFalse();
    }
  }

  @Test
  void merge_removesThisVigilsExternalLabelsFromTheBackendsSeries_soItsOwnCopyMergesWithTheLocal() {
    var local =
        List.<Series>of(
            new RemoteQueryable.ArraySeries(
                Labels.of("__name__", "m", "s", "a"), new long[] {10}, new double[] {1}, 1));
    var remote =
        List.<Series>of(
            new RemoteQueryable.ArraySeries(
                Labels.of("__name__", "m", "s", "a", "site", "lab"),
                new long[] {10, 20},
                new double[] {99, 2},
                2),
            new RemoteQueryable.ArraySeries(
                Labels.of("__name__", "m", "s", "a", "site", "other"),
                new long[] {10},
                new double[] {5},
                1));
    MergedQueryable m =
        new MergedQueryable((a, b) -> fixed(local), (a, b) -> fixed(remote), Map.of("site", "lab"));
    try (Querier q = m.querier(0, 100)) {
      assertThat(read(q.select(SelectHints.range(0, 100), LabelMatcher.equal("__name__", "m"))))
          .containsExactly("m{s=\"a\"} 10=1.0 20=2.0", "m{s=\"a\", site=\"other\"} 10=5.0");
    }
  }

  private static Querier fixed(List<Series> series) {
    return new Querier() {
      @Override
      public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
        return SeriesSet.of(
            series.stream()
                .filter(s -> matchers.stream().allMatch(mt -> mt.matches(s.labels())))
                .toList());
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        return List.of();
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        return List.of();
      }

      @Override
      public void close() {}
    };
  }
}
