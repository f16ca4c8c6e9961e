package dev.sequor.attention;

import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.Softmax;
import dev.sequor.kernel.Vec;
import java.util.Arrays;

/**
 * Scaled dot-product attention for one sequence and one head, {@code y = softmax(q kᵀ/√d) v}, with
 * optional causal and key-padding masks, forward and backward. math/attention.md
 *
 * <p>Operands are strided row-major slices (a head is a column block of a wider buffer, so q, k and v
 * can sit inside a fused (T, 3C) projection or a (context, C) KV cache without copies).
 *
 * <p><b>Masks.</b> Query row r sits at absolute position {@code firstPos + r}; with {@code causal} it
 * sees keys {@code 0 .. firstPos + r}. {@code keyPad[padOff + j]} true removes key j. Masked keys get
 * exactly zero weight. A row whose keys are all masked (possible with key padding) has all-zero
 * weights, hence a zero output and zero gradients — defined, never NaN. math/attention.md (6)
 *
 * <p><b>Row identity.</b> Each row's scores, softmax and weighted sum depend only on that row and on
 * the visible keys (the products follow {@link Gemm}'s per-element FMA-chain contract; masked keys
 * add exact zeros), so computing rows one at a time against a KV cache gives bit-for-bit the rows of
 * the batched computation.
 */
public final class ScaledDotProductAttention {
  private ScaledDotProductAttention() {}

  /** Scores of masked keys before the softmax: far enough below any visible score that exp gives 0. */
  private static final float MASKED_GAP = 1e4f;

  /**
   * The 1/√d score scale, rounded to float as PyTorch does when nanoGPT multiplies by
   * {@code 1.0 / math.sqrt(k.size(-1))}.
   */
  public static float scale(int headDim) { return (float) (1.0 / Math.sqrt(headDim)); }

  // q (t,hd) ld ldq, k (s,hd) ld ldk, v (s,hd) ld ldv -> y (t,hd) ld ldy (overwritten);
  // saves probs (t,s); with dropout, dropMask (t,s) given and dropped (t,s) = probs ⊙ dropMask saved.
  // dropped / dropMask null when there is no dropout; keyPad null when there is no padding.
  public static void forward(float[] y, int yOff, int ldy,
      float[] probs, int pOff, float[] dropped, int dOff, float[] dropMask, int mOff,
      float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
      boolean causal, int firstPos, boolean[] keyPad, int padOff, int t, int s, int hd) {
    forward(false, y, yOff, ldy, probs, pOff, dropped, dOff, dropMask, mOff, q, qOff, ldq, k, kOff, ldk,
        v, vOff, ldv, causal, firstPos, keyPad, padOff, t, s, hd);
  }

  // The same with the keys stored transposed, kᵀ (hd,s) with leading dimension ldk (the KV cache's
  // layout): the scores are then a GEMM that streams kᵀ in place, with the same FMA chain per score.
  public static void forwardTransposedKeys(float[] y, int yOff, int ldy, float[] probs, int pOff,
      float[] q, int qOff, int ldq, float[] kT, int kOff, int ldk, float[] v, int vOff, int ldv,
      boolean causal, int firstPos, int t, int s, int hd) {
    forward(true, y, yOff, ldy, probs, pOff, null, 0, null, 0, q, qOff, ldq, kT, kOff, ldk,
        v, vOff, ldv, causal, firstPos, null, 0, t, s, hd);
  }

  private static void forward(boolean keysTransposed, float[] y, int yOff, int ldy,
      float[] probs, int pOff, float[] dropped, int dOff, float[] dropMask, int mOff,
      float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
      boolean causal, int firstPos, boolean[] keyPad, int padOff, int t, int s, int hd) {
    if (causal && (firstPos < 0 || firstPos + t > s))
      throw new IllegalArgumentException("causal attention: " + t + " query rows from position " + firstPos
          + " need at least " + (firstPos + t) + " keys, got " + s);
    if (keyPad != null && (padOff < 0 || padOff + s > keyPad.length))
      throw new IllegalArgumentException("keyPad: span [" + padOff + ", " + (padOff + s) + ") outside length " + keyPad.length);
    int size = t * s;
    Arrays.fill(probs, pOff, pOff + size, 0f);
    if (keysTransposed) Gemm.nn(probs, pOff, s, q, qOff, ldq, k, kOff, ldk, t, s, hd); // math/attention.md (1)
    else Gemm.nt(probs, pOff, s, q, qOff, ldq, k, kOff, ldk, t, s, hd);
    float scale = scale(hd);
    for (int r = 0; r < t; r++) {
      int row = pOff + r * s;
      int visible = causal ? firstPos + r + 1 : s;
      Vec.scale(probs, row, scale, visible);
      if (keyPad == null) Softmax.rows(probs, row, probs, row, 1, visible); // (2)
      else paddedSoftmaxRow(probs, row, keyPad, padOff, visible);
      Arrays.fill(probs, row + visible, row + s, 0f); // causal mask: exact zeros (3)
    }
    float[] weights = probs;
    int wOff = pOff;
    if (dropped != null) {
      for (int i = 0; i < size; i++) dropped[dOff + i] = probs[pOff + i] * dropMask[mOff + i];
      weights = dropped;
      wOff = dOff;
    }
    for (int r = 0; r < t; r++) Arrays.fill(y, yOff + r * ldy, yOff + r * ldy + hd, 0f);
    Gemm.nn(y, yOff, ldy, weights, wOff, s, v, vOff, ldv, t, hd, s); // (4)
  }

  // dy (t,hd) -> dq (t,hd) +=, dk (s,hd) +=, dv (s,hd) +=. Uses the saved probs (and dropped/dropMask
  // when the forward had dropout); dP, dS are (t,s) scratch, overwritten. Masks need no argument:
  // masked weights are exact zeros, which zero their gradients. math/attention.md (7)–(11)
  public static void backward(float[] dq, int dqOff, int lddq, float[] dk, int dkOff, int lddk,
      float[] dv, int dvOff, int lddv, float[] dP, int dPOff, float[] dS, int dSOff,
      float[] dy, int dyOff, int lddy,
      float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
      float[] probs, int pOff, float[] dropped, int dOff, float[] dropMask, int mOff, int t, int s, int hd) {
    int size = t * s;
    float[] weights = dropped != null ? dropped : probs;
    int wOff = dropped != null ? dOff : pOff;
    Arrays.fill(dP, dPOff, dPOff + size, 0f);
    Gemm.nt(dP, dPOff, s, dy, dyOff, lddy, v, vOff, ldv, t, s, hd); // dW = dy vᵀ (7)
    Gemm.tn(dv, dvOff, lddv, weights, wOff, s, dy, dyOff, lddy, s, hd, t); // dv += Wᵀ dy (8)
    if (dropped != null) for (int i = 0; i < size; i++) dP[dPOff + i] *= dropMask[mOff + i];
    Arrays.fill(dS, dSOff, dSOff + size, 0f);
    Softmax.backward(dS, dSOff, probs, pOff, dP, dPOff, t, s); // softmax JVP (9), math/softmax.md
    Vec.scale(dS, dSOff, scale(hd), size);
    Gemm.nn(dq, dqOff, lddq, dS, dSOff, s, k, kOff, ldk, t, hd, s); // dq += dS k (10)
    Gemm.tn(dk, dkOff, lddk, dS, dSOff, s, q, qOff, ldq, s, hd, t); // dk += dSᵀ q (11)
  }

  // one row of scores (visible) -> softmax over the keys not padded; padded keys and fully padded rows 0
  private static void paddedSoftmaxRow(float[] x, int row, boolean[] keyPad, int padOff, int visible) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < visible; j++) if (!keyPad[padOff + j]) max = Math.max(max, x[row + j]);
    if (max == Float.NEGATIVE_INFINITY) { // every visible key padded: defined zero row (6)
      Arrays.fill(x, row, row + visible, 0f);
      return;
    }
    float floor = max - MASKED_GAP;
    for (int j = 0; j < visible; j++) if (keyPad[padOff + j]) x[row + j] = floor;
    Softmax.rows(x, row, x, row, 1, visible);
    for (int j = 0; j < visible; j++) if (keyPad[padOff + j]) x[row + j] = 0f;
  }
}
