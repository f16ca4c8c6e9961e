package dev.sequor.rnn;

import dev.sequor.kernel.Engine;
import dev.sequor.kernel.ref.ScalarMath;
import dev.sequor.kernel.simd.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The LSTM's fused post-GEMM pass for one row: gates [i|f|g|o] from the input projection xp (4H) plus
 * the recurrent projection hp (4H) (each already holding its bias), the cell update and the output.
 * In the style of oneDNN's ref_postgemm_lstm: one pass per 16-lane chunk, scalar tail. math/lstm-backward.md
 */
final class LstmCell {
  private static final VectorSpecies<Float> F = VectorMath.F;

  private LstmCell() {}

  /**
   * xp (4H), hp (4H), cPrev (H) -> c (H), h (H); saves [i|f|g|o|tanh c'] (5H) into act unless null.
   * c may alias cPrev (lane-wise read before write). math/lstm-backward.md (1)-(3)
   */
  static void forward(float[] h, int hOff, float[] c, int cOff, float[] cPrev, int cPrevOff,
      float[] xp, int xpOff, float[] hp, int hpOff, float[] act, int actOff, int n) {
    int j = 0;
    int bound = Engine.SCALAR ? 0 : F.loopBound(n);
    for (; j < bound; j += F.length()) {
      FloatVector i = VectorMath.sigmoid(
          FloatVector.fromArray(F, xp, xpOff + j).add(FloatVector.fromArray(F, hp, hpOff + j)));
      FloatVector f = VectorMath.sigmoid(
          FloatVector.fromArray(F, xp, xpOff + n + j).add(FloatVector.fromArray(F, hp, hpOff + n + j)));
      FloatVector g = VectorMath.tanh(
          FloatVector.fromArray(F, xp, xpOff + 2 * n + j).add(FloatVector.fromArray(F, hp, hpOff + 2 * n + j)));
      FloatVector o = VectorMath.sigmoid(
          FloatVector.fromArray(F, xp, xpOff + 3 * n + j).add(FloatVector.fromArray(F, hp, hpOff + 3 * n + j)));
      FloatVector cn = f.fma(FloatVector.fromArray(F, cPrev, cPrevOff + j), i.mul(g)); // (2)
      FloatVector tc = VectorMath.tanh(cn);
      cn.intoArray(c, cOff + j);
      o.mul(tc).intoArray(h, hOff + j);                                                // (3)
      if (act != null) {
        i.intoArray(act, actOff + j);
        f.intoArray(act, actOff + n + j);
        g.intoArray(act, actOff + 2 * n + j);
        o.intoArray(act, actOff + 3 * n + j);
        tc.intoArray(act, actOff + 4 * n + j);
      }
    }
    for (; j < n; j++) {
      float i = ScalarMath.sigmoid(xp[xpOff + j] + hp[hpOff + j]);
      float f = ScalarMath.sigmoid(xp[xpOff + n + j] + hp[hpOff + n + j]);
      float g = ScalarMath.tanh(xp[xpOff + 2 * n + j] + hp[hpOff + 2 * n + j]);
      float o = ScalarMath.sigmoid(xp[xpOff + 3 * n + j] + hp[hpOff + 3 * n + j]);
      float cn = Math.fma(f, cPrev[cPrevOff + j], i * g);
      float tc = ScalarMath.tanh(cn);
      c[cOff + j] = cn;
      h[hOff + j] = o * tc;
      if (act != null) {
        act[actOff + j] = i;
        act[actOff + n + j] = f;
        act[actOff + 2 * n + j] = g;
        act[actOff + 3 * n + j] = o;
        act[actOff + 4 * n + j] = tc;
      }
    }
  }

  /**
   * dh (H) + dy (H), dc (H) carried from step t+1, saved act (5H), cPrev (H) -> dG (4H) = ∂L/∂pre
   * for [i|f|g|o] (the same for the input and the recurrent projection), dcPrev (H) = dc_t ⊙ f (the
   * additive cell path), dhPrev (H) = 0 (h_{t−1} acts only through W_hh: the caller's GEMM).
   * math/lstm-backward.md (4)-(10)
   */
  static void backward(float[] dG, int dGOff, float[] dhPrev, int dhPrevOff, float[] dcPrev, int dcPrevOff,
      float[] dh, int dhOff, float[] dy, int dyOff, float[] dc, int dcOff, float[] cPrev, int cPrevOff,
      float[] act, int actOff, int n) {
    int j = 0;
    int bound = Engine.SCALAR ? 0 : F.loopBound(n);
    FloatVector one = FloatVector.broadcast(F, 1f);
    FloatVector zero = FloatVector.zero(F);
    for (; j < bound; j += F.length()) {
      FloatVector gh = FloatVector.fromArray(F, dh, dhOff + j).add(FloatVector.fromArray(F, dy, dyOff + j));
      FloatVector i = FloatVector.fromArray(F, act, actOff + j);
      FloatVector f = FloatVector.fromArray(F, act, actOff + n + j);
      FloatVector g = FloatVector.fromArray(F, act, actOff + 2 * n + j);
      FloatVector o = FloatVector.fromArray(F, act, actOff + 3 * n + j);
      FloatVector tc = FloatVector.fromArray(F, act, actOff + 4 * n + j);
      FloatVector dct = gh.mul(o).fma(one.sub(tc.mul(tc)), FloatVector.fromArray(F, dc, dcOff + j)); // (5)
      gh.mul(tc).mul(o.mul(one.sub(o))).intoArray(dG, dGOff + 3 * n + j);                              // (6)
      dct.mul(g).mul(i.mul(one.sub(i))).intoArray(dG, dGOff + j);                                        // (7)
      dct.mul(FloatVector.fromArray(F, cPrev, cPrevOff + j)).mul(f.mul(one.sub(f)))
          .intoArray(dG, dGOff + n + j);                                                                 // (8)
      dct.mul(i).mul(one.sub(g.mul(g))).intoArray(dG, dGOff + 2 * n + j);                                // (9)
      dct.mul(f).intoArray(dcPrev, dcPrevOff + j);                                                       // (10)
      zero.intoArray(dhPrev, dhPrevOff + j);
    }
    for (; j < n; j++) {
      float gh = dh[dhOff + j] + dy[dyOff + j];
      float i = act[actOff + j], f = act[actOff + n + j], g = act[actOff + 2 * n + j];
      float o = act[actOff + 3 * n + j], tc = act[actOff + 4 * n + j];
      float dct = Math.fma(gh * o, 1f - tc * tc, dc[dcOff + j]);
      dG[dGOff + 3 * n + j] = gh * tc * (o * (1f - o));
      dG[dGOff + j] = dct * g * (i * (1f - i));
      dG[dGOff + n + j] = dct * cPrev[cPrevOff + j] * (f * (1f - f));
      dG[dGOff + 2 * n + j] = dct * i * (1f - g * g);
      dcPrev[dcPrevOff + j] = dct * f;
      dhPrev[dhPrevOff + j] = 0f;
    }
  }
}
