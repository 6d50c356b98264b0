package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import java.util.List;

/** Workflow executions: by status, duration, and steps completed against steps planned. */
final class WorkflowRecorder {
  static final Buckets BUCKETS =
      Buckets.of(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600);

  final Counter executions;
  final Histogram duration;
  final Counter stepsCompleted;
  final Counter stepsPlanned;

  WorkflowRecorder(Names n) {
    executions =
        Counter.builder()
            .name(n.of("workflow_executions_total"))
            .help("Workflow executions by workflow and status (success or failure).")
            .labelNames("workflow", "status")
            .build();
    duration =
        Histogram.builder()
            .name(n.of("workflow_duration_seconds"))
            .help("Workflow execution duration.")
            .labelNames("workflow")
            .buckets(BUCKETS)
            .build();
    stepsCompleted =
        Counter.builder()
            .name(n.of("workflow_steps_completed_total"))
            .help("Workflow steps completed.")
            .labelNames("workflow")
            .build();
    stepsPlanned =
        Counter.builder()
            .name(n.of("workflow_steps_planned_total"))
            .help("Workflow steps planned (completion ratio: completed / planned).")
            .labelNames("workflow")
            .build();
  }

  List<Metric> metrics() {
    return List.of(executions, duration, stepsCompleted, stepsPlanned);
  }

  void record(String name, double seconds, boolean success, int completed, int total) {
    final String m = "recordWorkflowExecution";
    Check.label(m, "name", name);
    Check.seconds(m, "seconds", seconds);
    Check.count(m, "stepsCompleted", completed);
    Check.count(m, "totalSteps", total);
    if (completed > total) {
      throw new IllegalArgumentException(
          m + ": stepsCompleted (" + completed + ") exceeds totalSteps (" + total + ")");
    }
    Children c = children.get(name);
    (success ? c.success : c.failure).inc();
    c.duration.observe(seconds);
    if (completed > 0) {
      c.completed.inc(completed);
    }
    if (total > 0) {
      c.planned.inc(total);
    }
  }

  /** One workflow's children. */
  private record Children(
      Counter.Child success,
      Counter.Child failure,
      Histogram.Child duration,
      Counter.Child completed,
      Counter.Child planned) {}

  private final ChildCache<Children> children = new ChildCache<>(this::newChildren);

  private Children newChildren(String name) {
    return new Children(
        executions.labelValues(name, "success"),
        executions.labelValues(name, "failure"),
        duration.labelValues(name),
        stepsCompleted.labelValues(name),
        stepsPlanned.labelValues(name));
  }
}
