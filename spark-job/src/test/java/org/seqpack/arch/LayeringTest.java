package org.seqpack.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of docs/ARCHITECTURE.md: algorithms in {@code core} with no Spark, Hadoop or
 * Scala; the tokenizer and SFT layers free of configuration; {@code config} outside them, building
 * the records they own; Spark wiring and the command line outermost; no package cycles.
 */
class LayeringTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.seqpack");
  }

  @Test
  void coreImportsNoOuterLayerNorSparkHadoopOrScala() {
    check(
        noClasses()
            .that()
            .resideInAPackage("org.seqpack.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.seqpack.config..",
                "org.seqpack.sft..",
                "org.seqpack.tokenizer..",
                "org.seqpack.parquet..",
                "org.seqpack.verify..",
                "org.seqpack.spark..",
                "org.seqpack.cli..",
                "org.apache.spark..",
                "org.apache.hadoop..",
                "org.apache.parquet..",
                "scala.."));
  }

  @Test
  void tokenizerImportsNoConfigurationNorOuterLayers() {
    check(
        noClasses()
            .that()
            .resideInAPackage("org.seqpack.tokenizer..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.seqpack.config..",
                "org.seqpack.sft..",
                "org.seqpack.parquet..",
                "org.seqpack.verify..",
                "org.seqpack.spark..",
                "org.seqpack.cli..",
                "org.apache.spark..",
                "scala.."));
  }

  @Test
  void sftImportsNoConfigurationNorOuterLayers() {
    check(
        noClasses()
            .that()
            .resideInAPackage("org.seqpack.sft..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.seqpack.config..",
                "org.seqpack.parquet..",
                "org.seqpack.verify..",
                "org.seqpack.spark..",
                "org.seqpack.cli..",
                "org.apache.spark..",
                "org.apache.hadoop..",
                "scala.."));
  }

  @Test
  void configurationImportsNoWiringNorSpark() {
    check(
        noClasses()
            .that()
            .resideInAPackage("org.seqpack.config..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.seqpack.parquet..",
                "org.seqpack.verify..",
                "org.seqpack.spark..",
                "org.seqpack.cli..",
                "org.apache.spark..",
                "org.apache.hadoop..",
                "scala.."));
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

  private static void check(ArchRule rule) {
    rule.check(main);
  }
}
