package org.seqpack;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The job's command line in child JVMs (Spark local[2], the test classpath), so that a test can
 * kill a real driver with {@code kill -9}; each child's output and errors go to {@code <name>.log}
 * in the folder given.
 */
public final class ChildJob implements AutoCloseable {
  public static final long TIMEOUT_SECONDS = 600;

  private final Path folder;
  private final List<Process> processes = new ArrayList<>();

  public ChildJob(Path folder) {
    this.folder = folder;
  }

  /** A condition polled while a child runs. */
  public interface Condition {
    boolean holds() throws IOException;
  }

  /** Starts {@code org.seqpack.cli.Main args} with {@code -Dkey=value} for each property. */
  public Process start(String name, Map<String, String> properties, List<String> args)
      throws IOException {
    Path jvmTmp = Files.createDirectories(folder.resolve("jvm-" + name));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("--add-opens") || argument.startsWith("-Djdk.reflect")) {
        command.add(argument);
      }
    }
    command.add("-Djava.io.tmpdir=" + jvmTmp);
    command.add("-Dspark.master=local[2]");
    command.add("-Dspark.ui.enabled=false");
    command.add("-Dspark.driver.host=127.0.0.1");
    command.add("-Dspark.local.dir=" + jvmTmp);
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.seqpack.cli.Main");
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(folder.resolve(name + ".log").toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("DJL_OFFLINE", "true");
    builder.environment().put("OPT_OUT_TRACKING", "true");
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** Runs a child to its end; returns its exit code. */
  public int run(String name, Map<String, String> properties, List<String> args)
      throws IOException, InterruptedException {
    Process process = start(name, properties, args);
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("run '" + name + "' timed out\n" + log(name));
    }
    return process.exitValue();
  }

  /** Waits until {@code condition} holds while {@code process} runs; fails if it ends first. */
  public void awaitOrFail(Process process, Condition condition, String what, String name)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.holds()) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "the run ended (exit " + process.exitValue() + ") before " + what + "\n" + log(name));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + TIMEOUT_SECONDS + " s\n" + log(name));
      }
      Thread.sleep(10);
    }
  }

  /** SIGKILL on Linux: no shutdown hook, no clean-up of any kind. */
  public static void kill(Process process) throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("a killed child JVM did not end");
    }
  }

  /** The last 40 lines of a child's log. */
  public String log(String name) {
    try {
      List<String> lines =
          Files.readAllLines(folder.resolve(name + ".log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    for (Process process : processes) {
      process.destroyForcibly();
    }
  }
}
