package dev.sequor.attention;

import dev.sequor.kernel.CausalAttention;
import dev.sequor.transformer.StepPhases;
import java.util.SplittableRandom;

/**
 * Multi-head self-attention with a fused QKV projection, as nanoGPT's {@code CausalSelfAttention}:
 * {@code qkv = x W_attnᵀ + b_attn} (W_attn (3C, C)), head h reads columns {@code h·hd} of the q, k and
 * v thirds, the heads' outputs are concatenated and projected by {@code c_proj} (C, C).
 * math/multi-head-attention.md
 *
 * <p>Parameters live in one flat array (a {@code ParamStore}); this layer only knows their offsets.
 * Buffers are flat, batch-major: row {@code b·T + t}. Nothing is allocated here.
 */
public final class MultiHeadAttention {
  /** Model width C. */
  public final int dModel;
  /** Number of heads NH; C = NH · headDim. */
  public final int heads;
  /** Width of one head, hd = C / NH (any positive integer, not only powers of two). */
  public final int headDim;

  private final int wQkv, bQkv, wProj, bProj;

  /** Offsets of c_attn.weight (3C,C), c_attn.bias (3C), c_proj.weight (C,C), c_proj.bias (C); biases may be {@link Linear#NO_BIAS}. */
  public MultiHeadAttention(int dModel, int heads, int wQkv, int bQkv, int wProj, int bProj) {
    if (dModel <= 0 || heads <= 0 || dModel % heads != 0)
      throw new IllegalArgumentException("d_model " + dModel + " must be a positive multiple of heads " + heads);
    this.dModel = dModel;
    this.heads = heads;
    this.headDim = dModel / heads;
    this.wQkv = wQkv;
    this.bQkv = bQkv;
    this.wProj = wProj;
    this.bProj = bProj;
  }

  /** Floats of the (T,T) weights of one (sequence, head); probs hold batch·heads of them when kept. */
  public static int probsSize(int batch, int heads, int t) { return batch * heads * t * t; }

  // x (B·T,C), params p -> out (B·T,C); saves qkv (B·T,3C), yh (B·T,C) (heads side by side), and the
  // weights probs (B,NH,T,T). probsStride = T·T keeps every (b,h) for backward; 0 reuses one (T,T)
  // scratch (inference). With dropout > 0 and rng non-null, dropMask (B,NH,T,T) is drawn and
  // dropped = probs ⊙ dropMask kept (same stride); otherwise both may be null. keyPad (B,T) or null.
  public void forward(float[] out, int outOff, float[] qkv, int qkvOff, float[] yh, int yhOff,
      float[] probs, int probsOff, int probsStride, float[] dropped, int dOff, float[] dropMask, int mOff,
      float[] x, int xOff, float[] p, boolean causal, boolean[] keyPad, int batch, int t,
      float dropout, SplittableRandom rng) {
    int c = dModel, c3 = 3 * c, hd = headDim, n = batch * t;
    boolean drop = dropout > 0f && rng != null;
    if (drop && (dropped == null || dropMask == null))
      throw new IllegalArgumentException("attention dropout needs dropped and dropMask buffers");
    Linear.forward(qkv, qkvOff, p, wQkv, bQkv, x, xOff, n, c, c3); // math/multi-head-attention.md (1)
    if (causal && keyPad == null) { // the decoder's case: one fused kernel over all heads, in parallel
      if (StepPhases.ON) StepPhases.lap(StepPhases.F_QKV);
      if (drop) Dropout.fillMask(dropMask, mOff, probsSize(batch, heads, t), dropout, rng); // (b,h) order, as below
      CausalAttention.forward(yh, yhOff, c, probsStride == 0 && !drop ? null : probs, probsOff,
          drop ? dropped : null, dOff, drop ? dropMask : null, mOff, qkv, qkvOff, batch, heads, t, hd); // (2)
      if (StepPhases.ON) StepPhases.lap(StepPhases.F_ATTN);
      Linear.forward(out, outOff, p, wProj, bProj, yh, yhOff, n, c, c); // (3)
      if (StepPhases.ON) StepPhases.lap(StepPhases.F_APROJ);
      return;
    }
    for (int b = 0; b < batch; b++) {
      int rows = qkvOff + b * t * c3;
      for (int h = 0; h < heads; h++) {
        int slot = (b * heads + h) * probsStride;
        if (drop) Dropout.fillMask(dropMask, mOff + slot, t * t, dropout, rng);
        ScaledDotProductAttention.forward(yh, yhOff + b * t * c + h * hd, c,
            probs, probsOff + slot, drop ? dropped : null, dOff + slot, dropMask, mOff + slot,
            qkv, rows + h * hd, c3, qkv, rows + c + h * hd, c3, qkv, rows + 2 * c + h * hd, c3,
            causal, 0, keyPad, b * t, t, t, hd); // (2)
      }
    }
    Linear.forward(out, outOff, p, wProj, bProj, yh, yhOff, n, c, c); // (3)
  }

  // dout (B·T,C) -> dx (B·T,C) +=, parameter grads g +=. Needs what forward saved (probsStride T·T,
  // and dropped/dropMask if it had dropout) and its causal and keyPad. dqkv (B·T,3C), dyh (B·T,C),
  // dP, dS (T,T): scratch (unused in the fused causal case).
  public void backward(float[] dx, int dxOff, float[] g,
      float[] dqkv, int dqkvOff, float[] dyh, int dyhOff, float[] dP, int dPOff, float[] dS, int dSOff,
      float[] dout, int doutOff, float[] x, int xOff, float[] qkv, int qkvOff, float[] yh, int yhOff,
      float[] probs, int probsOff, float[] dropped, int dOff, float[] dropMask, int mOff,
      float[] p, boolean causal, boolean[] keyPad, int batch, int t) {
    int c = dModel, c3 = 3 * c, hd = headDim, n = batch * t;
    java.util.Arrays.fill(dyh, dyhOff, dyhOff + n * c, 0f);
    Linear.backward(dyh, dyhOff, g, wProj, bProj, dout, doutOff, yh, yhOff, p, n, c, c); // (4)
    if (StepPhases.ON) StepPhases.lap(StepPhases.B_APROJ);
    if (causal && keyPad == null) { // the fused kernel writes every element of dqkv: no zeroing
      CausalAttention.backward(dqkv, dqkvOff, false, dyh, dyhOff, c, qkv, qkvOff, probs, probsOff,
          dropped, dOff, dropped != null ? dropMask : null, mOff, batch, heads, t, hd); // (5)
      if (StepPhases.ON) StepPhases.lap(StepPhases.B_ATTN);
      Linear.backward(dx, dxOff, g, wQkv, bQkv, dqkv, dqkvOff, x, xOff, p, n, c, c3); // (6)
      if (StepPhases.ON) StepPhases.lap(StepPhases.B_QKV);
      return;
    }
    java.util.Arrays.fill(dqkv, dqkvOff, dqkvOff + n * c3, 0f);
    for (int b = 0; b < batch; b++) {
      int rows = qkvOff + b * t * c3, drows = dqkvOff + b * t * c3;
      for (int h = 0; h < heads; h++) {
        int slot = (b * heads + h) * t * t;
        ScaledDotProductAttention.backward(
            dqkv, drows + h * hd, c3, dqkv, drows + c + h * hd, c3, dqkv, drows + 2 * c + h * hd, c3,
            dP, dPOff, dS, dSOff, dyh, dyhOff + b * t * c + h * hd, c,
            qkv, rows + h * hd, c3, qkv, rows + c + h * hd, c3, qkv, rows + 2 * c + h * hd, c3,
            probs, probsOff + slot, dropped, dOff + slot, dropMask, mOff + slot, t, t, hd); // (5)
      }
    }
    Linear.backward(dx, dxOff, g, wQkv, bQkv, dqkv, dqkvOff, x, xOff, p, n, c, c3); // (6)
  }

  // x (n,C) rows at positions pos..pos+n-1 -> out (queries,C): the outputs of the last `queries` rows
  // only (all n rows when queries == n); inference, no dropout. Appends all n rows' keys and values to
  // cache layer `layer` (rows pos..pos+n-1) and attends causally over cached rows 0..pos+n-1. qkv
  // (n,3C), yh (queries,C), probs (queries, pos+n) are scratch. One token is n = 1: one GEMV per
  // projection and O(pos) attention work; a prompt or a re-run window is one batched call. Weights
  // are read transposed from pt (same offsets as p; see Linear.forwardTransposed), biases from p.
  public void forwardCached(float[] out, int outOff, float[] qkv, float[] yh, float[] probs,
      float[] x, int xOff, KvCache cache, int layer, int pos, int n, int queries, float[] p, float[] pt) {
    int c = dModel, c3 = 3 * c, hd = headDim;
    if (cache.dModel() != c) throw new IllegalArgumentException("KV cache width " + cache.dModel() + " != d_model " + c);
    if (pos < 0 || pos + n > cache.capacity())
      throw new IllegalArgumentException("KV cache of " + cache.capacity() + " rows cannot hold rows " + pos + ".." + (pos + n - 1));
    if (queries < 1 || queries > n) throw new IllegalArgumentException("queries must be in 1.." + n + ", got " + queries);
    Linear.forwardTransposed(qkv, 0, pt, wQkv, p, bQkv, x, xOff, n, c, c3);
    float[] keys = cache.keys(layer), values = cache.values(layer);
    int cap = cache.capacity();
    for (int r = 0; r < n; r++) {
      int row = r * c3;
      for (int j = 0; j < c; j++) keys[j * cap + pos + r] = qkv[row + c + j]; // keys transposed: a column
      System.arraycopy(qkv, row + 2 * c, values, (pos + r) * c, c);
    }
    int s = pos + n, first = n - queries;
    for (int h = 0; h < heads; h++) // the fused kernel's rows: bit-identical to forward's
      CausalAttention.forwardCached(yh, h * hd, c, qkv, first * c3 + h * hd, c3, keys, h * hd * cap, cap,
          values, h * hd, c, pos + first, queries, hd);
    Linear.forwardTransposed(out, outOff, pt, wProj, p, bProj, yh, 0, queries, c, c);
  }
}
