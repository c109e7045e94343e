package org.seqpack.core;

/** The one exception root of the job: a problem the user can act on, stated in its message. */
public class SeqpackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SeqpackException(String message) {
    super(message);
  }

  public SeqpackException(String message, Throwable cause) {
    super(message, cause);
  }
}
