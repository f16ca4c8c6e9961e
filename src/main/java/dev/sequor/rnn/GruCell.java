package dev.sequor.rnn;

import dev.sequor.kernel.Engine;
import dev.sequor.kernel.ref.ScalarMath;
import dev.sequor.kernel.simd.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GRU's fused post-GEMM pass for one row: gates [r|z|n] from the input projection xp (3H) and the
 * recurrent projection hp (3H) (each already holding its bias), the reset gate applied to the
 * recurrent part of the candidate only, as PyTorch does. math/gru-backward.md
 */
final class GruCell {
  private static final VectorSpecies<Float> F = VectorMath.F;

  private GruCell() {}

  /**
   * xp (3H), hp (3H), hPrev (H) -> h (H); saves [r|z|n|hn] (4H) into act unless act is null.
   * h may alias hPrev (each lane reads its own h before writing it). math/gru-backward.md (1)-(4)
   */
  static void forward(float[] h, int hOff, float[] hPrev, int hPrevOff, float[] xp, int xpOff,
      float[] hp, int hpOff, float[] act, int actOff, int n) {
    int j = 0;
    int bound = Engine.SCALAR ? 0 : F.loopBound(n);
    FloatVector one = FloatVector.broadcast(F, 1f);
    for (; j < bound; j += F.length()) {
      FloatVector r = VectorMath.sigmoid(
          FloatVector.fromArray(F, xp, xpOff + j).add(FloatVector.fromArray(F, hp, hpOff + j)));
      FloatVector z = VectorMath.sigmoid(
          FloatVector.fromArray(F, xp, xpOff + n + j).add(FloatVector.fromArray(F, hp, hpOff + n + j)));
      FloatVector hn = FloatVector.fromArray(F, hp, hpOff + 2 * n + j);
      FloatVector nn = VectorMath.tanh(r.fma(hn, FloatVector.fromArray(F, xp, xpOff + 2 * n + j)));
      FloatVector hv = FloatVector.fromArray(F, hPrev, hPrevOff + j);
      // (4): h' = z ⊙ h + (1 − z) ⊙ n in one rounding (exactly h at z = 1, n at z = 0), clamped to
      // [min(h, n), max(h, n)], where the exact value lies: rounding never pushes h' outside
      FloatVector mix = z.fma(hv, one.sub(z).mul(nn));
      mix.max(hv.min(nn)).min(hv.max(nn)).intoArray(h, hOff + j);
      if (act != null) {
        r.intoArray(act, actOff + j);
        z.intoArray(act, actOff + n + j);
        nn.intoArray(act, actOff + 2 * n + j);
        hn.intoArray(act, actOff + 3 * n + j);
      }
    }
    for (; j < n; j++) {
      float r = ScalarMath.sigmoid(xp[xpOff + j] + hp[hpOff + j]);
      float z = ScalarMath.sigmoid(xp[xpOff + n + j] + hp[hpOff + n + j]);
      float hn = hp[hpOff + 2 * n + j];
      float nn = ScalarMath.tanh(Math.fma(r, hn, xp[xpOff + 2 * n + j]));
      float hv = hPrev[hPrevOff + j];
      float mix = Math.fma(z, hv, (1f - z) * nn);
      h[hOff + j] = Math.min(Math.max(mix, Math.min(hv, nn)), Math.max(hv, nn));
      if (act != null) {
        act[actOff + j] = r;
        act[actOff + n + j] = z;
        act[actOff + 2 * n + j] = nn;
        act[actOff + 3 * n + j] = hn;
      }
    }
  }

  /**
   * dh (H) + dy (H), saved act [r|z|n|hn] (4H), hPrev (H) -> dGx (3H) = ∂L/∂(W_i· x + b_i·),
   * dGh (3H) = ∂L/∂(W_h· h + b_h·) (differs from dGx in the n block by the factor r),
   * dhPrev (H) = the direct path dh ⊙ z (the caller's GEMM adds dGh · W_hh). math/gru-backward.md (5)-(11)
   */
  static void backward(float[] dGx, int dGxOff, float[] dGh, int dGhOff, float[] dhPrev, int dhPrevOff,
      float[] dh, int dhOff, float[] dy, int dyOff, float[] hPrev, int hPrevOff, float[] act, int actOff, int n) {
    int j = 0;
    int bound = Engine.SCALAR ? 0 : F.loopBound(n);
    FloatVector one = FloatVector.broadcast(F, 1f);
    for (; j < bound; j += F.length()) {
      FloatVector g = FloatVector.fromArray(F, dh, dhOff + j).add(FloatVector.fromArray(F, dy, dyOff + j));
      FloatVector r = FloatVector.fromArray(F, act, actOff + j);
      FloatVector z = FloatVector.fromArray(F, act, actOff + n + j);
      FloatVector nn = FloatVector.fromArray(F, act, actOff + 2 * n + j);
      FloatVector hn = FloatVector.fromArray(F, act, actOff + 3 * n + j);
      FloatVector hv = FloatVector.fromArray(F, hPrev, hPrevOff + j);
      FloatVector dn = g.mul(one.sub(z)).mul(one.sub(nn.mul(nn)));        // (7)
      FloatVector dz = g.mul(hv.sub(nn)).mul(z.mul(one.sub(z)));          // (8)
      FloatVector dr = dn.mul(hn).mul(r.mul(one.sub(r)));                 // (9)
      dr.intoArray(dGx, dGxOff + j);
      dz.intoArray(dGx, dGxOff + n + j);
      dn.intoArray(dGx, dGxOff + 2 * n + j);
      dr.intoArray(dGh, dGhOff + j);
      dz.intoArray(dGh, dGhOff + n + j);
      dn.mul(r).intoArray(dGh, dGhOff + 2 * n + j);                       // (10)
      g.mul(z).intoArray(dhPrev, dhPrevOff + j);                          // (11), direct path
    }
    for (; j < n; j++) {
      float g = dh[dhOff + j] + dy[dyOff + j];
      float r = act[actOff + j], z = act[actOff + n + j], nn = act[actOff + 2 * n + j], hn = act[actOff + 3 * n + j];
      float hv = hPrev[hPrevOff + j];
      float dn = g * (1f - z) * (1f - nn * nn);
      float dz = g * (hv - nn) * (z * (1f - z));
      float dr = dn * hn * (r * (1f - r));
      dGx[dGxOff + j] = dr;
      dGx[dGxOff + n + j] = dz;
      dGx[dGxOff + 2 * n + j] = dn;
      dGh[dGhOff + j] = dr;
      dGh[dGhOff + n + j] = dz;
      dGh[dGhOff + 2 * n + j] = dn * r;
      dhPrev[dhPrevOff + j] = g * z;
    }
  }
}
