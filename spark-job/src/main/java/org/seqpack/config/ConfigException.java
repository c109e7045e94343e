package org.seqpack.config;

import java.util.List;
import org.seqpack.core.SeqpackException;

/** Every problem found in one configuration, reported at once. */
public final class ConfigException extends SeqpackException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
