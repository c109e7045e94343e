package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.cli.Main;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.Settings;
import org.seqpack.spark.PrepareJob;
import org.seqpack.spark.SharedSpark;
import org.seqpack.tokenizer.TestPaths;

/**
 * The job on a real HDFS (MiniDFSCluster: a NameNode and a DataNode in this JVM): input, tokenizer
 * and output all on {@code hdfs://}, rows equal to the same run on local disk, and verify clean.
 */
class HdfsIT {
  @TempDir static Path tmp;
  private static MiniDFSCluster cluster;
  private static FileSystem hdfs;
  private static String root;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = cluster.getFileSystem();
    root = hdfs.getUri().toString();
    Path project = TestPaths.projectRoot();
    hdfs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(project.resolve("test-data/europarl-1k.txt").toUri()),
        new org.apache.hadoop.fs.Path("/corpus/europarl-1k.txt"));
    hdfs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(project.resolve("test-data/tokenizers/gpt2").toUri()),
        new org.apache.hadoop.fs.Path("/tokenizers/gpt2"));
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void aRunOnHdfsEqualsTheRunOnLocalDisk() throws Exception {
    Path local = tmp.resolve("local");
    run(
        TestPaths.projectRoot().resolve("test-data/europarl-1k.txt").toString(),
        TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2").toString(),
        local.toString());
    String output = root + "/packed/run-1";
    run(root + "/corpus", root + "/tokenizers/gpt2", output);

    Path copy = tmp.resolve("from-hdfs");
    hdfs.copyToLocalFile(
        new org.apache.hadoop.fs.Path(output), new org.apache.hadoop.fs.Path(copy.toUri()));
    OutputComparison.assertSameOutput(local, copy);

    ByteArrayOutputStream report = new ByteArrayOutputStream();
    int exit =
        new Main(
                List.of("verify", "--output", output),
                new PrintStream(report, true, StandardCharsets.UTF_8),
                System.err)
            .call();
    assertEquals(0, exit, report.toString(StandardCharsets.UTF_8));
    // The commit renamed the staging folder away: nothing but the output is left on HDFS.
    assertEquals(
        List.of(output),
        Arrays.stream(hdfs.listStatus(new org.apache.hadoop.fs.Path("/packed")))
            .map(status -> status.getPath().toString())
            .toList());
  }

  private static void run(String input, String tokenizer, String output) {
    Settings settings =
        Settings.empty()
            .withFlag(JobOptions.INPUT, input, true)
            .withFlag(JobOptions.TOKENIZER, tokenizer, true)
            .withFlag(JobOptions.OUTPUT, output, true)
            .withFlag(JobOptions.SEQ_LEN, "1024", true);
    PrepareJob.prepare(JobConfig.from(settings), new SparkConf()).run(SharedSpark.get());
  }
}
