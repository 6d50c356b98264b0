package dev.vigil.server.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.Appendable;
import dev.vigil.model.Durations;
import dev.vigil.promql.Engine;
import dev.vigil.rules.RuleFile;
import dev.vigil.rules.anomaly.AnomalyDetector;
import dev.vigil.rules.anomaly.AnomalyMark;
import dev.vigil.rules.anomaly.AnomalyOptions;
import dev.vigil.server.config.AnomalyConfig;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's anomaly detection: the marks of {@code vigil.yml} and of the API (persisted in
 * {@code <storage.path>/anomaly/marks.json}), the detector evaluating them every {@code
 * global.evaluation_interval}, and its state saved in {@code <storage.path>/anomaly/state.bin}.
 *
 * <p>Thread-safe: mark changes are serialized; the detector serializes evaluations.
 */
public final class AnomalyService implements AutoCloseable {
  /** How often the detector's state is saved besides at close. */
  static final Duration SAVE_INTERVAL = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(AnomalyService.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARKS_FILE = "marks.json";

  private final AnomalyDetector detector;
  private final Path dir;
  private final LongSupplier clock;
  private final Runnable rulesChanged;
  private final ScheduledExecutorService timer;
  private ScheduledFuture<?> evaluations;
  private long lastSave;
  private volatile AnomalyConfig config;

  /** Guarded by this. */
  private final Map<String, AnomalyMark> apiMarks = new LinkedHashMap<>();

  /**
   * Opens the service: reads the API marks and the saved state from {@code dir}.
   *
   * @param rulesChanged called after the API added or removed a mark that asks for an alert (the
   *     server reloads its rules with {@link #generatedRules()})
   */
  public AnomalyService(
      AnomalyConfig config,
      Engine engine,
      Appendable appendable,
      Path dir,
      LongSupplier clock,
      Runnable rulesChanged) {
    this.config = config;
    this.dir = dir;
    this.clock = clock;
    this.rulesChanged = rulesChanged;
    this.detector =
        AnomalyDetector.builder(engine, appendable)
            .maxSeries(config.maxSeries())
            .stateDir(dir)
            .build();
    readMarks();
    detector.update(all());
    int restored = detector.load();
    if (restored > 0) {
      LOG.info("anomaly: restored the state of {} series from {}", restored, dir);
    }
    lastSave = clock.getAsLong();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-anomaly");
              t.setDaemon(true);
              return t;
            });
  }

  /** Evaluates every {@code interval} from now on (again: replaces the previous schedule). */
  public synchronized void start(Duration interval) {
    if (evaluations != null) {
      evaluations.cancel(false);
    }
    long ms = interval.toMillis();
    evaluations = timer.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One scheduled evaluation at the clock's time, and a save when one is due (tests call it). */
  void tick() {
    try {
      long now = clock.getAsLong();
      detector.evaluateAt(now);
      if (now - lastSave >= SAVE_INTERVAL.toMillis()) {
        lastSave = now;
        detector.save();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("anomaly: evaluation failed", e);
    }
  }

  /** The detector (tests drive it with {@link AnomalyDetector#evaluateAt}). */
  public AnomalyDetector detector() {
    return detector;
  }

  /** The configuration's section in force. */
  public AnomalyConfig config() {
    return config;
  }

  /** Applies a reloaded {@code anomaly} section ({@code max_series} needs a restart). */
  public synchronized void reload(AnomalyConfig next) {
    if (next.maxSeries() != config.maxSeries()) {
      LOG.warn("reload: anomaly.max_series changes only at restart; kept as it was");
    }
    for (AnomalyMark m : next.marks()) {
      if (apiMarks.remove(m.name()) != null) {
        LOG.warn(
            "anomaly: vigil.yml now defines mark {}; the one made from a chart is removed",
            m.name());
        writeMarksQuietly();
      }
    }
    config = next;
    detector.update(all());
  }

  /** Every mark in force: vigil.yml's, then the API's. */
  public synchronized List<AnomalyMark> all() {
    List<AnomalyMark> out = new ArrayList<>(config.marks());
    out.addAll(apiMarks.values());
    return out;
  }

  /** The alerting rules of the marks that ask for one. */
  public List<RuleFile> generatedRules() {
    return AnomalyDetector.generatedRules(all());
  }

  /**
   * Adds a mark from the API.
   *
   * @param name null for a name made from the expression
   * @param threshold null for the default
   * @throws IllegalArgumentException naming the problem: bad name or expression, a name in use, or
   *     the {@code anomaly.max_marks} limit reached
   */
  public AnomalyMark add(
      String name, String expr, Double threshold, boolean alert, Duration alertFor) {
    AnomalyMark m;
    synchronized (this) {
      if (apiMarks.size() >= config.maxMarks()) {
        throw new IllegalArgumentException(
            "too many marks: anomaly.max_marks is "
                + config.maxMarks()
                + " and "
                + apiMarks.size()
                + " are made; remove one first");
      }
      String n = name == null || name.isBlank() ? nameFor(expr) : name;
      AnomalyOptions d = AnomalyOptions.DEFAULT;
      AnomalyOptions opts =
          threshold == null ? d : new AnomalyOptions(d.step(), d.weeks(), threshold, d.window());
      m =
          AnomalyMark.of(
              n,
              expr,
              opts,
              alert,
              alertFor == null ? AnomalyMark.DEFAULT_FOR : alertFor,
              AnomalyMark.Source.API);
      for (AnomalyMark c : config.marks()) {
        if (c.name().equals(n)) {
          throw new IllegalArgumentException("name \"" + n + "\" is a mark of vigil.yml");
        }
      }
      if (apiMarks.containsKey(n)) {
        throw new IllegalArgumentException("name \"" + n + "\" is already marked");
      }
      apiMarks.put(n, m);
      try {
        writeMarks();
      } catch (IOException e) {
        apiMarks.remove(n);
        throw new java.io.UncheckedIOException("cannot save the marks in " + dir + ": " + e, e);
      }
      detector.update(all());
    }
    if (alert) {
      rulesChanged.run();
    }
    return m;
  }

  /**
   * Removes a mark made through the API.
   *
   * @return false when there is no such API mark
   * @throws IllegalArgumentException when the mark is one of vigil.yml
   */
  public boolean remove(String name) {
    AnomalyMark m;
    synchronized (this) {
      for (AnomalyMark c : config.marks()) {
        if (c.name().equals(name)) {
          throw new IllegalArgumentException(
              "mark \"" + name + "\" is defined in vigil.yml: remove it there and reload");
        }
      }
      m = apiMarks.remove(name);
      if (m == null) {
        return false;
      }
      writeMarksQuietly();
      detector.update(all());
    }
    if (m.alert()) {
      rulesChanged.run();
    }
    return true;
  }

  /** A stable name for an expression: {@code chart_} and 8 hex digits of its hash. */
  static String nameFor(String expr) {
    byte[] b = (expr == null ? "" : expr.strip()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long h = dev.vigil.model.XxHash64.hash(b, 0, b.length);
    return "chart_" + HexFormat.of().toHexDigits(h).substring(0, 8);
  }

  private void readMarks() {
    Path f = dir.resolve(MARKS_FILE);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(f));
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      LOG.warn(
          "anomaly: cannot read the marks in {} ({}); starting without them", f, e.getMessage());
      return;
    }
    for (JsonNode n : root.path("marks")) {
      try {
        AnomalyOptions d = AnomalyOptions.DEFAULT;
        AnomalyMark m =
            AnomalyMark.of(
                n.path("name").asText(),
                n.path("expr").asText(),
                new AnomalyOptions(
                    d.step(), d.weeks(), n.path("threshold").asDouble(d.threshold()), d.window()),
                n.path("alert").asBoolean(false),
                Durations.parseDuration(n.path("for").asText("2m")),
                AnomalyMark.Source.API);
        if (apiMarks.size() < config.maxMarks()
            && config.marks().stream().noneMatch(c -> c.name().equals(m.name()))) {
          apiMarks.put(m.name(), m);
        }
      } catch (IllegalArgumentException e) {
        LOG.warn("anomaly: a mark in {} is skipped: {}", f, e.getMessage());
      }
    }
  }

  private void writeMarks() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode arr = root.putArray("marks");
    for (AnomalyMark m : apiMarks.values()) {
      ObjectNode o = arr.addObject();
      o.put("name", m.name());
      o.put("expr", m.expr());
      o.put("threshold", m.options().threshold());
      o.put("alert", m.alert());
      o.put("for", Durations.formatDuration(m.alertFor()));
    }
    Files.createDirectories(dir);
    Path tmp = dir.resolve(MARKS_FILE + ".tmp");
    Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    try {
      Files.move(
          tmp,
          dir.resolve(MARKS_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(MARKS_FILE), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void writeMarksQuietly() {
    try {
      writeMarks();
    } catch (IOException e) {
      LOG.warn("anomaly: cannot save the marks in {}: {}", dir, e.getMessage());
    }
  }

  /** Stops evaluating and saves the state. */
  @Override
  public synchronized void close() {
    timer.shutdown(); // a running evaluation finishes; no further one starts
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      detector.save();
    } catch (IOException e) {
      LOG.warn("anomaly: cannot save the detector's state in {}: {}", dir, e.getMessage());
    }
  }
}
