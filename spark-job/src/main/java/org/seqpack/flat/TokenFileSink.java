package org.seqpack.flat;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a flat-format writer puts its files: a new stream per file name (relative to the output's
 * data folder). The Spark side decides where the stream really goes (an attempt file renamed when
 * the task finishes, or the final name on an object store).
 */
@FunctionalInterface
public interface TokenFileSink {
  OutputStream create(String name) throws IOException;
}
