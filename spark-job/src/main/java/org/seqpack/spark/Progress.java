package org.seqpack.spark;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.seqpack.core.ProgressLine;
import scala.Tuple4;
import scala.collection.Iterator;

/**
 * The driver's progress lines, from executor metrics only: the run's document and token
 * accumulators (finished tasks' totals on the driver, running tasks' partial values from their
 * heartbeats) and the input bytes read, against the input's size for the ETA. Printed every few
 * seconds on a terminal, every 30 s otherwise (a scheduler's log), and once more at the end.
 */
final class Progress extends SparkListener implements AutoCloseable {
  static final String DOCUMENTS = "seqpack.documents";
  static final String TOKENS = "seqpack.tokens";
  private static final String BYTES_READ = "internal.metrics.input.bytesRead";

  /**
   * What the lines count against.
   *
   * @param documents the run's document accumulator (named {@link #DOCUMENTS})
   * @param tokens the run's token accumulator (named {@link #TOKENS})
   * @param partitions the partitions of the job's last stage
   * @param inputBytes the input's size on storage, for the ETA
   */
  record Job(LongAccumulator documents, LongAccumulator tokens, int partitions, long inputBytes) {}

  private final SparkContext context;
  private final Job job;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicLong bytesReadByFinished = new AtomicLong();
  private final Map<Long, long[]> running = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "seqpack-progress");
            thread.setDaemon(true);
            return thread;
          });
  private volatile int resultStage = -1;

  private Progress(SparkContext context, Job job, PrintStream out) {
    this.context = context;
    this.job = job;
    this.out = out;
  }

  /** Starts reporting {@code job}, about to run on {@code context}, to {@code out}. */
  static Progress start(SparkContext context, Job job, PrintStream out) {
    Progress progress = new Progress(context, job, out);
    context.addSparkListener(progress);
    long seconds = System.console() != null ? 5 : 30;
    progress.timer.scheduleAtFixedRate(progress::print, seconds, seconds, TimeUnit.SECONDS);
    return progress;
  }

  /** The line now. */
  String line() {
    long runningDocuments = 0;
    long runningTokens = 0;
    long runningBytes = 0;
    for (long[] values : running.values()) {
      runningDocuments += values[0];
      runningTokens += values[1];
      runningBytes += values[2];
    }
    long read = bytesReadByFinished.get() + runningBytes;
    return ProgressLine.format(
        done.get(),
        job.partitions(),
        job.documents().value() + runningDocuments,
        job.tokens().value() + runningTokens,
        (System.nanoTime() - start) / 1e9,
        job.inputBytes() > 0 ? Math.min(1.0, (double) read / job.inputBytes()) : 0);
  }

  private void print() {
    out.println(line());
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    int last = -1;
    for (Iterator<Object> stages = job.stageIds().iterator(); stages.hasNext(); ) {
      last = Math.max(last, (Integer) stages.next());
    }
    resultStage = last;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd task) {
    running.remove(task.taskInfo().taskId());
    if (task.taskMetrics() != null) {
      bytesReadByFinished.addAndGet(task.taskMetrics().inputMetrics().bytesRead());
    }
    if (task.stageId() == resultStage && task.taskInfo().successful()) {
      done.incrementAndGet();
    }
  }

  /** Running tasks' partial counts, as their heartbeats carry them. */
  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    // Wildcards: the Seq type differs between Scala 2.12 and 2.13; both are Iterables.
    for (Iterator<? extends Tuple4<?, ?, ?, ? extends scala.collection.Iterable<AccumulableInfo>>>
            tasks = update.accumUpdates().iterator();
        tasks.hasNext(); ) {
      Tuple4<?, ?, ?, ? extends scala.collection.Iterable<AccumulableInfo>> task = tasks.next();
      long[] values = new long[3];
      for (Iterator<AccumulableInfo> infos = task._4().iterator(); infos.hasNext(); ) {
        AccumulableInfo info = infos.next();
        if (info.name().isEmpty() || info.update().isEmpty()) {
          continue;
        }
        String name = info.name().get();
        Object value = info.update().get();
        int slot =
            name.equals(DOCUMENTS) ? 0 : name.equals(TOKENS) ? 1 : name.equals(BYTES_READ) ? 2 : -1;
        if (slot >= 0 && value instanceof Number number) {
          values[slot] = number.longValue();
        }
      }
      running.put((Long) task._1(), values);
    }
  }

  /** Stops reporting; prints the last line. */
  @Override
  public void close() {
    timer.shutdownNow();
    context.removeSparkListener(this);
    print();
  }
}
