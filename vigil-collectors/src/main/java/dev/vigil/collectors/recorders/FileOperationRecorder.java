package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * File operations (Dream.OS): counters by operation and status, duration and size histograms, queue
 * length, and a JSON event line per operation when an events log is configured; files watched and
 * changed (DevLoop).
 */
final class FileOperationRecorder {
  /** Operations that are directory operations in the events log. */
  static final List<String> DIR_OPERATIONS = List.of("create", "delete", "list");

  static final Buckets DURATION = Buckets.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5);
  static final Buckets SIZE = Buckets.exponential(1024, 4, 11); // 1 KiB .. 1 GiB

  private static final Pattern OPERATION = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  final Counter operations;
  final Histogram duration;
  final Histogram size;
  final Gauge queue;
  final Gauge watched;
  final Counter changed;
  private final FileEventLog events;
  private final LongSupplier clockMillis;
  private final Sampler sampler;

  FileOperationRecorder(Names n, FileEventLog events, LongSupplier clockMillis, Sampler sampler) {
    this.sampler = sampler;
    this.events = events;
    this.clockMillis = clockMillis;
    operations =
        Counter.builder()
            .name(n.of("file_operations_total"))
            .help("File operations by operation and status (success or failure).")
            .labelNames("operation", "status")
            .build();
    duration =
        Histogram.builder()
            .name(n.of("file_operation_duration_seconds"))
            .help("File operation duration.")
            .labelNames("operation")
            .buckets(DURATION)
            .build();
    size =
        Histogram.builder()
            .name(n.of("file_size_bytes"))
            .help("Bytes read or written per file operation.")
            .labelNames("operation")
            .buckets(SIZE)
            .build();
    queue =
        Gauge.builder()
            .name(n.of("file_operation_queue_length"))
            .help("File operations waiting to run.")
            .build();
    watched =
        Gauge.builder()
            .name(n.of("files_watched"))
            .help("Files the application watches for changes (DevLoop's files_watched).")
            .build();
    changed =
        Counter.builder()
            .name(n.of("files_changed_total"))
            .help("File changes the application saw (DevLoop's files_changed_total).")
            .build();
  }

  /** One operation's children, found with one hash lookup. */
  private record Op(
      Counter.Child success,
      Counter.Child failure,
      Histogram.Child duration,
      Histogram.Child size,
      boolean dir) {}

  private final ChildCache<Op> ops = new ChildCache<>(this::newOp);

  private Op newOp(String operation) {
    boolean dir = DIR_OPERATIONS.contains(operation);
    return new Op(
        operations.labelValues(operation, "success"),
        operations.labelValues(operation, "failure"),
        duration.labelValues(operation),
        dir ? null : size.labelValues(operation),
        dir);
  }

  List<Metric> metrics() {
    return List.of(operations, duration, size, queue, watched, changed);
  }

  void record(
      String operation, String path, long bytes, double seconds, boolean success, String error) {
    final String m = "recordFileOperation";
    Check.label(m, "operation", operation);
    if (!OPERATION.matcher(operation).matches()) {
      throw new IllegalArgumentException(
          m
              + ": operation '"
              + operation
              + "' must match [a-z][a-z0-9_]{0,31} (e.g. read, write, create, delete, list)");
    }
    Check.seconds(m, "seconds", seconds);
    if (bytes < -1) {
      throw new IllegalArgumentException(m + ": bytes must be >= 0 (or -1: unknown), got " + bytes);
    }
    Op op = ops.get(operation);
    (success ? op.success : op.failure).inc();
    op.duration.observe(seconds);
    if (bytes >= 0 && !op.dir) {
      op.size.observe(bytes);
    }
    if (events != null && path != null && sampler.sample()) {
      String normalized = FilePaths.normalize(path);
      boolean dir = DIR_OPERATIONS.contains(operation);
      String event =
          dir
              ? "dir_operation"
              : switch (operation) {
                case "read" -> "file_read";
                case "write" -> "file_write";
                default -> "file_" + operation;
              };
      events.append(
          event,
          normalized,
          dir ? operation : null,
          dir ? -1 : bytes,
          success,
          error,
          clockMillis.getAsLong());
    }
  }

  void filesWatched(long n) {
    watched.set(Check.count("setFilesWatched", "files", n));
  }

  void filesChanged(long n) {
    changed.inc(Check.count("recordFilesChanged", "files", n));
  }

  void queueLength(long n) {
    Check.count("setFileOperationQueueLength", "length", n);
    queue.set(n);
  }
}
