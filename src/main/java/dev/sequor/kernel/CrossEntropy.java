package dev.sequor.kernel;

import dev.sequor.kernel.ref.RefCrossEntropy;
import dev.sequor.kernel.simd.SimdCrossEntropy;

/**
 * Softmax cross-entropy over a vocabulary, fused with its gradient: one pass computes the
 * log-sum-exp of each row (max-shifted, so huge logits neither overflow nor lose the loss), a second
 * the gradient. math/cross-entropy.md
 */
public final class CrossEntropy {
  private CrossEntropy() {}

  /**
   * logits (rows,V), targets (rows) -> returns Σ_rows −log softmax(logits)[target] (natural log,
   * accumulated in double). If dlogits is non-null it <b>accumulates</b>
   * {@code scale · (softmax − onehot(target))} into it (scale is typically 1/(number of predictions)
   * for a mean loss). dlogits must not overlap logits. math/cross-entropy.md (2), (4)
   */
  public static double forwardBackward(float[] dlogits, int dOff, float[] logits, int lOff,
      int[] targets, int tOff, int rows, int vocab, float scale) {
    if (rows < 0 || vocab < 0)
      throw new IllegalArgumentException("cross-entropy: negative shape (rows " + rows + ", vocab " + vocab + ")");
    Checks.span("logits", logits, lOff, (long) rows * vocab);
    if (dlogits != null) Checks.span("dlogits", dlogits, dOff, (long) rows * vocab);
    if (targets == null) throw new IllegalArgumentException("targets is null");
    if (tOff < 0 || (long) tOff + rows > targets.length)
      throw new IllegalArgumentException(
          "targets: span [" + tOff + ", " + ((long) tOff + rows) + ") outside array of length " + targets.length);
    for (int r = 0; r < rows; r++) {
      int t = targets[tOff + r];
      if (t < 0 || t >= vocab)
        throw new IllegalArgumentException("targets: " + t + " at row " + r + " outside vocabulary of " + vocab);
    }
    if (Engine.SCALAR) return RefCrossEntropy.forwardBackward(dlogits, dOff, logits, lOff, targets, tOff, rows, vocab, scale);
    return SimdCrossEntropy.forwardBackward(dlogits, dOff, logits, lOff, targets, tOff, rows, vocab, scale);
  }
}
