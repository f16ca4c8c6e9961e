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
   * xp (4H), hp (4H), cPrev (H) -> c (H), h (H); act (5H) receives [i|f|g|o|tanh c'] (what backward
   * needs; streaming passes a scratch). c may alias cPrev (lane-wise read before write).
   * math/lstm-backward.md (1)-(3)
   *
   * <p>Three sub-kernels of at most two VectorMath calls each, not one loop with five: C2 inlines
   * only about two of the polynomial activations into one compilation (its node budget); past that
   * the vectors would cross real calls and be boxed, several times slower. Each sub-kernel is larger
   * than C2's hot-inlining limit (325 bytecodes), so each stays its own compilation. The per-lane
   * arithmetic is the same as one fused loop's.
   */
  static void forward(float[] h, int hOff, float[] c, int cOff, float[] cPrev, int cPrevOff,
      float[] xp, int xpOff, float[] hp, int hpOff, float[] act, int actOff, int n) {
    forward(h, hOff, c, cOff, cPrev, cPrevOff, xp, xpOff, n, hp, hpOff, n, 1, act, actOff, n, n);
  }

  /**
   * {@link #forward} over n units of a row whose gate blocks are {@code xs} (xp), {@code as} (act)
   * floats apart, and whose hp is either the same (hc = 1, gate stride hs) or gate-interleaved
   * (hc = 4: chunks of hs units, each holding its hs units of i, f, g, o in turn, hs floats apart —
   * a {@link dev.sequor.kernel.PackedMatrix#ofTransposedInterleaved} product's columns, hs a multiple of
   * the vector length). Unit j's gate q of hp is at {@code hpOff + q·hs + hc·(j − j % hs) + j % hs}.
   */
  static void forward(float[] h, int hOff, float[] c, int cOff, float[] cPrev, int cPrevOff,
      float[] xp, int xpOff, int xs, float[] hp, int hpOff, int hs, int hc, float[] act, int actOff, int as, int n) {
    inputForget(act, actOff, as, xp, xpOff, xs, hp, hpOff, hs, hc, n);
    cellOutput(act, actOff, as, xp, xpOff, xs, hp, hpOff, hs, hc, n);
    update(h, hOff, c, cOff, cPrev, cPrevOff, act, actOff, as, n);
  }

  // hp's offset of unit j (gate 0): j itself, or j's place in the gate-interleaved chunks of hs units
  private static int hpAt(int j, int hs, int hc) { return hc == 1 ? j : hc * (j - j % hs) + j % hs; }

  // act[i] = σ(xp_i + hp_i), act[f] = σ(xp_f + hp_f). math/lstm-backward.md (1)
  private static void inputForget(float[] act, int actOff, int as, float[] xp, int xpOff, int xs,
      float[] hp, int hpOff, int hs, int hc, int n) {
    int j = 0;
    int bound = Engine.SCALAR ? 0 : F.loopBound(n);
    for (; j < bound; j += F.length()) {
      int hj = hpOff + hc * j; // a whole vector lies in one chunk: hs is a multiple of the length (or hc = 1)
      FloatVector i = VectorMath.sigmoid(
          FloatVector.fromArray(F, xp, xpOff + j).add(FloatVector.fromArray(F, hp, hj)));
      FloatVector f = VectorMath.sigmoid(
          FloatVector.fromArray(F, xp, xpOff + xs + j).add(FloatVector.fromArray(F, hp, hj + hs)));
      i.intoArray(act, actOff + j);
      f.intoArray(act, actOff + as + j);
    }
    for (; j < n; j++) {
      int hj = hpOff + hpAt(j, hs, hc);
      float i = ScalarMath.sigmoid(xp[xpOff + j] + hp[hj]);
      float f = ScalarMath.sigmoid(xp[xpOff + xs + j] + hp[hj + hs]);
      act[actOff + j] = i;
      act[actOff + as + j] = f;
    }
  }

  // act[g] = tanh(xp_g + hp_g), act[o] = σ(xp_o + hp_o). math/lstm-backward.md (1)
  private static void cellOutput(float[] act, int actOff, int as, float[] xp, int xpOff, int xs,
      float[] hp, int hpOff, int hs, int hc, int n) {
    int j = 0;
    int bound = Engine.SCALAR ? 0 : F.loopBound(n);
    for (; j < bound; j += F.length()) {
      int hj = hpOff + hc * j;
      FloatVector g = VectorMath.tanh(
          FloatVector.fromArray(F, xp, xpOff + 2 * xs + j).add(FloatVector.fromArray(F, hp, hj + 2 * hs)));
      FloatVector o = VectorMath.sigmoid(
          FloatVector.fromArray(F, xp, xpOff + 3 * xs + j).add(FloatVector.fromArray(F, hp, hj + 3 * hs)));
      g.intoArray(act, actOff + 2 * as + j);
      o.intoArray(act, actOff + 3 * as + j);
    }
    for (; j < n; j++) {
      int hj = hpOff + hpAt(j, hs, hc);
      float g = ScalarMath.tanh(xp[xpOff + 2 * xs + j] + hp[hj + 2 * hs]);
      float o = ScalarMath.sigmoid(xp[xpOff + 3 * xs + j] + hp[hj + 3 * hs]);
      act[actOff + 2 * as + j] = g;
      act[actOff + 3 * as + j] = o;
    }
  }

  // c' = f ⊙ c + i ⊙ g (one rounding), h' = o ⊙ tanh c', act[tc] = tanh c'. math/lstm-backward.md (2)-(3)
  private static void update(float[] h, int hOff, float[] c, int cOff, float[] cPrev, int cPrevOff,
      float[] act, int actOff, int as, int n) {
    int j = 0;
    int bound = Engine.SCALAR ? 0 : F.loopBound(n);
    for (; j < bound; j += F.length()) {
      FloatVector i = FloatVector.fromArray(F, act, actOff + j);
      FloatVector f = FloatVector.fromArray(F, act, actOff + as + j);
      FloatVector g = FloatVector.fromArray(F, act, actOff + 2 * as + j);
      FloatVector o = FloatVector.fromArray(F, act, actOff + 3 * as + j);
      FloatVector cn = f.fma(FloatVector.fromArray(F, cPrev, cPrevOff + j), i.mul(g)); // (2)
      FloatVector tc = VectorMath.tanh(cn);
      cn.intoArray(c, cOff + j);
      tc.intoArray(act, actOff + 4 * as + j);
      o.mul(tc).intoArray(h, hOff + j);                                                  // (3)
    }
    for (; j < n; j++) {
      float i = act[actOff + j], f = act[actOff + as + j], g = act[actOff + 2 * as + j], o = act[actOff + 3 * as + j];
      float cn = Math.fma(f, cPrev[cPrevOff + j], i * g);
      float tc = ScalarMath.tanh(cn);
      c[cOff + j] = cn;
      act[actOff + 4 * as + j] = tc;
      h[hOff + j] = o * tc;
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
    backward(dG, dGOff, dcPrev, dcPrevOff, dh, dhOff, dy, dyOff, dc, dcOff, cPrev, cPrevOff, act, actOff, n, n);
    java.util.Arrays.fill(dhPrev, dhPrevOff, dhPrevOff + n, 0f);
  }

  /**
   * {@link #backward} over n units of a row whose gate blocks (dG and act) are {@code gs} floats
   * apart, without touching dhPrev (the caller's GEMM produces it).
   */
  static void backward(float[] dG, int dGOff, float[] dcPrev, int dcPrevOff,
      float[] dh, int dhOff, float[] dy, int dyOff, float[] dc, int dcOff, float[] cPrev, int cPrevOff,
      float[] act, int actOff, int gs, int n) {
    int j = 0;
    int bound = Engine.SCALAR ? 0 : F.loopBound(n);
    FloatVector one = FloatVector.broadcast(F, 1f);
    for (; j < bound; j += F.length()) {
      FloatVector gh = FloatVector.fromArray(F, dh, dhOff + j).add(FloatVector.fromArray(F, dy, dyOff + j));
      FloatVector i = FloatVector.fromArray(F, act, actOff + j);
      FloatVector f = FloatVector.fromArray(F, act, actOff + gs + j);
      FloatVector g = FloatVector.fromArray(F, act, actOff + 2 * gs + j);
      FloatVector o = FloatVector.fromArray(F, act, actOff + 3 * gs + j);
      FloatVector tc = FloatVector.fromArray(F, act, actOff + 4 * gs + j);
      FloatVector dct = gh.mul(o).fma(one.sub(tc.mul(tc)), FloatVector.fromArray(F, dc, dcOff + j)); // (5)
      gh.mul(tc).mul(o.mul(one.sub(o))).intoArray(dG, dGOff + 3 * gs + j);                             // (6)
      dct.mul(g).mul(i.mul(one.sub(i))).intoArray(dG, dGOff + j);                                       // (7)
      dct.mul(FloatVector.fromArray(F, cPrev, cPrevOff + j)).mul(f.mul(one.sub(f)))
          .intoArray(dG, dGOff + gs + j);                                                               // (8)
      dct.mul(i).mul(one.sub(g.mul(g))).intoArray(dG, dGOff + 2 * gs + j);                              // (9)
      dct.mul(f).intoArray(dcPrev, dcPrevOff + j);                                                      // (10)
    }
    for (; j < n; j++) {
      float gh = dh[dhOff + j] + dy[dyOff + j];
      float i = act[actOff + j], f = act[actOff + gs + j], g = act[actOff + 2 * gs + j];
      float o = act[actOff + 3 * gs + j], tc = act[actOff + 4 * gs + j];
      float dct = Math.fma(gh * o, 1f - tc * tc, dc[dcOff + j]);
      dG[dGOff + 3 * gs + j] = gh * tc * (o * (1f - o));
      dG[dGOff + j] = dct * g * (i * (1f - i));
      dG[dGOff + gs + j] = dct * cPrev[cPrevOff + j] * (f * (1f - f));
      dG[dGOff + 2 * gs + j] = dct * i * (1f - g * g);
      dcPrev[dcPrevOff + j] = dct * f;
    }
  }
}
