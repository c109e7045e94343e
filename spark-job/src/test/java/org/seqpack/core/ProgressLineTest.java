package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgressLineTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0|2|0|0|0.0|0.0|progress: 0/2 partitions, 0 documents, 0 tokens (0 tokens/s), 0 s elapsed,"
            + " ETA unknown",
        "1|4|12345|3000000|10.0|0.25|progress: 1/4 partitions, 12,345 documents, 3,000,000 tokens"
            + " (300,000 tokens/s), 10 s elapsed, ETA 30 s",
        "3|4|99|5|125.0|0.5|progress: 3/4 partitions, 99 documents, 5 tokens (0 tokens/s), 2 min"
            + " 05 s elapsed, ETA 2 min 05 s",
        "9|10|1|7200|3600.0|0.1|progress: 9/10 partitions, 1 documents, 7,200 tokens (2 tokens/s), 1"
            + " h 00 min elapsed, ETA 9 h 00 min",
        "2|2|1000|474854|3.0|1.0|progress: 2/2 partitions, 1,000 documents, 474,854 tokens (158,285"
            + " tokens/s), 3 s elapsed, done",
      })
  void formats(
      int done, int total, long documents, long tokens, double elapsed, double read, String line) {
    assertEquals(line, ProgressLine.format(done, total, documents, tokens, elapsed, read));
  }
}
