package dev.vigil.rules.template;

import dev.vigil.model.Labels;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Expands the label and annotation templates of alerting rules exactly as Prometheus 2.42 does:
 * {@code $labels}, {@code $value}, {@code $externalLabels}, {@code $externalURL} (and {@code
 * .Labels}, {@code .Value}, {@code .ExternalLabels}, {@code .ExternalURL}), Prometheus' template
 * functions, and a failed expansion reported in the text as {@code <error expanding template:
 * ...>}.
 *
 * <pre>{@code
 * Expander x = Expander.builder()
 *     .externalUrl("http://vigil:9090")
 *     .queryFunction((expr, t) -> ...)
 *     .build();
 * String s = x.expandAlert("HighLatency", "{{ $labels.job }} at {{ humanize $value }}",
 *     Labels.of("job", "api"), 1234.5, evalTimeMs);   // "api at 1.234k"
 * }</pre>
 *
 * <p>Immutable and thread-safe; templates are parsed once and cached ({@link Templates}).
 */
public final class Expander {
  private final GoValue.StrMap externalLabels;
  private final String externalUrl;
  private final String pathPrefix;
  private final QueryFunction queryFunction;

  private Expander(Builder b) {
    this.externalLabels = new GoValue.StrMap(new LabelsMap(b.externalLabels));
    this.externalUrl = b.externalUrl;
    this.pathPrefix = pathOf(b.externalUrl);
    this.queryFunction = b.queryFunction;
  }

  private static String pathOf(String url) {
    if (url.isEmpty()) {
      return "";
    }
    try {
      String p = URI.create(url).getPath();
      return p == null ? "" : p;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The data of one alert at one evaluation, for expanding several templates. */
  public final class Alert {
    private final String alertName;
    private final GoValue.AlertData data;
    private final Exec.Context ctx;

    private Alert(String alertName, Labels labels, double value, long evalTimeMs) {
      this.alertName = alertName;
      this.data =
          new GoValue.AlertData(
              new GoValue.StrMap(new LabelsMap(labels)), externalLabels, externalUrl, value);
      this.ctx = new Exec.Context(queryFunction, evalTimeMs, externalUrl, pathPrefix);
    }

    /** Expands one template; a failure becomes {@code <error expanding template: ...>}. */
    public String expand(String text) {
      try {
        return tryExpand(text);
      } catch (TemplateException e) {
        return "<error expanding template: " + e.getMessage() + ">";
      }
    }

    /**
     * Expands one template.
     *
     * @throws TemplateException with Prometheus' message ({@code error parsing template __alert_X:
     *     ...} or {@code error executing template __alert_X: ...})
     */
    public String tryExpand(String text) throws TemplateException {
      CompiledTemplate t;
      try {
        t = Templates.alert(alertName, text);
      } catch (TemplateException e) {
        throw new TemplateException(
            "error parsing template "
                + Templates.alertTemplateName(alertName)
                + ": "
                + e.getMessage());
      }
      try {
        return t.execute(data, ctx);
      } catch (TemplateException e) {
        throw new TemplateException("error executing template " + t.name() + ": " + e.getMessage());
      } catch (RuntimeException | StackOverflowError e) {
        // A defect here must not stop rule evaluation: reported as Prometheus reports a panic.
        throw new TemplateException("panic expanding template " + t.name() + ": " + e);
      }
    }
  }

  /** The data of alert {@code alertName} with these labels and value at {@code evalTimeMs}. */
  public Alert alert(String alertName, Labels labels, double value, long evalTimeMs) {
    return new Alert(
        Objects.requireNonNull(alertName, "alertName"),
        Objects.requireNonNull(labels, "labels"),
        value,
        evalTimeMs);
  }

  /** Expands one template of one alert; see {@link Alert#expand(String)}. */
  public String expandAlert(
      String alertName, String text, Labels labels, double value, long evalTimeMs) {
    return alert(alertName, labels, value, evalTimeMs).expand(text);
  }

  /** Expands every template of a map (labels or annotations) of one alert, keeping the keys. */
  public Map<String, String> expandAll(
      String alertName,
      Map<String, String> templates,
      Labels labels,
      double value,
      long evalTimeMs) {
    Alert a = alert(alertName, labels, value, evalTimeMs);
    java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
    templates.forEach((k, v) -> out.put(k, a.expand(v)));
    return out;
  }

  /** Builder; every setting is optional. */
  public static final class Builder {
    private Labels externalLabels = Labels.EMPTY;
    private String externalUrl = "";
    private QueryFunction queryFunction;

    private Builder() {}

    /** The {@code external_labels} of the global configuration ({@code $externalLabels}). */
    public Builder externalLabels(Labels labels) {
      this.externalLabels = Objects.requireNonNull(labels, "labels");
      return this;
    }

    /**
     * The external URL ({@code $externalURL}, {@code externalURL}, {@code pathPrefix}); trailing
     * slashes are dropped as Prometheus drops them from {@code --web.external-url}.
     */
    public Builder externalUrl(String url) {
      this.externalUrl = withoutTrailingSlashes(Objects.requireNonNull(url, "url"));
      return this;
    }

    /** As Prometheus computes its external URL: the path loses its trailing slashes. */
    private static String withoutTrailingSlashes(String url) {
      String s = url;
      while (s.endsWith("/") && !s.endsWith("://")) {
        s = s.substring(0, s.length() - 1);
      }
      return s;
    }

    /** What {@code query} runs; without one, {@code query} fails with an error. */
    public Builder queryFunction(QueryFunction f) {
      this.queryFunction = f;
      return this;
    }

    public Expander build() {
      return new Expander(this);
    }
  }
}
