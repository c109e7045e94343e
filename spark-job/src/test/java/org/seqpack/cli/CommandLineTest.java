package org.seqpack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.OptionKey;
import org.seqpack.config.Settings;
import picocli.CommandLine.ParameterException;

/** How flags and properties files merge into one configuration. */
class CommandLineTest {
  @TempDir Path tmp;

  private static Map<String, String> effective(String... args) {
    return JobConfig.from(settings(args)).effective();
  }

  private static Settings settings(String... args) {
    return Main.settings(Main.commandLine().parseArgs(args));
  }

  @Test
  void flagsOverrideTheFileWhereverTheyStandAndAListFlagReplacesTheFilesList() throws Exception {
    Path file = tmp.resolve("job.properties");
    Files.writeString(
        file,
        "input.paths=x.txt,y.txt\npack.seq-len=512\ntokenizer.path=tok\noutput.path=out\n"
            + "output.overwrite=false\n");
    Map<String, String> config =
        effective(
            ("--seq-len=4096 --input a.txt --config " + file + " --input b.txt --overwrite")
                .split(" "));
    assertEquals("a.txt,b.txt", config.get("input.paths"));
    assertEquals("4096", config.get("pack.seq-len"));
    assertEquals("tok", config.get("tokenizer.path"));
    assertEquals("true", config.get("output.overwrite"));
  }

  @Test
  void theLastValueOfAFlagWinsAndASwitchTakesAnExplicitValue() {
    String args =
        "--input=a --tokenizer t --output o --seq-len 8 --seq-len 16 --emit-seq-lens=false"
            + " --allow-special-tokens-in-text";
    Map<String, String> config = effective(args.split(" "));
    assertEquals("16", config.get("pack.seq-len"));
    assertEquals("false", config.get("output.emit-seq-lens"));
    assertEquals("true", config.get("tokenizer.allow-special-tokens-in-text"));
  }

  @Test
  void everyDeclaredOptionIsAFlagWithItsKeyInTheHelp() {
    String help = Main.help();
    for (OptionKey<?> option : JobOptions.ALL) {
      assertTrue(help.contains(option.flag()), option.flag());
      assertTrue(help.contains("[" + option.key()), option.key());
    }
    assertTrue(help.contains("above 1 % a warning"), "a literal % in help text survives");
  }

  @Test
  void unknownArgumentsAreProblemsAndAMissingValueIsAUsageError() {
    Settings settings = settings("--seqlen", "8", "--input", "a");
    assertEquals(
        List.of("unknown argument '--seqlen' (did you mean '--seq-len'?)", "unknown argument '8'"),
        settings.problems());
    assertThrows(ParameterException.class, () -> settings("--seq-len"));
  }
}
