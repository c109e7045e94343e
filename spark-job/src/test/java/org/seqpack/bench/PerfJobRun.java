package org.seqpack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.seqpack.cli.Main;

/**
 * Runs the real job (the command line {@link Main}, Spark local mode from {@code -Dspark.master})
 * in this JVM and prints one {@code perf-job} line of JSON: stats.json's figures, Spark's task
 * metrics ({@link PerfTaskListener}), process CPU time, and heap figures from the garbage
 * collector. In local mode the executor runs inside this JVM, so its heap is the executor heap. Run
 * by {@link PerfBenchmark} in a child JVM with the executor's heap setting ({@code -Xmx1g}).
 *
 * <p>Usage: {@code PerfJobRun <job flags...>} (must include {@code --output}).
 */
public final class PerfJobRun {
  // Not org.seqpack.TestJson: bench/perf.sh compiles only the Perf* classes and BenchOptions.
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong PEAK_BEFORE_GC = new AtomicLong();
  private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();
  private static final AtomicLong GC_COUNT = new AtomicLong();

  private PerfJobRun() {}

  public static void main(String[] args) throws IOException {
    watchGarbageCollections();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long wallStart = System.nanoTime();
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    int code =
        new Main(List.of(args), new PrintStream(summary, true, StandardCharsets.UTF_8), System.err)
            .call();
    long wall = System.nanoTime() - wallStart;
    long cpu = os.getProcessCpuTime() - cpuStart;
    System.err.print(summary.toString(StandardCharsets.UTF_8));
    if (code != 0) {
      System.exit(code);
    }
    Path output = Paths.get(option(args, "--output"));
    JsonNode stats = JSON.readTree(Files.readString(output.resolve("stats.json")));
    ObjectNode result = JSON.createObjectNode();
    result.put("master", System.getProperty("spark.master"));
    result.put("tokens", stats.get("tokens").asLong());
    result.put("row_tokens", stats.get("row_tokens").asLong());
    result.put("rows", stats.get("rows").asLong());
    result.put("documents", stats.get("documents").get("read").asLong());
    result.put("partitions", stats.get("partitions").asInt());
    result.put("output_bytes", stats.get("output_bytes").asLong());
    result.put("bytes_per_token", stats.get("bytes_per_token").asDouble());
    result.put("job_wall_seconds", stats.get("wall_seconds").asDouble());
    result.put("process_wall_seconds", wall / 1e9);
    result.put("process_cpu_seconds", cpu / 1e9);
    result.set("task_seconds", stats.get("task_seconds"));
    result.put("spark_tasks", PerfTaskListener.TASKS.get());
    result.put("spark_task_cpu_seconds", PerfTaskListener.CPU_NANOS.get() / 1e9);
    result.put("spark_task_run_seconds", PerfTaskListener.RUN_MILLIS.get() / 1e3);
    result.put("spark_task_gc_seconds", PerfTaskListener.GC_MILLIS.get() / 1e3);
    result.put("spark_input_bytes", PerfTaskListener.INPUT_BYTES.get());
    result.put("heap_max_bytes", Runtime.getRuntime().maxMemory());
    result.put("heap_peak_used_bytes", Math.max(PEAK_BEFORE_GC.get(), heapUsedNow()));
    result.put("heap_peak_after_gc_bytes", PEAK_AFTER_GC.get());
    result.put("heap_pool_peaks_bytes", sumOfPoolPeaks());
    result.put("gc_count", GC_COUNT.get());
    result.put("rss_peak_bytes", rssPeakBytes());
    System.out.println("perf-job " + result);
    // Spark leaves non-daemon threads behind on some versions; the figures are out.
    System.exit(0);
  }

  private static String option(String[] args, String flag) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(flag)) {
        return args[i + 1];
      }
    }
    throw new IllegalArgumentException("missing " + flag);
  }

  /** Heap before and after every collection, summed over the heap pools. */
  private static void watchGarbageCollections() {
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector)
          .addNotificationListener(
              (notification, handback) -> {
                if (!notification
                    .getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                  return;
                }
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                GC_COUNT.incrementAndGet();
                long before = sum(info.getGcInfo().getMemoryUsageBeforeGc(), heapPools);
                long after = sum(info.getGcInfo().getMemoryUsageAfterGc(), heapPools);
                PEAK_BEFORE_GC.accumulateAndGet(before, Math::max);
                PEAK_AFTER_GC.accumulateAndGet(after, Math::max);
              },
              null,
              null);
    }
  }

  private static long sum(Map<String, MemoryUsage> usage, Set<String> pools) {
    long bytes = 0;
    for (Map.Entry<String, MemoryUsage> entry : usage.entrySet()) {
      if (pools.contains(entry.getKey())) {
        bytes += entry.getValue().getUsed();
      }
    }
    return bytes;
  }

  private static long heapUsedNow() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long sumOfPoolPeaks() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes;
  }

  private static long rssPeakBytes() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.trim().split("\\s+");
          return Long.parseLong(parts[1]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: no figure.
    }
    return -1;
  }
}
