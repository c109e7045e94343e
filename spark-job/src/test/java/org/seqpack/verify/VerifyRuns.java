package org.seqpack.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seqpack.cli.Main;

/** Runs {@code seqpack verify} through the command line, in this JVM. */
public final class VerifyRuns {
  private VerifyRuns() {}

  /** Exit code and printed report of one verify run. */
  public record Verification(int exit, String out, String err) {
    /** The kinds in the report's VIOLATIONS line, without counts. */
    public Set<String> kinds() {
      Matcher line = Pattern.compile("VIOLATIONS: [\\d,]+ \\((.*)\\)").matcher(out);
      Set<String> kinds = new TreeSet<>();
      if (line.find()) {
        for (String part : line.group(1).split(", ")) {
          kinds.add(part.replaceAll(" [\\d,]+$", ""));
        }
      }
      return kinds;
    }

    public void assertHas(String text) {
      assertTrue(out.contains(text), "report lacks '" + text + "':\n" + out + err);
    }
  }

  public static Verification verify(Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of("verify", "--output", output.toString()));
    args.addAll(Arrays.asList(extra));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        new Main(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .call();
    return new Verification(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Verifies {@code output} and fails, with the report, unless it is clean. */
  public static Verification assertClean(Path output, String... extra) {
    Verification verification = verify(output, extra);
    assertEquals(0, verification.exit(), verification.out() + verification.err());
    verification.assertHas("OK: no violations");
    return verification;
  }
}
