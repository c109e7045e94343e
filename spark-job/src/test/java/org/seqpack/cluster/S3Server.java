package org.seqpack.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.seqpack.tokenizer.TestPaths;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server for tests: s3proxy in a child JVM (its Jetty, Netty, logback and
 * jclouds would clash with Spark's on the test class path), serving plain HTTP on a free loopback
 * port with path-style addressing and one fixed identity and credential.
 *
 * <p>Its class path is the file {@code tools/s3proxy/target/s3proxy.classpath} that the reactor
 * module tools/s3proxy writes before spark-job is built. Tests reach the stored objects without s3a
 * through {@link #keys} and {@link #copyObjects} (a plain AWS SDK client), and with {@link
 * Store#FILESYSTEM} also as files under {@link #basedir}. {@link #close} stops the process.
 */
public final class S3Server implements AutoCloseable {
  public static final String IDENTITY = "seqpack-test";
  public static final String CREDENTIAL = "seqpack-test-secret";
  public static final String REGION = "us-east-1";
  static final String CLASSPATH_FILE = "tools/s3proxy/target/s3proxy.classpath";
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final int START_TRIES = 3;

  /** The blob store behind s3proxy. */
  public enum Store {
    /**
     * jclouds' in-memory store: lists keys as S3 does, directory markers ({@code dir/} objects)
     * included. The default.
     */
    MEMORY("transient"),
    /**
     * jclouds' filesystem store: bucket {@code b} is the folder {@code basedir/b} and its object
     * {@code a/b/c} the file {@code basedir/b/a/b/c}. Not S3's semantics for folders: every folder
     * on disk counts as a directory marker, and a LIST whose prefix is a marker's own key ({@code
     * dir/}) does not return it, so s3a never finds an empty directory to delete it; and folders
     * stay on disk after their objects are deleted. (s3proxy's {@code filesystem-nio2} store
     * answers 500, DirectoryNotEmptyException, to s3a's requests on the marker of a folder that
     * holds objects, and s3a retries them for minutes.)
     */
    FILESYSTEM("filesystem");

    private final String provider;

    Store(String provider) {
      this.provider = provider;
    }
  }

  private final ChildProcesses processes;
  private final Store store;
  private final Path basedir;
  private final Path log;
  private final int port;
  private final S3Client client;

  private S3Server(ChildProcesses processes, Store store, Path basedir, Path log, int port) {
    this.processes = processes;
    this.store = store;
    this.basedir = basedir;
    this.log = log;
    this.port = port;
    this.client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint()))
            .region(Region.of(REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
            .forcePathStyle(true)
            // As s3a does. The SDK's default (a CRC trailer on every upload, sent as an
            // aws-chunked body) fails on s3proxy 2.6.0: "x-amz-content-sha256 does not match".
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
  }

  /** {@link #start(Path, Store, String...)} with the in-memory store. */
  public static S3Server start(Path dir, String... buckets) throws IOException {
    return start(dir, Store.MEMORY, buckets);
  }

  /**
   * Starts s3proxy with its files under {@code dir} (its log in {@code dir/s3proxy.log}; blobs in
   * {@code dir/blobs} for the filesystem store) and the given buckets, empty; returns once the port
   * answers.
   */
  public static S3Server start(Path dir, Store store, String... buckets) throws IOException {
    Path classpathFile = TestPaths.projectRoot().resolve(CLASSPATH_FILE);
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(
          "no "
              + classpathFile
              + " (the s3proxy class path written by the tools/s3proxy module): run mvn from the"
              + " repository root, e.g. `mvn -B install -DskipTests`, before this test");
    }
    String classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
    Path basedir = Files.createDirectories(dir.resolve("blobs"));
    Path logback = dir.resolve("logback.xml");
    Files.writeString(
        logback,
        "<configuration>\n"
            + "  <appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
            + "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} %msg%n</pattern>"
            + "</encoder>\n"
            + "  </appender>\n"
            + "  <root level=\"WARN\"><appender-ref ref=\"out\"/></root>\n"
            + "</configuration>\n",
        StandardCharsets.UTF_8);
    Path log = dir.resolve("s3proxy.log");
    ChildProcesses processes = new ChildProcesses();
    try {
      for (int attempt = 1; ; attempt++) {
        int port = ClusterBuild.freePort();
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, properties(store, basedir, port), StandardCharsets.UTF_8);
        Process process =
            processes.start(
                List.of(
                    ClusterBuild.java(),
                    "-Xmx256m",
                    "-Dlogback.configurationFile=" + logback,
                    "-cp",
                    classpath,
                    "org.gaul.s3proxy.Main",
                    "--properties",
                    properties.toString()),
                dir,
                Map.of(),
                log);
        if (awaitPort(process, port)) {
          S3Server server = new S3Server(processes, store, basedir, log, port);
          try {
            for (String bucket : buckets) {
              server.client.createBucket(request -> request.bucket(bucket));
            }
          } catch (RuntimeException e) {
            server.client.close();
            throw e;
          }
          return server;
        }
        boolean timedOut = process.isAlive();
        ChildProcesses.stop(process);
        // Another process may have taken the port between freePort() and the bind: try again.
        if (attempt == START_TRIES || timedOut || !portTaken(log)) {
          throw new IllegalStateException(
              "s3proxy did not answer on 127.0.0.1:"
                  + port
                  + " ("
                  + (timedOut ? "timed out" : "exited " + process.exitValue())
                  + "); its log "
                  + log
                  + ":\n"
                  + ChildProcesses.tail(log, 60));
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      processes.close();
      throw e;
    }
  }

  private static String properties(Store store, Path basedir, int port) {
    return "s3proxy.endpoint=http://127.0.0.1:"
        + port
        + "\n"
        + "s3proxy.authorization=aws-v2-or-v4\n"
        + "s3proxy.identity="
        + IDENTITY
        + "\n"
        + "s3proxy.credential="
        + CREDENTIAL
        + "\n"
        // AWS SDK 2.30+ sends x-amz-checksum-crc32 on DeleteObjects (a checksum is required
        // there); s3proxy 2.6.0 knows only the CRC64NVME header and answers 501 NotImplemented
        // to any other x-amz- header it does not know, which fails every s3a rename.
        + "s3proxy.ignore-unknown-headers=true\n"
        + "jclouds.provider="
        + store.provider
        + "\n"
        + "jclouds.filesystem.basedir="
        + basedir
        + "\n";
  }

  private static boolean portTaken(Path log) {
    return ChildProcesses.tail(log, 200).contains("Address already in use");
  }

  /** True once {@code port} accepts a connection; false if the process ends or time runs out. */
  private static boolean awaitPort(Process process, int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return true;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * The filesystem store's base directory: bucket {@code b}'s object {@code k} is the file {@code
   * b/k} here (see {@link Store#FILESYSTEM} for how its folders differ from S3's).
   */
  public Path basedir() {
    if (store != Store.FILESYSTEM) {
      throw new IllegalStateException("the " + store + " store keeps no files");
    }
    return basedir;
  }

  /** A plain S3 client of this server (closed by {@link #close}), independent of s3a. */
  public S3Client client() {
    return client;
  }

  /**
   * Every key of {@code bucket} that starts with {@code prefix}, sorted, as the S3 API lists them:
   * directory markers ({@code dir/}, which s3a writes) included.
   */
  public List<String> keys(String bucket, String prefix) {
    return client
        .listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix))
        .contents()
        .stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  /**
   * Downloads the objects under the folder {@code prefix} (no trailing slash) of {@code bucket} to
   * {@code target} as files, key {@code prefix/a/b} to {@code target/a/b}; directory markers are
   * skipped. Returns {@code target}.
   */
  public Path copyObjects(String bucket, String prefix, Path target) throws IOException {
    String folder = prefix + "/";
    for (String key : keys(bucket, folder)) {
      if (key.endsWith("/")) {
        continue;
      }
      Path file = target.resolve(key.substring(folder.length()));
      Files.createDirectories(file.getParent());
      client.getObject(request -> request.bucket(bucket).key(key), file);
    }
    return target;
  }

  public Path log() {
    return log;
  }

  /**
   * Hadoop settings for s3a against this server (plain HTTP, path style, fixed keys). Hadoop's
   * FileSystem cache keys an s3a instance on the bucket, not on the endpoint: a test closes the
   * instance of each bucket it used ({@code FileSystem.get(uri, conf).close()}) before another
   * server is started with the same bucket name.
   */
  public Map<String, String> hadoopConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("fs.s3a.endpoint", endpoint());
    conf.put("fs.s3a.endpoint.region", REGION);
    conf.put("fs.s3a.access.key", IDENTITY);
    conf.put("fs.s3a.secret.key", CREDENTIAL);
    conf.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.put("fs.s3a.path.style.access", "true");
    conf.put("fs.s3a.connection.ssl.enabled", "false");
    return conf;
  }

  /** {@link #hadoopConf} as {@code spark.hadoop.*} entries of a Spark configuration. */
  public SparkConf sparkConf() {
    SparkConf conf = new SparkConf(false);
    hadoopConf().forEach((key, value) -> conf.set("spark.hadoop." + key, value));
    return conf;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      processes.close();
    }
  }
}
