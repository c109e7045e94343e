package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.core.SeqpackException;

/**
 * The driver's side of {@link RejectedFolder}: an earlier run's files go, a superseded attempt's
 * file goes, and a folder that does not hold what the tasks reported fails the run.
 */
class RejectedFolderTest {
  @Test
  void keepsTheReportedFilesAndDropsTheRest(@TempDir Path output) throws Exception {
    Path folder = output.resolve("_rejected");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("part-00009.jsonl"), "{}\n"); // an earlier run's
    RejectedFolder rejected = RejectedFolder.prepare(output.toString(), new Configuration());
    assertFalse(Files.exists(folder), "an earlier run's records are not this run's");

    Files.createDirectories(folder);
    Files.writeString(folder.resolve("part-00000.jsonl"), "{}\n{}\n");
    Files.writeString(folder.resolve("part-00001-ab12cd34-7.jsonl"), "{}\n"); // lost attempt
    Files.createDirectories(output.resolve("_attempts"));
    rejected.finish(Map.of("part-00000.jsonl", 2L), 2);
    assertEquals(
        List.of("part-00000.jsonl"),
        Files.list(folder).map(p -> p.getFileName().toString()).toList());
    assertFalse(Files.exists(output.resolve("_attempts")));
  }

  @Test
  void failsWhenTheFilesDoNotHoldEveryRejection(@TempDir Path output) throws Exception {
    RejectedFolder rejected = RejectedFolder.prepare(output.toString(), new Configuration());
    Path folder = output.resolve("_rejected");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("part-00000.jsonl"), "{}\n");
    // A file a task reported is missing.
    SeqpackException missing =
        assertThrows(
            SeqpackException.class,
            () -> rejected.finish(Map.of("part-00000.jsonl", 1L, "part-00001.jsonl", 1L), 2));
    assertTrue(missing.getMessage().contains("holds 1 of the 2 files"), missing.getMessage());
    // The files hold fewer records than documents were rejected.
    SeqpackException fewer =
        assertThrows(
            SeqpackException.class, () -> rejected.finish(Map.of("part-00000.jsonl", 1L), 3));
    assertTrue(
        fewer.getMessage().contains("with 1 records for 3 rejected documents"), fewer.getMessage());
  }
}
