package org.seqpack.sft;

import org.seqpack.core.SeqpackException;

/** A chat template failed to parse or render, or called {@code raise_exception}. */
public class ChatTemplateException extends SeqpackException {
  private static final long serialVersionUID = 1L;

  public ChatTemplateException(String message) {
    super(message);
  }

  public ChatTemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
