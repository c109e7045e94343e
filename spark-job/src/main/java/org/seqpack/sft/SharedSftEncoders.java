package org.seqpack.sft;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.seqpack.tokenizer.SharedEncoders;
import org.seqpack.tokenizer.TokenizerSpec;

/** One parsed chat template and SFT encoder per JVM and configuration, shared by all tasks. */
public final class SharedSftEncoders {
  private static final ConcurrentHashMap<String, SftEncoder> ENCODERS = new ConcurrentHashMap<>();

  private SharedSftEncoders() {}

  /**
   * @param templateSource the Jinja template text, or null when no template is available
   */
  public static SftEncoder get(TokenizerSpec spec, String templateSource, SftOptions options) {
    String key =
        spec.sha256()
            + "|"
            + (templateSource == null
                ? "-"
                : TokenizerSpec.sha256(
                    templateSource.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            + "|"
            + options;
    return ENCODERS.computeIfAbsent(
        key,
        k ->
            new SftEncoder(
                spec,
                SharedEncoders.get(spec),
                templateSource == null
                    ? null
                    : ChatTemplate.of(templateSource, spec.config(), Map.of()),
                options));
  }
}
