package dev.sequor.rnn;

import dev.sequor.kernel.simd.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GRU's and the LSTM's fused cell passes over a run of whole blocks of the {@link StreamLayout}
 * (gates interleaved per block of L units: block at unit j has its pre-activations at j·G, gate k at
 * + k·L), one loop per sub-kernel over all the blocks instead of one {@link Cells#forward} call per
 * block, which costs about as much again in call and loop overhead as the arithmetic for L = 16
 * units. Per lane the operations are exactly those of {@link LstmCell#forward} and {@link
 * GruCell#forward} in the same order, so the results are equal bit for bit (the streaming tests
 * compare with the training forward). Sub-kernels of at most two VectorMath calls each, for C2's
 * inlining budget (see LstmCell#forward). The gate activations go to act, block at unit j at j·S
 * (S = the cell's saved width) from actOff, gate k at + k·L: the per-block layout of {@link StreamLayout#cells}.
 */
final class StreamCells {
  private static final VectorSpecies<Float> F = VectorMath.F;
  private static final int L = F.length();

  private StreamCells() {}

  /**
   * LSTM, units [j0, j1) (multiples of L, whole blocks): xp, hp (packed pre-activations, biases
   * included), cPrev (H) -> c (H), h (H). c may alias cPrev. math/lstm-backward.md (1)-(3)
   */
  static void lstm(float[] h, int hOff, float[] c, int cOff, float[] cPrev, int cPrevOff,
      float[] xp, int xpOff, float[] hp, int hpOff, float[] act, int actOff, int j0, int j1) {
    lstmInputForget(act, actOff, xp, xpOff, hp, hpOff, j0, j1);
    lstmCellOutput(act, actOff, xp, xpOff, hp, hpOff, j0, j1);
    lstmUpdate(h, hOff, c, cOff, cPrev, cPrevOff, act, actOff, j0, j1);
  }

  // act[i] = σ(xp_i + hp_i), act[f] = σ(xp_f + hp_f). math/lstm-backward.md (1)
  private static void lstmInputForget(float[] act, int actOff, float[] xp, int xpOff, float[] hp, int hpOff, int j0, int j1) {
    for (int j = j0; j < j1; j += L) {
      int x = xpOff + 4 * j, r = hpOff + 4 * j, a = actOff + 5 * j;
      FloatVector i = VectorMath.sigmoid(FloatVector.fromArray(F, xp, x).add(FloatVector.fromArray(F, hp, r)));
      FloatVector f = VectorMath.sigmoid(FloatVector.fromArray(F, xp, x + L).add(FloatVector.fromArray(F, hp, r + L)));
      i.intoArray(act, a);
      f.intoArray(act, a + L);
    }
  }

  // act[g] = tanh(xp_g + hp_g), act[o] = σ(xp_o + hp_o). math/lstm-backward.md (1)
  private static void lstmCellOutput(float[] act, int actOff, float[] xp, int xpOff, float[] hp, int hpOff, int j0, int j1) {
    for (int j = j0; j < j1; j += L) {
      int x = xpOff + 4 * j, r = hpOff + 4 * j, a = actOff + 5 * j;
      FloatVector g = VectorMath.tanh(FloatVector.fromArray(F, xp, x + 2 * L).add(FloatVector.fromArray(F, hp, r + 2 * L)));
      FloatVector o = VectorMath.sigmoid(FloatVector.fromArray(F, xp, x + 3 * L).add(FloatVector.fromArray(F, hp, r + 3 * L)));
      g.intoArray(act, a + 2 * L);
      o.intoArray(act, a + 3 * L);
    }
  }

  // c' = f ⊙ c + i ⊙ g (one rounding), h' = o ⊙ tanh c'. math/lstm-backward.md (2)-(3)
  private static void lstmUpdate(float[] h, int hOff, float[] c, int cOff, float[] cPrev, int cPrevOff,
      float[] act, int actOff, int j0, int j1) {
    for (int j = j0; j < j1; j += L) {
      int a = actOff + 5 * j;
      FloatVector i = FloatVector.fromArray(F, act, a);
      FloatVector f = FloatVector.fromArray(F, act, a + L);
      FloatVector g = FloatVector.fromArray(F, act, a + 2 * L);
      FloatVector o = FloatVector.fromArray(F, act, a + 3 * L);
      FloatVector cn = f.fma(FloatVector.fromArray(F, cPrev, cPrevOff + j), i.mul(g)); // (2)
      FloatVector tc = VectorMath.tanh(cn);
      cn.intoArray(c, cOff + j);
      tc.intoArray(act, a + 4 * L);
      o.mul(tc).intoArray(h, hOff + j);                                                  // (3)
    }
  }

  /**
   * GRU, units [j0, j1) (multiples of L, whole blocks): xp, hp (packed pre-activations, biases
   * included), hPrev (H) -> h (H). h may alias hPrev. math/gru-backward.md (1)-(4)
   */
  static void gru(float[] h, int hOff, float[] hPrev, int hPrevOff, float[] xp, int xpOff, float[] hp, int hpOff,
      float[] act, int actOff, int j0, int j1) {
    gruResetUpdate(act, actOff, xp, xpOff, hp, hpOff, j0, j1);
    gruUpdate(h, hOff, hPrev, hPrevOff, xp, xpOff, act, actOff, j0, j1);
  }

  // act[r] = σ(xp_r + hp_r), act[z] = σ(xp_z + hp_z), act[hn] = hp_n. math/gru-backward.md (1)-(2)
  private static void gruResetUpdate(float[] act, int actOff, float[] xp, int xpOff, float[] hp, int hpOff, int j0, int j1) {
    for (int j = j0; j < j1; j += L) {
      int x = xpOff + 3 * j, r = hpOff + 3 * j, a = actOff + 4 * j;
      FloatVector rv = VectorMath.sigmoid(FloatVector.fromArray(F, xp, x).add(FloatVector.fromArray(F, hp, r)));
      FloatVector z = VectorMath.sigmoid(FloatVector.fromArray(F, xp, x + L).add(FloatVector.fromArray(F, hp, r + L)));
      rv.intoArray(act, a);
      z.intoArray(act, a + L);
      FloatVector.fromArray(F, hp, r + 2 * L).intoArray(act, a + 3 * L);
    }
  }

  // n = tanh(xp_n + r ⊙ hn), h' = z ⊙ h + (1 − z) ⊙ n clamped to [min(h, n), max(h, n)]. math/gru-backward.md (3)-(4)
  private static void gruUpdate(float[] h, int hOff, float[] hPrev, int hPrevOff, float[] xp, int xpOff,
      float[] act, int actOff, int j0, int j1) {
    FloatVector one = FloatVector.broadcast(F, 1f);
    for (int j = j0; j < j1; j += L) {
      int a = actOff + 4 * j;
      FloatVector r = FloatVector.fromArray(F, act, a);
      FloatVector z = FloatVector.fromArray(F, act, a + L);
      FloatVector hn = FloatVector.fromArray(F, act, a + 3 * L);
      FloatVector nn = VectorMath.tanh(r.fma(hn, FloatVector.fromArray(F, xp, xpOff + 3 * j + 2 * L)));
      FloatVector hv = FloatVector.fromArray(F, hPrev, hPrevOff + j);
      FloatVector mix = z.fma(hv, one.sub(z).mul(nn)); // as GruCell: one rounding, then the clamp
      nn.intoArray(act, a + 2 * L);
      mix.max(hv.min(nn)).min(hv.max(nn)).intoArray(h, hOff + j);
    }
  }
}
