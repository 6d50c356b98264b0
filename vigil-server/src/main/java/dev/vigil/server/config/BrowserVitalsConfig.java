package dev.vigil.server.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code browser_vitals} section: whether browsers may send web vitals to {@code POST
 * /api/v1/vitals}, from which origins, under which page names, how often (docs/api.md).
 *
 * <pre>{@code
 * browser_vitals:
 *   enabled: true
 *   allowed_origins: [https://shop.example.com]
 *   pages: [/, /products/:id, /docs/*]
 *   max_pages: 50
 *   max_marks: 20
 *   rate_limit: 60
 *   rate_burst: 20
 *   max_body_size: 16KB
 * }</pre>
 *
 * @param enabled whether the endpoint takes beacons (off by default: it is an unauthenticated write
 *     endpoint, so a user turns it on knowingly)
 * @param allowedOrigins origins ({@code scheme://host[:port]}) whose pages may send beacons besides
 *     Vigil's own; {@code *} allows any
 * @param pages route patterns that name pages ({@code :name} one segment, a final {@code *} the
 *     rest); empty: paths are normalised into templates, the first {@code maxPages} kept
 * @param maxPages the most page label values, {@code other} not counted
 * @param maxMarks the most {@code vigil.mark(name)} names, {@code other} not counted
 * @param ratePerMinute beacons per minute per client address, after the burst
 * @param rateBurst beacons a client address may send at once
 * @param maxBodyBytes the largest beacon accepted
 */
public record BrowserVitalsConfig(
    boolean enabled,
    List<String> allowedOrigins,
    List<String> pages,
    int maxPages,
    int maxMarks,
    int ratePerMinute,
    int rateBurst,
    long maxBodyBytes) {
  /* Bound twice, as AnomalyConfig: by ConfigLoader.bind for the errors (line, key), and by of()
   * from the configuration's text, so VigilConfig's record does not grow. */

  public static final BrowserVitalsConfig DEFAULTS =
      new BrowserVitalsConfig(false, List.of(), List.of(), 50, 20, 60, 20, 16 * 1024);

  private static final Pattern PAGE = Pattern.compile("/[A-Za-z0-9._~\\-/:*]{0,199}");

  public BrowserVitalsConfig {
    allowedOrigins = List.copyOf(allowedOrigins);
    pages = List.copyOf(pages);
  }

  /** The section of a loaded configuration. */
  public static BrowserVitalsConfig of(VigilConfig config) {
    if (config.text().isEmpty()) {
      return DEFAULTS;
    }
    ConfigNode root = YamlTree.parse(config.source(), config.text());
    return bind(new Section(root, "").section("browser_vitals"));
  }

  /**
   * Reads the {@code browser_vitals} section.
   *
   * @throws ConfigException naming the key and line of a bad value
   */
  static BrowserVitalsConfig bind(Section s) {
    BrowserVitalsConfig d = DEFAULTS;
    boolean enabled = s.bool("enabled", d.enabled());
    List<String> origins = new ArrayList<>();
    for (String o : s.strings("allowed_origins")) {
      origins.add(origin(s, o));
    }
    LinkedHashSet<String> pages = new LinkedHashSet<>();
    for (String p : s.strings("pages")) {
      if (!PAGE.matcher(p).matches()) {
        throw s.error(
            "pages",
            "\""
                + p
                + "\" is not a route pattern: a path starting with /, with :name for one segment"
                + " and a final * for the rest (letters, digits, . _ ~ - only)");
      }
      int star = p.indexOf('*');
      if (star >= 0 && (star != p.length() - 1 || !p.endsWith("/*"))) {
        throw s.error("pages", "\"" + p + "\": * may only be the last segment (/docs/*)");
      }
      pages.add(p);
    }
    int maxPages = (int) s.integer("max_pages", d.maxPages(), 1, 1000);
    if (pages.size() > maxPages) {
      throw s.error(
          "pages", pages.size() + " patterns but max_pages is " + maxPages + ": raise max_pages");
    }
    int maxMarks = (int) s.integer("max_marks", d.maxMarks(), 0, 1000);
    int rate = (int) s.integer("rate_limit", d.ratePerMinute(), 1, 1_000_000);
    int burst = (int) s.integer("rate_burst", d.rateBurst(), 1, 100_000);
    long body = s.bytes("max_body_size", d.maxBodyBytes());
    if (body < 256 || body > 1024 * 1024) {
      throw s.error("max_body_size", "must be between 256B and 1MiB, got " + body + " bytes");
    }
    s.finish();
    return new BrowserVitalsConfig(
        enabled, origins, List.copyOf(pages), maxPages, maxMarks, rate, burst, body);
  }

  /** The section as vigil.yml writes it, every key (for {@code /api/v1/status/config}). */
  java.util.Map<String, Object> plain() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("enabled", enabled);
    m.put("allowed_origins", allowedOrigins);
    m.put("pages", pages);
    m.put("max_pages", maxPages);
    m.put("max_marks", maxMarks);
    m.put("rate_limit", ratePerMinute);
    m.put("rate_burst", rateBurst);
    m.put("max_body_size", maxBodyBytes);
    return m;
  }

  private static String origin(Section s, String o) {
    if (o.equals("*")) {
      return o;
    }
    URI u;
    try {
      u = URI.create(o.trim());
    } catch (IllegalArgumentException e) {
      u = null;
    }
    if (u == null
        || u.getHost() == null
        || u.getScheme() == null
        || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
        || (u.getPath() != null && !u.getPath().isEmpty())
        || u.getQuery() != null
        || u.getUserInfo() != null) {
      throw s.error(
          "allowed_origins",
          "\"" + o + "\" is not an origin: scheme://host[:port] without a path, or *");
    }
    return u.getScheme()
        + "://"
        + u.getHost().toLowerCase(Locale.ROOT)
        + (u.getPort() >= 0 ? ":" + u.getPort() : "");
  }
}
