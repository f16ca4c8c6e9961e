package dev.sequor.rnn;

import dev.sequor.kernel.Engine;
import dev.sequor.kernel.ref.ScalarMath;
import dev.sequor.kernel.simd.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vanilla RNN's fused post-GEMM pass for one row (one sequence at one step): the pre-activation
 * is the input projection plus the recurrent projection (both already carrying their biases), then
 * tanh or relu. One pass per 16-lane chunk, scalar tail, no temporaries. math/rnn-bptt.md
 */
final class RnnCell {
  private static final VectorSpecies<Float> F = VectorMath.F;

  private RnnCell() {}

  // xp (H) + hp (H) -> h (H); h' = act(xp + hp). h may alias xp or hp. math/rnn-bptt.md (1)
  static void forward(float[] h, int hOff, float[] xp, int xpOff, float[] hp, int hpOff, int n, boolean relu) {
    int j = 0;
    int bound = Engine.SCALAR ? 0 : F.loopBound(n);
    for (; j < bound; j += F.length()) {
      FloatVector pre = FloatVector.fromArray(F, xp, xpOff + j).add(FloatVector.fromArray(F, hp, hpOff + j));
      FloatVector out = relu ? pre.lanewise(VectorOperators.MAX, 0f) : VectorMath.tanh(pre);
      out.intoArray(h, hOff + j);
    }
    for (; j < n; j++) {
      float pre = xp[xpOff + j] + hp[hpOff + j];
      h[hOff + j] = relu ? Math.max(pre, 0f) : ScalarMath.tanh(pre);
    }
  }

  /**
   * dh (H) + dy (H), saved h' (H) -> dGx (H) = ∂L/∂pre (also ∂L/∂(W_hh h), the RNN has one pre-activation),
   * dhPrev (H) = 0 (h reaches h' only through W_hh, added by the caller's GEMM). math/rnn-bptt.md (4)-(5)
   */
  static void backward(float[] dG, int dGOff, float[] dhPrev, int dhPrevOff, float[] dh, int dhOff,
      float[] dy, int dyOff, float[] h, int hOff, int n, boolean relu) {
    int j = 0;
    int bound = Engine.SCALAR ? 0 : F.loopBound(n);
    FloatVector one = FloatVector.broadcast(F, 1f);
    FloatVector zero = FloatVector.zero(F);
    for (; j < bound; j += F.length()) {
      FloatVector g = FloatVector.fromArray(F, dh, dhOff + j).add(FloatVector.fromArray(F, dy, dyOff + j));
      FloatVector y = FloatVector.fromArray(F, h, hOff + j);
      FloatVector dpre = relu
          ? g.blend(zero, y.compare(VectorOperators.GT, 0f).not())
          : g.mul(one.sub(y.mul(y)));
      dpre.intoArray(dG, dGOff + j);
      zero.intoArray(dhPrev, dhPrevOff + j);
    }
    for (; j < n; j++) {
      float g = dh[dhOff + j] + dy[dyOff + j];
      float y = h[hOff + j];
      dG[dGOff + j] = relu ? (y > 0f ? g : 0f) : g * (1f - y * y);
      dhPrev[dhPrevOff + j] = 0f;
    }
  }
}
