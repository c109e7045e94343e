package org.seqpack.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
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

  @Test
  void coreImportsNoOuterLayerNorSparkHadoopOrScala() {
    check(
        "core",
        "config sft tokenizer train parquet flat verify spark cli"
            + " org.apache.spark org.apache.hadoop org.apache.parquet scala");
  }

  @Test
  void tokenizerImportsNoConfigurationNorOuterLayers() {
    check("tokenizer", "config sft train parquet flat verify spark cli org.apache.spark scala");
  }

  @Test
  void sftImportsNoConfigurationNorOuterLayers() {
    check("sft", "config parquet flat verify spark cli org.apache.spark org.apache.hadoop scala");
  }

  @Test
  void flatFormatsImportOnlyCore() {
    check(
        "flat",
        "config sft tokenizer parquet verify spark cli"
            + " org.apache.spark org.apache.hadoop org.apache.parquet scala");
  }

  @Test
  void analysisImportsOnlyCore() {
    check(
        "analyze",
        "config sft tokenizer parquet flat verify spark cli train"
            + " org.apache.spark org.apache.hadoop org.apache.parquet scala");
  }

  @Test
  void trainingImportsOnlyCoreAndTheTokenizer() {
    check(
        "train",
        "config sft parquet flat verify spark cli analyze"
            + " org.apache.spark org.apache.hadoop org.apache.parquet scala ai.djl");
  }

  @Test
  void configurationImportsNoWiringNorSpark() {
    check("config", "parquet verify spark cli org.apache.spark org.apache.hadoop scala");
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

  /**
   * Classes of our package {@code layer} depend on none of {@code forbidden}: our packages by short
   * name ({@code config}), libraries by their root package ({@code org.apache.spark}).
   */
  private static void check(String layer, String forbidden) {
    check(
        noClasses()
            .that()
            .resideInAPackage(pattern(layer))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                Arrays.stream(forbidden.split(" "))
                    .map(LayeringTest::pattern)
                    .toArray(String[]::new)));
  }

  private static String pattern(String name) {
    return (name.contains(".") || name.equals("scala") ? name : "org.seqpack." + name) + "..";
  }

  private static void check(ArchRule rule) {
    rule.check(main);
  }
}
