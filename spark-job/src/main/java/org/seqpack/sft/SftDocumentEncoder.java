package org.seqpack.sft;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.seqpack.core.ChunkedDocument;
import org.seqpack.core.DocumentEncoder;
import org.seqpack.core.EncodedDocuments;
import org.seqpack.core.RecordParser;
import org.seqpack.core.SourceDocument;

/**
 * SFT records: one JSON object per record holding a list of messages (used when the messages field
 * is present) or a prompt/completion pair, encoded by {@link SftEncoder} into tokens with targets.
 */
public final class SftDocumentEncoder implements DocumentEncoder {
  /** Reason for chat records when neither the tokenizer nor --chat-template gives a template. */
  public static final String NO_CHAT_TEMPLATE = "no_chat_template";

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxStringLength(Integer.MAX_VALUE)
                      .maxNestingDepth(1000)
                      .build())
              .build());

  private final SftConfig config;
  private final SftEncoder encoder;
  private final boolean hasTemplate;

  public SftDocumentEncoder(SftConfig config, SftEncoder encoder, boolean hasTemplate) {
    this.config = config;
    this.encoder = encoder;
    this.hasTemplate = hasTemplate;
  }

  @Override
  public Result encode(SourceDocument document, long ordinal) {
    if (document.text().isBlank()) {
      return Result.rejected(EncodedDocuments.EMPTY);
    }
    JsonNode root;
    try {
      root = JSON.readTree(document.text());
    } catch (IOException e) {
      return Result.rejected(RecordParser.INVALID_JSON);
    }
    if (root == null || !root.isObject()) {
      return Result.rejected(RecordParser.NOT_AN_OBJECT);
    }
    SftResult result;
    JsonNode messages = root.get(config.messagesField());
    if (messages != null && !messages.isNull()) {
      if (!hasTemplate) {
        return Result.rejected(NO_CHAT_TEMPLATE);
      }
      List<Message> parsed = messages(messages);
      if (parsed == null) {
        return Result.rejected(Rejection.INVALID_MESSAGES.counterName());
      }
      result = encoder.encodeChat(parsed);
    } else {
      JsonNode prompt = root.get(config.promptField());
      JsonNode completion = root.get(config.completionField());
      if (prompt == null || completion == null) {
        return Result.rejected(RecordParser.MISSING_FIELD);
      }
      if (!prompt.isTextual() || !completion.isTextual()) {
        return Result.rejected(
            prompt.isNull() || completion.isNull()
                ? RecordParser.NULL_FIELD
                : RecordParser.FIELD_NOT_STRING);
      }
      result = encoder.encodeCompletion(prompt.asText(), completion.asText());
    }
    if (result instanceof SftResult.Rejected rejected) {
      return Result.rejected(rejected.reason().counterName());
    }
    SftResult.Accepted accepted = (SftResult.Accepted) result;
    ChunkedDocument.Kind kind =
        accepted.windowStarts().length > 1
            ? ChunkedDocument.Kind.SPLIT
            : accepted.promptTokensCut() > 0
                ? ChunkedDocument.Kind.TRUNCATED
                : ChunkedDocument.Kind.KEPT;
    return Result.of(
        new ChunkedDocument(accepted.chunks(ordinal), accepted.promptTokensCut(), kind));
  }

  /** The messages, or null when the list or any message is malformed. */
  private static List<Message> messages(JsonNode node) {
    if (!node.isArray()) {
      return null;
    }
    List<Message> messages = new ArrayList<>(node.size());
    for (JsonNode message : node) {
      JsonNode role = message.get("role");
      JsonNode content = message.get("content");
      if (!message.isObject()
          || role == null
          || !role.isTextual()
          || content == null
          || !content.isTextual()
          || !SftEncoder.ROLES.contains(role.asText())) {
        return null;
      }
      messages.add(new Message(role.asText(), content.asText()));
    }
    return messages;
  }
}
