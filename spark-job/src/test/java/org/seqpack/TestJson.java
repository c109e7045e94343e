package org.seqpack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON reader of the tests (Jackson), for stats.json, rejected records and golden files. */
public final class TestJson {
  /** Fails on anything after the first value, as a whole-document parse should. */
  public static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private TestJson() {}
}
