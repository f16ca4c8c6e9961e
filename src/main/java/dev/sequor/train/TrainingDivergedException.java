package dev.sequor.train;

/**
 * Training produced a NaN or infinite loss, gradient norm or parameter: the run stops here and
 * nothing is saved, so the last checkpoint written (if any) stays the last good one.
 */
public final class TrainingDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) { super(message); }
}
