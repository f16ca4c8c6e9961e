package dev.sequor.kernel.ref;

/** Scalar reference twin of {@link dev.sequor.kernel.simd.SimdCrossEntropy}. math/cross-entropy.md */
public final class RefCrossEntropy {
  private RefCrossEntropy() {}

  public static double forwardBackward(float[] dlogits, int dOff, float[] logits, int lOff,
      int[] targets, int tOff, int rows, int vocab, float scale) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int o = lOff + r * vocab, t = targets[tOff + r];
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < vocab; c++) max = Math.max(max, logits[o + c]);
      float sum = 0f;
      for (int c = 0; c < vocab; c++) sum += ScalarMath.expBounded(logits[o + c] - max);
      total += ((double) max - logits[o + t]) + Math.log(sum);
      if (dlogits == null) continue;
      int d = dOff + r * vocab;
      float inv = 1f / sum;
      float before = dlogits[d + t];
      for (int c = 0; c < vocab; c++) {
        float p = ScalarMath.expBounded(logits[o + c] - max) * inv;
        dlogits[d + c] = Math.fma(scale, p, dlogits[d + c]);
      }
      float pt = ScalarMath.expBounded(logits[o + t] - max) * inv;
      dlogits[d + t] = Math.fma(scale, pt - 1f, before);
    }
    return total;
  }
}
