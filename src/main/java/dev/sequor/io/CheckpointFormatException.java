package dev.sequor.io;

/**
 * A checkpoint (or safetensors file) that cannot be used as it is: its message says what is wrong
 * and where (the file, the byte offset or the tensor). Every defect of a file's content surfaces
 * as this exception; failures to read the file at all remain {@link java.io.IOException}s.
 */
public class CheckpointFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CheckpointFormatException(String message) { super(message); }

  public CheckpointFormatException(String message, Throwable cause) { super(message, cause); }
}
