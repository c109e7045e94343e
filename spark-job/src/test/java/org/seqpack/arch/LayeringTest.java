package org.seqpack.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seqpack.cli.Main;

/**
 * The package layering of docs/ARCHITECTURE.md: algorithms in {@code core} with no Spark, Hadoop or
 * Scala; the tokenizer and SFT layers free of configuration; {@code config} outside them, building
 * the records they own; Spark wiring and the command line outermost; no package cycles.
 */
class LayeringTest {
  private static JavaClasses main;

  /**
   * The main classes, from the folder or jar they were loaded from (ArchUnit's own "no tests"
   * option knows only {@code target/test-classes}, not the Spark 3.5 build's folder).
   */
  @BeforeAll
  static void importMainClasses() throws URISyntaxException {
    Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    main = new ClassFileImporter().importPath(classes);
    assertTrue(main.size() > 50, "main classes imported from " + classes + ": " + main.size());
  }

  private static final String CONFIG = "org.seqpack.config..";
  private static final String SFT = "org.seqpack.sft..";
  private static final String TOKENIZER = "org.seqpack.tokenizer..";
  private static final String PARQUET = "org.seqpack.parquet..";
  private static final String VERIFY = "org.seqpack.verify..";
  private static final String SPARK = "org.seqpack.spark..";
  private static final String CLI = "org.seqpack.cli..";
  private static final String APACHE_SPARK = "org.apache.spark..";
  private static final String HADOOP = "org.apache.hadoop..";
  private static final String SCALA = "scala..";

  @Test
  void coreImportsNoOuterLayerNorSparkHadoopOrScala() {
    check(
        "org.seqpack.core..",
        CONFIG,
        SFT,
        TOKENIZER,
        PARQUET,
        VERIFY,
        SPARK,
        CLI,
        APACHE_SPARK,
        HADOOP,
        "org.apache.parquet..",
        SCALA);
  }

  @Test
  void tokenizerImportsNoConfigurationNorOuterLayers() {
    check(TOKENIZER, CONFIG, SFT, PARQUET, VERIFY, SPARK, CLI, APACHE_SPARK, SCALA);
  }

  @Test
  void sftImportsNoConfigurationNorOuterLayers() {
    check(SFT, CONFIG, PARQUET, VERIFY, SPARK, CLI, APACHE_SPARK, HADOOP, SCALA);
  }

  @Test
  void configurationImportsNoWiringNorSpark() {
    check(CONFIG, PARQUET, VERIFY, SPARK, CLI, APACHE_SPARK, HADOOP, SCALA);
  }

  @Test
  void onlyTheWiringAndTheCommandLineUseSpark() {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackages("org.seqpack.spark..", "org.seqpack.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.apache.spark..", "scala.."));
  }

  @Test
  void verifyAndParquetDoNotReachIntoTheJob() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage("org.seqpack.verify..", "org.seqpack.parquet..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.seqpack.spark..", "org.seqpack.cli..", "org.seqpack.sft.."));
  }

  @Test
  void noPackageCycles() {
    check(slices().matching("org.seqpack.(*)..").should().beFreeOfCycles());
  }

  /** Classes of {@code layer} depend on none of {@code forbidden}. */
  private static void check(String layer, String... forbidden) {
    check(
        noClasses()
            .that()
            .resideInAPackage(layer)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(forbidden));
  }

  private static void check(ArchRule rule) {
    rule.check(main);
  }
}
