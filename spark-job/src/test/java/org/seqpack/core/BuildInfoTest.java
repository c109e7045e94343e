package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.seqpack.tokenizer.TestPaths;
import org.w3c.dom.Element;

/** The build records the pom's version and the checkout's commit where the job can read them. */
class BuildInfoTest {

  @Test
  void currentBuildHasThePomVersionAndACommit() throws Exception {
    Path root = TestPaths.projectRoot();
    Element project =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(root.resolve("pom.xml").toFile())
            .getDocumentElement();
    String pomVersion = project.getElementsByTagName("version").item(0).getTextContent();
    BuildInfo build = BuildInfo.current();
    assertEquals(pomVersion, build.version());
    if (Files.exists(root.resolve(".git"))) {
      assertTrue(build.commit().matches("[0-9a-f]{40}"), build.commit());
      assertTrue(build.dirty().equals("true") || build.dirty().equals("false"), build.dirty());
    } else {
      assertEquals(BuildInfo.UNKNOWN, build.commit());
    }
    assertEquals(build.version() + " " + build.commit(), build.describe().replace(" dirty", ""));
  }

  @Test
  void missingOrUnfilteredValuesFallBack() {
    Properties unfiltered = new Properties();
    unfiltered.setProperty("version", "${project.version}");
    unfiltered.setProperty("commit", "${git.commit.id.full}");
    assertEquals(new BuildInfo("dev", "unknown", "unknown"), BuildInfo.parse(unfiltered));
    assertEquals(new BuildInfo("dev", "unknown", "unknown"), BuildInfo.parse(new Properties()));
  }

  @Test
  void describeMarksADirtyTree() {
    assertEquals("1.0 abc dirty", new BuildInfo("1.0", "abc", "true").describe());
    assertEquals("1.0 abc", new BuildInfo("1.0", "abc", "false").describe());
    assertEquals("1.0 unknown", new BuildInfo("1.0", "unknown", "unknown").describe());
  }
}
