package dev.vigil.server.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The credentials a client section sends, as Prometheus writes them in a scrape job, an
 * Alertmanager or a remote write queue: {@code basic_auth} (password or password_file) or {@code
 * authorization} (Bearer, credentials or credentials_file), never both; files read once, here.
 *
 * @param basic the basic_auth section, or null
 * @param bearer the Bearer credentials, or null
 * @param bearerFile the resolved credentials_file the bearer came from, or null
 */
record ClientAuth(ScrapeConfig.BasicAuth basic, String bearer, String bearerFile) {

  /**
   * Binds {@code basic_auth} and {@code authorization} of {@code s}.
   *
   * @param credentialsRequired whether an authorization section without credentials is refused (a
   *     scrape job's may carry none, as Prometheus allows)
   */
  static ClientAuth bind(Section s, Path baseDir, boolean credentialsRequired) {
    ScrapeConfig.BasicAuth basic = null;
    if (s.has("basic_auth")) {
      Section b = s.section("basic_auth");
      String user = b.string("username", "");
      String pass = b.string("password", null);
      String passFile = b.string("password_file", null);
      if (pass != null && passFile != null) {
        throw b.error("password_file", "set either password or password_file, not both");
      }
      String passPath = null;
      if (passFile != null) {
        passPath = ScrapeConfig.resolve(b, "password_file", baseDir, passFile).toString();
        pass = ScrapeConfig.readSecret(b, "password_file", baseDir, passFile);
      }
      b.finish();
      basic = new ScrapeConfig.BasicAuth(user, pass == null ? "" : pass, passPath);
    } else {
      s.section("basic_auth");
    }
    String bearer = null;
    String bearerFile = null;
    if (s.has("authorization")) {
      Section a = s.section("authorization");
      String type = a.string("type", "Bearer");
      if (!type.equalsIgnoreCase("Bearer")) {
        throw a.error("type", "only Bearer is supported, got \"" + type + "\"");
      }
      bearer = a.string("credentials", null);
      String credFile = a.string("credentials_file", null);
      if (bearer != null && credFile != null) {
        throw a.error("credentials_file", "set either credentials or credentials_file, not both");
      }
      if (credFile != null) {
        bearerFile = ScrapeConfig.resolve(a, "credentials_file", baseDir, credFile).toString();
        bearer = ScrapeConfig.readSecret(a, "credentials_file", baseDir, credFile);
      }
      if (bearer == null && credentialsRequired) {
        throw a.error("credentials", "required (or credentials_file)");
      }
      a.finish();
    } else {
      s.section("authorization");
    }
    if (basic != null && bearer != null) {
      throw s.error("authorization", "set either basic_auth or authorization, not both");
    }
    return new ClientAuth(basic, bearer, bearerFile);
  }

  /** The {@code Authorization} header value for these credentials, or null. */
  static String header(ScrapeConfig.BasicAuth basic, String bearer) {
    if (basic != null) {
      String up = basic.username() + ":" + basic.password();
      return "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
    }
    return bearer == null ? null : "Bearer " + bearer;
  }

  /**
   * Binds {@code headers} of {@code s}, refusing any (case-insensitive) in {@code reserved}.
   *
   * @param setBy who sets the reserved ones, for the message: "the push itself"
   */
  static Map<String, String> headers(Section s, Set<String> reserved, String setBy) {
    Map<String, String> headers = s.stringMap("headers");
    for (String h : headers.keySet()) {
      if (reserved.contains(h.toLowerCase(Locale.ROOT))) {
        throw s.error(
            "headers",
            "\""
                + h
                + "\" is set by "
                + setBy
                + " and cannot be overridden (use basic_auth or authorization for credentials)");
      }
    }
    return headers;
  }

  /** Binds {@code tls_config} of {@code s}, allowed only with an https url; null when absent. */
  static ScrapeTlsConfig tls(Section s, String scheme, Path baseDir) {
    if (!s.has("tls_config")) {
      s.section("tls_config");
      return null;
    }
    if (!scheme.equals("https")) {
      throw s.error("tls_config", "set for an http:// url: use https:// or remove tls_config");
    }
    return ScrapeTlsConfig.bind(s.section("tls_config"), baseDir);
  }
}
