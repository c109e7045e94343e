package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The commands the submit scripts print with --dry-run: job flags after `--`, settings from
 * conf/&lt;target&gt;.conf as --conf, spark-submit options that override them, and the Kubernetes
 * settings that docs/CLUSTERS.md documents.
 */
class SubmitScriptsTest {
  private static final Path ROOT = ClusterBuild.root();

  @Test
  void kubernetesCommandHasTheDocumentedSettings() throws Exception {
    List<String> command =
        dryRun(
            "k8s.sh",
            "--conf",
            "spark.kubernetes.container.image=registry.example.com/seqpack:9.9",
            "--",
            "--config",
            "/opt/seqpack/conf/run.properties",
            "--output",
            "/data/out");
    assertEquals("spark-submit", command.get(0));
    assertEquals("k8s://https://kubernetes.default.svc:443", after(command, "--master"));
    assertEquals("cluster", after(command, "--deploy-mode"));
    assertEquals(
        List.of(
            "--class",
            "org.seqpack.cli.Main",
            "local:///opt/seqpack/seqpack.jar",
            "--config",
            "/opt/seqpack/conf/run.properties",
            "--output",
            "/data/out"),
        command.subList(command.size() - 7, command.size()));

    Map<String, String> documented = documentedKubernetesSettings();
    assertTrue(documented.size() >= 10, "settings table of docs/CLUSTERS.md: " + documented);
    Map<String, String> conf = confs(command);
    documented.forEach(
        (key, value) -> {
          assertTrue(conf.containsKey(key), "documented " + key + " is not in the command");
          if (!value.isEmpty() && !key.equals("spark.kubernetes.container.image")) {
            assertEquals(value, conf.get(key), key);
          }
        });
    // A spark-submit option before `--` comes after the file's settings, so it wins.
    assertEquals("registry.example.com/seqpack:9.9", conf.get("spark.kubernetes.container.image"));

    // The pod templates exist; the DJL cache is the mounted volume; the jar is where the image
    // puts it.
    for (String side : List.of("driver", "executor")) {
      Path template = ROOT.resolve(conf.get("spark.kubernetes." + side + ".podTemplateFile"));
      assertTrue(Files.readString(template).contains("kind: Pod"), template.toString());
      assertEquals(
          conf.get("spark.kubernetes." + side + ".volumes.emptyDir.djl-cache.mount.path"),
          conf.get(
              side.equals("driver")
                  ? "spark.kubernetes.driverEnv.DJL_CACHE_DIR"
                  : "spark.executorEnv.DJL_CACHE_DIR"));
      assertEquals(
          "seqpack-data",
          conf.get(
              "spark.kubernetes."
                  + side
                  + ".volumes.persistentVolumeClaim.data.options.claimName"));
    }
    String dockerfile = Files.readString(ROOT.resolve("submit/k8s/Dockerfile"));
    assertTrue(dockerfile.contains(" /opt/seqpack/seqpack.jar"), "the image holds the jar");
    assertTrue(dockerfile.contains("FROM ${SPARK_IMAGE}"), "based on the official image");
    assertTrue(dockerfile.contains("ARG SPARK_IMAGE=apache/spark:"), "official apache/spark");
  }

  /**
   * The subcommands go through every script as they are: the command name first after the jar, its
   * flags after it (the clusters' runs of them are in StandaloneClusterIT and YarnClusterIT).
   */
  @Test
  void everyScriptPassesSubcommandsOn() throws Exception {
    List<String> args =
        List.of("analyze", "--input", "/data/in", "--tokenizer", "/models/a", "--output", "/o");
    for (String script : List.of("local.sh", "standalone.sh", "yarn.sh", "k8s.sh")) {
      List<String> flags = new ArrayList<>(List.of("--"));
      flags.addAll(args);
      List<String> command = dryRun(script, flags.toArray(new String[0]));
      assertEquals(args, command.subList(command.size() - args.size(), command.size()), script);
      // Main's class, then the jar (spark-submit) or nothing (local.sh's plain java), then them.
      int main = command.indexOf("org.seqpack.cli.Main");
      assertTrue(
          main == command.size() - args.size() - 2 || main == command.size() - args.size() - 1,
          script + ": the subcommand follows Main");
      assertTrue(!command.contains("--files"), script + " ships no file");
    }
  }

  @Test
  void yarnShipsALocalPropertiesFileInClusterMode() throws Exception {
    List<String> command =
        dryRun(
            "yarn.sh",
            "--queue",
            "etl",
            "--",
            "--config",
            "conf/local.properties",
            "--seq-len",
            "4096");
    assertEquals("yarn", after(command, "--master"));
    assertEquals("cluster", after(command, "--deploy-mode"));
    assertEquals(ROOT.resolve("conf/local.properties").toString(), after(command, "--files"));
    assertEquals("etl", after(command, "--queue"));
    assertEquals(
        List.of("--config", "local.properties", "--seq-len", "4096"),
        command.subList(command.size() - 4, command.size()));
    Map<String, String> conf = confs(command);
    assertEquals("1", conf.get("spark.yarn.maxAppAttempts"));
    assertEquals("true", conf.get("spark.dynamicAllocation.shuffleTracking.enabled"));
    assertEquals("true", conf.get("spark.executorEnv.OPT_OUT_TRACKING"));

    // Client mode: the driver runs here and reads the file itself.
    List<String> client =
        dryRun("yarn.sh", "--deploy-mode", "client", "--", "--config", "conf/local.properties");
    assertEquals("client", after(client, "--deploy-mode"));
    assertTrue(!client.contains("--files"), client.toString());
    assertEquals("conf/local.properties", client.get(client.size() - 1));
  }

  @Test
  void standaloneTakesMasterAndJobFlags() throws Exception {
    List<String> command =
        dryRun("standalone.sh", "--master", "spark://head:7077", "--", "--seq-len", "2048");
    assertEquals("spark://head:7077", after(command, "--master"));
    assertEquals(1, command.stream().filter("--master"::equals).count());
    assertEquals("client", after(command, "--deploy-mode"));
    assertEquals(
        List.of("--class", "org.seqpack.cli.Main", "/jars/seqpack.jar", "--seq-len", "2048"),
        command.subList(command.size() - 5, command.size()));
    assertEquals("4g", confs(command).get("spark.executor.memory"));
    // No Spark installed here: the Maven-resolved jars with plain java, driver memory as -Xmx.
    assertTrue(command.get(0).endsWith("java"), command.get(0));
    assertTrue(command.contains("-Xmx2g"), command.toString());
    assertTrue(command.contains("org.apache.spark.deploy.SparkSubmit"), command.toString());

    // Without `--` every argument is a job flag; with none, the default run.
    List<String> plain = dryRun("standalone.sh", "--seq-len", "512");
    assertEquals(List.of("--seq-len", "512"), plain.subList(plain.size() - 2, plain.size()));
    assertEquals("spark://127.0.0.1:7077", after(plain, "--master"));
    List<String> none = dryRun("standalone.sh");
    assertEquals(
        List.of("--config", "conf/local.properties"), none.subList(none.size() - 2, none.size()));
  }

  @Test
  void localKeepsItsDefaultsAndPassesSubcommands() throws Exception {
    List<String> none = dryRun("local.sh");
    assertEquals(
        List.of("org.seqpack.cli.Main", "--config", "conf/local.properties"),
        none.subList(none.size() - 3, none.size()));
    assertTrue(none.contains("-Dspark.master=local[*]"), none.toString());
    assertTrue(none.contains("-Dspark.ui.enabled=false"), none.toString());

    List<String> verify = dryRun("local.sh", "verify", "--output", "out/x");
    assertEquals(
        List.of("org.seqpack.cli.Main", "verify", "--output", "out/x"),
        verify.subList(verify.size() - 4, verify.size()));

    List<String> options =
        dryRun("local.sh", "--master", "local[2]", "--conf", "spark.x=1", "--", "--seq-len", "8");
    assertTrue(options.contains("-Dspark.master=local[2]"), options.toString());
    assertTrue(options.contains("-Dspark.x=1"), options.toString());
    assertEquals("8", options.get(options.size() - 1));
  }

  /** The script's --dry-run command as arguments, with no Spark distribution in the way. */
  private static List<String> dryRun(String script, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("submit/" + script).toString()));
    command.add("--dry-run");
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    builder.environment().remove("SPARK_HOME");
    if (script.equals("k8s.sh")) {
      builder.environment().remove("SEQPACK_JAR");
    } else {
      builder.environment().put("SEQPACK_JAR", "/jars/seqpack.jar");
    }
    builder.environment().put("PATH", "/usr/bin:/bin");
    Path log = Files.createTempFile("dry-run", ".txt");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), script + " did not finish");
    String output = Files.readString(log, StandardCharsets.UTF_8).strip();
    Files.delete(log);
    assertEquals(0, process.exitValue(), script + ": " + output);
    return unquote(output);
  }

  /** Splits bash's `printf %q` output back into arguments. */
  static List<String> unquote(String line) {
    List<String> arguments = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        current.append(line.charAt(++i));
        any = true;
      } else if (c == ' ') {
        if (any) {
          arguments.add(current.toString());
        }
        current.setLength(0);
        any = false;
      } else if (c == '\'' && line.startsWith("''", i)) {
        any = true;
        i++;
      } else {
        current.append(c);
        any = true;
      }
    }
    if (any) {
      arguments.add(current.toString());
    }
    return arguments;
  }

  private static String after(List<String> command, String option) {
    int index = command.indexOf(option);
    assertTrue(index >= 0 && index + 1 < command.size(), option + " not in " + command);
    return command.get(index + 1);
  }

  /** Every --conf key=value, later ones winning as in spark-submit. */
  private static Map<String, String> confs(List<String> command) {
    Map<String, String> conf = new LinkedHashMap<>();
    for (int i = 0; i + 1 < command.size(); i++) {
      if (command.get(i).equals("--conf")) {
        String entry = command.get(i + 1);
        int equals = entry.indexOf('=');
        conf.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    return conf;
  }

  /** Rows `| \`key\` | \`value\` | why |` of the Kubernetes settings table in docs/CLUSTERS.md. */
  private static Map<String, String> documentedKubernetesSettings() throws IOException {
    String docs = Files.readString(ROOT.resolve("docs/CLUSTERS.md"));
    String section = docs.substring(docs.indexOf("## Kubernetes"), docs.indexOf("## Airflow"));
    Map<String, String> settings = new LinkedHashMap<>();
    Matcher row =
        Pattern.compile("(?m)^\\| `(spark\\.[^`]+)` \\| (?:`([^`]*)`)? *\\|").matcher(section);
    while (row.find()) {
      settings.put(row.group(1), row.group(2) == null ? "" : row.group(2));
    }
    return settings;
  }
}
