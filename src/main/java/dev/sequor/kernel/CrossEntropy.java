package dev.sequor.kernel;

/**
 * Softmax cross-entropy over a vocabulary, fused with its gradient. PLACEHOLDER: scalar loops.
 */
public final class CrossEntropy {
  private CrossEntropy() {}

  /**
   * logits (rows,V), targets (rows) -> returns Σ_rows −log softmax(logits)[target] (natural log).
   * If dlogits is non-null it <b>accumulates</b> {@code scale · (softmax − onehot(target))} into it
   * (scale is typically 1/(number of predictions) for a mean loss). math/cross-entropy.md
   */
  public static double forwardBackward(float[] dlogits, int dOff, float[] logits, int lOff,
      int[] targets, int tOff, int rows, int vocab, float scale) {
    Checks.span("logits", logits, lOff, (long) rows * vocab);
    if (dlogits != null) Checks.span("dlogits", dlogits, dOff, (long) rows * vocab);
    if (targets == null || tOff < 0 || tOff + rows > targets.length)
      throw new IllegalArgumentException("targets: span [" + tOff + ", " + (tOff + rows) + ") outside targets");
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int t = targets[tOff + r];
      if (t < 0 || t >= vocab) throw new IllegalArgumentException("target " + t + " at row " + r + " outside vocabulary of " + vocab);
      int o = lOff + r * vocab;
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < vocab; c++) max = Math.max(max, logits[o + c]);
      double sum = 0;
      for (int c = 0; c < vocab; c++) sum += Math.exp(logits[o + c] - max);
      double logZ = max + Math.log(sum);
      total += logZ - logits[o + t];
      if (dlogits != null) {
        int d = dOff + r * vocab;
        for (int c = 0; c < vocab; c++) {
          float p = (float) Math.exp(logits[o + c] - logZ);
          dlogits[d + c] += scale * (p - (c == t ? 1f : 0f));
        }
      }
    }
    return total;
  }
}
