package dev.vigil.cli;

import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.model.Durations;
import dev.vigil.server.ReadyGate;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.demo.DemoApplications;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code vigil serve --demo [--demo-backfill 24h]}: wires {@link DemoApplications} to a Vigil. */
final class DemoMode {
  private DemoMode() {}

  /**
   * Recorders with the demo models' prices, so generations have a cost, and the {@code collect}
   * section's namespace and sampling.
   */
  static Recorders recorders(dev.vigil.server.config.CollectConfig collect) {
    return DemoApplications.recorders(collect.recorders(Recorders.builder()));
  }

  /**
   * {@code config} with DevLoop's SLOs ({@link DemoApplications#sloSpec()}, written to a temporary
   * file removed at exit) added to its {@code slo_files}, so the demo's SLO page has SLOs whose
   * budgets the demo's incident burns. A {@code /-/reload} reads the configuration file again and
   * drops them.
   */
  static VigilConfig withSlos(VigilConfig config) throws IOException {
    Path spec = Files.createTempFile("vigil-demo-slos-", ".yml");
    spec.toFile().deleteOnExit();
    Files.writeString(spec, DemoApplications.sloSpec());
    List<String> files = new ArrayList<>(config.sloFiles());
    files.add(spec.toString());
    return config.withSloFiles(files);
  }

  /**
   * Backfills when asked and then opens {@code backfilled} (if not null: the Vigil's {@code
   * /-/ready} waits for it), then runs the demo until the Vigil closes.
   */
  static void start(Vigil vigil, String backfill, ReadyGate backfilled, PrintWriter out)
      throws IOException {
    DemoApplications demo =
        new DemoApplications(vigil.recorders(), vigil.registry(), 42, System::currentTimeMillis);
    if (backfill != null) {
      Duration d = Durations.parseDuration(backfill);
      long t0 = System.nanoTime();
      long n =
          demo.backfill(
              vigil.storage(), d.toMillis() / 3_600_000.0, Vigil.SELF_JOB, "demo-backfill");
      out.printf(
          "  Demo:       backfilled %s of history (%,d samples) in %d ms%n",
          backfill, n, (System.nanoTime() - t0) / 1_000_000);
    }
    out.flush();
    if (backfilled != null) {
      backfilled.open();
    }
    demo.agentResources(vigil.threadGroups());
    boolean browsers = demo.browsers(vigil.config(), vigil.url());
    demo.start();
    vigil
        .scrapes()
        .addLocal(
            "demo",
            vigil.config().server().host() + ":" + vigil.port(),
            vigil.config().collect().interval(),
            demo::extraExposition);
    out.println(
        "  Demo:       simulated applications running (seed metrics: dinoair_*, devloop_*,"
            + " backend_*/ai_*/kernel_*, file_*, vibezen_*)");
    out.println(
        "  Demo:       DevLoop's SLOs per environment; production's agents have an incident for"
            + " an hour every 6 hours, the first under way now (SLOs page)");
    out.println(
        "  Demo:       incidents and recoveries (Health page); the agents' work runs on a pool"
            + " counted per agent (Agents page: CPU, allocation)");
    out.println(
        browsers
            ? "  Demo:       simulated browsers post web vitals to /api/v1/vitals (Browser page)"
            : "  Demo:       no simulated browsers: set browser_vitals.enabled: true (plain HTTP)"
                + " for the Browser page's demo data");
    out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "vigil-demo-stop"));
  }
}
