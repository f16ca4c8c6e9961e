package dev.sequor.kernel.simd;

import static dev.sequor.kernel.simd.VectorMath.F;

import dev.sequor.kernel.ref.ScalarMath;
import jdk.incubator.vector.FloatVector;

/**
 * SIMD fused log-softmax + cross-entropy with its gradient; twin of
 * {@link dev.sequor.kernel.ref.RefCrossEntropy}. Validated by the facade
 * {@link dev.sequor.kernel.CrossEntropy}. math/cross-entropy.md
 */
public final class SimdCrossEntropy {
  private SimdCrossEntropy() {}

  private static final int L = F.length();

  public static double forwardBackward(float[] dlogits, int dOff, float[] logits, int lOff,
      int[] targets, int tOff, int rows, int vocab, float scale) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int o = lOff + r * vocab, t = targets[tOff + r];
      float max = SimdReduce.max(logits, o, vocab);
      float sum = SimdSoftmax.sumExpShift(logits, o, vocab, max);
      // (2): −log p_t = (max − x_t) + log Σ e^(x − max), in double
      total += ((double) max - logits[o + t]) + Math.log(sum);
      if (dlogits == null) continue;
      int d = dOff + r * vocab;
      float inv = 1f / sum;
      float before = dlogits[d + t];
      // (4): dlogits += scale · p, p = e^(x − max) / Σ
      FloatVector vmax = FloatVector.broadcast(F, max), vinv = FloatVector.broadcast(F, inv);
      FloatVector vscale = FloatVector.broadcast(F, scale);
      int i = 0;
      for (; i <= vocab - L; i += L) {
        FloatVector p = VectorMath.expBounded(FloatVector.fromArray(F, logits, o + i).sub(vmax)).mul(vinv);
        vscale.fma(p, FloatVector.fromArray(F, dlogits, d + i)).intoArray(dlogits, d + i);
      }
      for (; i < vocab; i++) {
        float p = ScalarMath.expBounded(logits[o + i] - max) * inv;
        dlogits[d + i] = Math.fma(scale, p, dlogits[d + i]);
      }
      // the target column exactly: scale · (p_t − 1), without the cancellation of (scale·p_t) − scale
      float pt = ScalarMath.expBounded(logits[o + t] - max) * inv;
      dlogits[d + t] = Math.fma(scale, pt - 1f, before);
    }
    return total;
  }
}
