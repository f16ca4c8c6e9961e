package dev.sequor.transformer;

import dev.sequor.attention.MultiHeadAttention;

/**
 * Where every activation of one (batch, T) forward lives: offsets into one flat activation array, and
 * (when kept for backward) offsets of the gradient scratch in one flat work array. Computed here once
 * per shape; every forward/backward of that shape reuses the arrays without allocating.
 *
 * <p>Rows are batch-major ({@code b·T + t}); per layer l the saved tensors are the block's input
 * {@code res[l]}, both LayerNorms (output, mean, rstd), the fused qkv, the heads' concatenated output
 * {@code yh}, the attention branch {@code attOut}, the mid-block residual {@code mid}, the MLP's
 * pre-GELU {@code fc}, {@code gelu}, GELU's derivative {@code geluGrad} (kept for backward only) and
 * {@code mlpOut}. The attention weights (B,NH,T,T) per layer are
 * kept only for backward; inference shares one (T,T) scratch. Dropout masks exist only with dropout.
 */
final class GptLayout {
  static final int NONE = -1;

  final int batch, t, n, c, hidden, heads, layers, vocab;
  /** Activations (and attention weights) saved for backward. */
  final boolean keep;
  /** Dropout masks allocated (training with dropout). */
  final boolean dropout;

  final int[] res, ln1, ln1Mean, ln1Rstd, qkv, yh, attOut, mid, ln2, ln2Mean, ln2Rstd, fc, gelu, geluGrad, mlpOut;
  final int[] probs, dropped, attMask, attOutMask, mlpMask;
  /** Distance between consecutive (b,h) weight blocks: T·T when kept, 0 when one scratch is reused. */
  final int probsStride;
  final int embMask, lnf, lnfMean, lnfRstd, logits;
  final int actSize;

  // gradient scratch (work array), valid when keep
  final int dRes, dBranch, dLn, dQkv, dYh, dFc, dGelu, dLogits, dP, dS;
  final int workSize;

  private int next;

  GptLayout(GptConfig cfg, int vocab, int batch, int t, boolean keep, boolean dropout) {
    this.batch = batch;
    this.t = t;
    this.n = batch * t;
    this.c = cfg.dModel();
    this.hidden = 4 * c;
    this.heads = cfg.heads();
    this.layers = cfg.layers();
    this.vocab = vocab;
    this.keep = keep;
    this.dropout = dropout && keep;
    int nc = n * c, L = layers;
    res = new int[L + 1];
    ln1 = new int[L]; ln1Mean = new int[L]; ln1Rstd = new int[L]; qkv = new int[L]; yh = new int[L];
    attOut = new int[L]; mid = new int[L]; ln2 = new int[L]; ln2Mean = new int[L]; ln2Rstd = new int[L];
    fc = new int[L]; gelu = new int[L]; geluGrad = new int[L]; mlpOut = new int[L];
    probs = new int[L]; dropped = new int[L]; attMask = new int[L]; attOutMask = new int[L]; mlpMask = new int[L];
    probsStride = keep ? t * t : 0;
    int probsPerLayer = keep ? MultiHeadAttention.probsSize(batch, heads, t) : t * t;
    int sharedProbs = keep ? NONE : take(probsPerLayer);
    embMask = this.dropout ? take(nc) : NONE;
    for (int l = 0; l < L; l++) {
      res[l] = take(nc);
      ln1[l] = take(nc); ln1Mean[l] = take(n); ln1Rstd[l] = take(n);
      qkv[l] = take(3L * nc);
      probs[l] = keep ? take(probsPerLayer) : sharedProbs;
      dropped[l] = this.dropout ? take(probsPerLayer) : NONE;
      attMask[l] = this.dropout ? take(probsPerLayer) : NONE;
      yh[l] = take(nc);
      attOut[l] = take(nc);
      attOutMask[l] = this.dropout ? take(nc) : NONE;
      mid[l] = take(nc);
      ln2[l] = take(nc); ln2Mean[l] = take(n); ln2Rstd[l] = take(n);
      fc[l] = take(4L * nc);
      gelu[l] = take(4L * nc);
      geluGrad[l] = keep ? take(4L * nc) : NONE;
      mlpOut[l] = take(nc);
      mlpMask[l] = this.dropout ? take(nc) : NONE;
    }
    res[L] = take(nc);
    lnf = take(nc); lnfMean = take(n); lnfRstd = take(n);
    logits = take((long) n * vocab);
    actSize = next;

    next = 0;
    if (keep) {
      dRes = take(nc); dBranch = take(nc); dLn = take(nc); dQkv = take(3L * nc); dYh = take(nc);
      dFc = take(4L * nc); dGelu = take(4L * nc); dLogits = take((long) n * vocab);
      dP = take((long) t * t); dS = take((long) t * t);
    } else {
      dRes = dBranch = dLn = dQkv = dYh = dFc = dGelu = dLogits = dP = dS = NONE;
    }
    workSize = next;
  }

  /**
   * Whether this layout serves a forward of (batch, t): a layout that keeps activations also serves
   * inference (its per-(b,h) weight blocks are simply overwritten), and one with dropout masks also
   * serves training without dropout. So alternating training and evaluation does not reallocate.
   */
  boolean fits(int batch, int t, boolean keep, boolean dropout) {
    if (this.batch != batch || this.t != t) return false;
    if (!keep) return true;
    return this.keep && (this.dropout || !dropout);
  }

  private int take(long size) {
    long end = next + size;
    if (end > Integer.MAX_VALUE - 8)
      throw new IllegalArgumentException("activations for batch " + batch + " x " + t + " exceed one Java array");
    int at = next;
    next = (int) end;
    return at;
  }
}
