package dev.vigil.cli;

import dev.vigil.promql.Engine;
import dev.vigil.report.ReportDefinition;
import dev.vigil.report.ReportException;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.ReportLibrary;
import dev.vigil.report.ReportRunner;
import dev.vigil.tsdb.StoreInUseException;
import dev.vigil.tsdb.Tsdb;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil report NAME --format pdf --output FILE [--url URL | --storage.path DIR]}: one report
 * (built-in or a definition in {@code --reports.folder}), from a running server's {@code
 * /api/metrics/report} or from a data directory that no server holds.
 *
 * <pre>{@code
 * ./vigil report weekly_summary --format pdf --output weekly.pdf --url http://127.0.0.1:9470
 * ./vigil report cost --format md --output - --storage.path data --range 30d
 * ./vigil report --list --reports.folder reports
 * }</pre>
 *
 * <p>Exit code 0; 1 when the report cannot be made (the message says why); 2 for bad usage.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Render a report (system_performance, weekly_summary, cost, quality_trends, or a"
          + " definition in --reports.folder) as Markdown, HTML, PDF or JSON.",
      "From a running server (--url) or from a data directory no server holds (--storage.path)."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The report.")
  String name;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "pdf",
      description = "md, html, pdf or json (default ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      defaultValue = "-",
      description = "Where to write it; - for stdout (default).")
  String output;

  static final class Source {
    @Option(names = "--url", paramLabel = "URL", description = "A running Vigil server.")
    String url;

    @Option(
        names = "--storage.path",
        paramLabel = "DIR",
        description = "A data directory (not one a running server holds).")
    Path storage;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Source source;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Bearer token for --url (default: $VIGIL_TOKEN).")
  String token;

  @Option(
      names = "--range",
      paramLabel = "DURATION",
      description = "The range up to now, e.g. 24h or 7d (default: the report's).")
  String range;

  @Option(
      names = "--reports.folder",
      paramLabel = "DIR",
      description = "Custom definitions (*.yml) for --storage.path and --list.")
  Path folder;

  @Option(
      names = "--namespace",
      paramLabel = "PREFIX",
      defaultValue = "app_",
      description = "The recorders' metric prefix {ns} stands for (default ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--end",
      paramLabel = "TIME",
      description = "For --storage.path: where the range ends, RFC 3339 (default: now).")
  String end;

  @Option(names = "--list", description = "List the reports and exit.")
  boolean list;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    try {
      ReportLibrary library = ReportLibrary.of(folder);
      if (list) {
        PrintWriter out = spec.commandLine().getOut();
        for (String n : library.names()) {
          out.println(n + "\t" + library.get(n).title());
        }
        out.flush();
        return 0;
      }
      if (name == null) {
        err.println("vigil report: give a report NAME (vigil report --list shows them)");
        return 2;
      }
      ReportFormat f = ReportFormat.parse(format);
      Duration r = range == null ? null : ReportDefinition.parseDuration(range);
      byte[] body;
      if (source != null && source.url != null) {
        body = fromServer(f, r);
      } else if (source != null && source.storage != null) {
        body = fromStorage(library, f, r);
      } else {
        err.println("vigil report: give --url URL (a running server) or --storage.path DIR");
        return 2;
      }
      write(body);
      return 0;
    } catch (ReportException | IllegalArgumentException e) {
      err.println("vigil report: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  private byte[] fromServer(ReportFormat f, Duration r) throws IOException, InterruptedException {
    String base =
        source.url.endsWith("/") ? source.url.substring(0, source.url.length() - 1) : source.url;
    StringBuilder q = new StringBuilder(base).append("/api/metrics/report?type=");
    q.append(URLEncoder.encode(name, StandardCharsets.UTF_8));
    q.append("&format=").append(f.extension());
    if (r != null) {
      q.append("&timeframe=").append(r.toSeconds() / 3600.0);
    }
    HttpRequest.Builder req;
    try {
      req = HttpRequest.newBuilder(URI.create(q.toString())).timeout(Duration.ofMinutes(5));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid --url " + source.url + ": " + e.getMessage());
    }
    String t = token != null ? token : System.getenv("VIGIL_TOKEN");
    if (t != null && !t.isEmpty()) {
      req.header("Authorization", "Bearer " + t);
    }
    HttpResponse<byte[]> resp;
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      resp = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot connect to " + base + ": is the server running?", e);
    }
    if (resp.statusCode() != 200) {
      String text = new String(resp.body(), StandardCharsets.UTF_8);
      try {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        if (node != null && node.has("error")) {
          text = node.get("error").asText();
        }
      } catch (IOException notJson) {
        // Not the server's error envelope: show it as it came.
      }
      throw new IOException(base + " answered " + resp.statusCode() + ": " + text);
    }
    return resp.body();
  }

  private byte[] fromStorage(ReportLibrary library, ReportFormat f, Duration r) throws IOException {
    if (!Files.isDirectory(source.storage)) {
      throw new IOException(source.storage + " is not a directory");
    }
    try (Tsdb db =
        Tsdb.builder(source.storage)
            .backgroundInterval(Duration.ZERO)
            .log(m -> System.err.println("vigil-tsdb: " + m))
            .open()) {
      Engine engine = Engine.builder(db).build();
      ReportRunner runner = new ReportRunner(() -> engine, namespace);
      Instant at;
      try {
        at = end == null ? Instant.now() : Instant.parse(end);
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            "invalid --end \"" + end + "\": expected RFC 3339, e.g. 2026-03-02T08:00:00Z");
      }
      return f.render(runner.run(library.get(name), r, at));
    } catch (StoreInUseException e) {
      throw new IOException(
          e.dir() + " is in use by a running Vigil server: use --url to ask it instead", e);
    }
  }

  private void write(byte[] body) throws IOException {
    if (output.equals("-")) {
      OutputStream out = System.out;
      out.write(body);
      out.flush();
      return;
    }
    Path p = Path.of(output);
    // Written beside and moved into place (with the umask's permissions): never half a report.
    Path tmp = p.toAbsolutePath().resolveSibling("." + p.getFileName() + ".tmp");
    try {
      Files.write(tmp, body);
      Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
