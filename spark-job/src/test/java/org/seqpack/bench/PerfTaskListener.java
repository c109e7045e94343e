package org.seqpack.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Sums Spark's task metrics over the run (installed with {@code spark.extraListeners}): task CPU
 * time is the executor thread's CPU clock, so it is not inflated by other processes, unlike the
 * job's own per-stage timers.
 */
public final class PerfTaskListener extends SparkListener {
  static final AtomicLong TASKS = new AtomicLong();
  static final AtomicLong CPU_NANOS = new AtomicLong();
  static final AtomicLong RUN_MILLIS = new AtomicLong();
  static final AtomicLong GC_MILLIS = new AtomicLong();
  static final AtomicLong DESERIALIZE_CPU_NANOS = new AtomicLong();
  static final AtomicLong INPUT_BYTES = new AtomicLong();

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    TaskMetrics metrics = taskEnd.taskMetrics();
    if (metrics == null) {
      return;
    }
    TASKS.incrementAndGet();
    CPU_NANOS.addAndGet(metrics.executorCpuTime());
    RUN_MILLIS.addAndGet(metrics.executorRunTime());
    GC_MILLIS.addAndGet(metrics.jvmGCTime());
    DESERIALIZE_CPU_NANOS.addAndGet(metrics.executorDeserializeCpuTime());
    INPUT_BYTES.addAndGet(metrics.inputMetrics().bytesRead());
  }
}
