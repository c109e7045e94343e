package org.seqpack.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Processes a test starts, each with its output in a log file. {@link #close} stops every one and
 * its descendants (executors launched by a Worker, JVMs behind a script), also when the test
 * failed; a shutdown hook does the same if the test JVM ends first.
 */
final class ChildProcesses implements AutoCloseable {
  private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
  private final Thread hook = new Thread(this::stopAll, "stop-test-processes");

  ChildProcesses() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts {@code command} in {@code dir} with changed environment; output to {@code log}. */
  Process start(List<String> command, Path dir, Map<String, String> environment, Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // A null value removes the variable.
    environment.forEach(
        (key, value) -> {
          if (value == null) {
            builder.environment().remove(key);
          } else {
            builder.environment().put(key, value);
          }
        });
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** Runs {@code command} to completion (at most {@code timeoutSeconds}); returns its exit code. */
  int run(
      List<String> command,
      Path dir,
      Map<String, String> environment,
      Path log,
      long timeoutSeconds)
      throws IOException, InterruptedException {
    Process process = start(command, dir, environment, log);
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      stop(process);
      throw new AssertionError(
          "timed out after " + timeoutSeconds + " s: " + command + "\n" + tail(log, 60));
    }
    return process.exitValue();
  }

  /** Kills {@code process} and everything it started. */
  static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last {@code lines} lines of a log, for failure messages. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log " + log + ": " + e + ")";
    }
  }

  private void stopAll() {
    List<Process> copy;
    synchronized (processes) {
      copy = new ArrayList<>(processes);
      processes.clear();
    }
    Collections.reverse(copy);
    copy.forEach(ChildProcesses::stop);
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs anyway.
    }
  }
}
