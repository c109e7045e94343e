package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seqpack.core.OutputFile;
import org.seqpack.core.PackStats;
import org.seqpack.core.PartitionResult;
import org.seqpack.core.RunIdentity;

/**
 * Which partitions of a killed run {@code --resume} keeps: only those whose record is whole and
 * whose data and rejected files are there with the recorded sizes.
 */
class FinishedPartitionsTest {

  @ParameterizedTest
  @ValueSource(strings = {"rename", "manifest"})
  void keepsOnlyPartitionsWithAWholeRecordAndTheirFilesAtTheirSizes(
      String commit, @TempDir Path tmp) throws IOException {
    OutputFolder folder =
        new OutputFolder(tmp.resolve("out").toString(), "ab07", commit, new Configuration());
    folder.prepare(new RunIdentity("ab07", 1, commit, Map.of(), "t", "", "i", 1, 1, 8, "b"));
    TaskFiles files = folder.taskFiles();
    Path data =
        Files.createDirectories(Path.of(new org.apache.hadoop.fs.Path(files.dataFolder()).toUri()));
    Files.createDirectories(data.resolve("_rejected"));
    Path records =
        Files.createDirectories(Path.of(folder.runFolder().toUri()).resolve("_partitions"));

    // 0: data only; 1: data and rejected records; 2: no rows at all: kept.
    finished(files, data, records, 0, "rows", null);
    finished(files, data, records, 1, "rows", "{}\n");
    finished(files, data, records, 2, null, null);
    // 3: the data file is shorter than recorded (a half upload of another attempt).
    finished(files, data, records, 3, "rows", null);
    Files.writeString(data.resolve(files.dataFileName(3, 3)), "ro");
    // 4: its rejected records are missing.
    finished(files, data, records, 4, "rows", "{}\n");
    Files.delete(data.resolve("_rejected").resolve(files.rejectedFileName(4, 4)));
    // 5: the record was cut short by the kill.
    finished(files, data, records, 5, "rows", null);
    Path record5 = records.resolve("part-00005.json");
    Files.write(record5, java.util.Arrays.copyOf(Files.readAllBytes(record5), 20));
    // 6: a data file without a record (killed between the two).
    Files.writeString(data.resolve(files.dataFileName(6, 6)), "rows");
    // 9: beyond the partitions of the run.
    finished(files, data, records, 9, "rows", null);

    assertEquals(
        List.of(0, 1, 2),
        folder.finishedPartitions(8).stream().map(PartitionResult::partition).toList());
  }

  /** Writes partition {@code p}'s files (null: none) and its record, as attempt {@code p}. */
  private static void finished(
      TaskFiles files, Path data, Path records, int p, String rows, String rejected)
      throws IOException {
    PackStats stats = new PackStats();
    List<OutputFile> written = List.of();
    if (rows != null) {
      String file = files.dataFileName(p, p);
      Files.writeString(data.resolve(file), rows);
      stats.outputBytes = rows.length();
      written = List.of(OutputFile.rows(file, rows.length(), 1));
    }
    String rejectedFile = null;
    if (rejected != null) {
      rejectedFile = files.rejectedFileName(p, p);
      Files.writeString(data.resolve("_rejected").resolve(rejectedFile), rejected);
    }
    PartitionResult result =
        new PartitionResult(
            p, written, rejectedFile, rejected == null ? 0 : rejected.length(), stats);
    Files.write(records.resolve(String.format("part-%05d.json", p)), result.toJson());
  }
}
