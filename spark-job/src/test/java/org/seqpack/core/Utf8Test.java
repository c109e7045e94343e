package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** UTF-8 well-formedness and repair, against literal cases and against the JDK's decoder. */
class Utf8Test {

  @ParameterizedTest(name = "{0} -> first invalid {1}, repaired {2}")
  @CsvSource({
    // bytes, first invalid index, repaired bytes
    "41c3a942, -1, 41c3a942", // é
    "41f09f918b42, -1, 41f09f918b42", // 👋
    "41ff42, 1, 41efbfbd42", // never a lead byte
    "41c342, 1, 41efbfbd42", // truncated 2-byte sequence
    "41c0af42, 1, 41efbfbdefbfbd42", // overlong '/'
    "41e28242, 1, 41efbfbd42", // truncated 3-byte: one U+FFFD for the maximal subpart
    "41eda08042, 1, 41efbfbd42", // an encoded surrogate (CESU-8): one U+FFFD, as in the JDK
    "41f4908080, 1, 41efbfbdefbfbdefbfbdefbfbd", // above U+10FFFF
    "41f09f91, 1, 41efbfbd", // truncated at the end
    "80, 0, efbfbd", // lone continuation byte
  })
  void table(String hex, int firstInvalid, String repairedHex) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    assertEquals(firstInvalid, Utf8.firstInvalid(bytes, 0, bytes.length));
    assertEquals(repairedHex, HexFormat.of().formatHex(Utf8.repair(bytes, 0, bytes.length)));
  }

  /** Repair then decode gives exactly what the JDK's replacing decoder gives. */
  @Property(tries = 3000)
  void repairAgreesWithTheJdk(@ForAll @Size(max = 40) byte[] bytes) {
    String jdk = new String(bytes, StandardCharsets.UTF_8);
    byte[] repaired = Utf8.repair(bytes, 0, bytes.length);
    assertEquals(jdk, new String(repaired, StandardCharsets.UTF_8));
    assertEquals(-1, Utf8.firstInvalid(repaired, 0, repaired.length));
    if (Utf8.firstInvalid(bytes, 0, bytes.length) < 0) {
      assertArrayEquals(bytes, repaired);
    }
  }

  /** Well-formed exactly when the JDK's strict decoder accepts the bytes. */
  @Property(tries = 3000)
  void validityAgreesWithTheJdk(@ForAll @Size(max = 40) byte[] bytes) {
    boolean jdkValid;
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      jdkValid = true;
    } catch (CharacterCodingException e) {
      jdkValid = false;
    }
    assertEquals(jdkValid, Utf8.firstInvalid(bytes, 0, bytes.length) < 0);
  }

  @ParameterizedTest
  @CsvSource({"3, 'ab'", "4, 'abé'", "5, 'abé'", "7, 'abé'", "8, 'abé👋'", "9, 'abé👋c'"})
  void excerptsNeverSplitACharacter(int maxBytes, String expected) {
    byte[] bytes = "abé👋c".getBytes(StandardCharsets.UTF_8);
    assertEquals(expected, Utf8.excerpt(bytes, 0, bytes.length, maxBytes));
  }
}
