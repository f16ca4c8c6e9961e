package dev.sequor.transformer;

import dev.sequor.attention.Dropout;
import dev.sequor.attention.Linear;
import dev.sequor.attention.MultiHeadAttention;
import dev.sequor.attention.KvCache;
import dev.sequor.kernel.LayerNorm;
import dev.sequor.kernel.Vec;
import dev.sequor.tensor.ParamStore;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One pre-LayerNorm transformer block, nanoGPT's {@code Block}:
 * {@code mid = x + drop(attn(ln_1(x)))}, {@code out = mid + drop(mlp(ln_2(mid)))} with
 * {@code mlp(u) = c_proj(gelu(c_fc(u)))}, width 4C, exact GELU. math/multi-head-attention.md (7)
 */
final class Block {
  static final float LN_EPS = 1e-5f;

  final int c;
  final MultiHeadAttention attn;
  final Mlp mlp;
  final int ln1w, ln1b, ln2w, ln2b;

  private Block(int c, MultiHeadAttention attn, Mlp mlp, int ln1w, int ln1b, int ln2w, int ln2b) {
    this.c = c;
    this.attn = attn;
    this.mlp = mlp;
    this.ln1w = ln1w; this.ln1b = ln1b; this.ln2w = ln2w; this.ln2b = ln2b;
  }

  /** Declares block i's tensors under nanoGPT's names, in nanoGPT's state_dict order. */
  static Block declare(ParamStore.Builder b, int i, GptConfig cfg) {
    int c = cfg.dModel();
    String h = "transformer.h." + i + ".";
    boolean bias = cfg.bias();
    int ln1w = b.add(h + "ln_1.weight", c);
    int ln1b = bias ? b.add(h + "ln_1.bias", c) : Linear.NO_BIAS;
    int qkvW = b.add(h + "attn.c_attn.weight", 3 * c, c);
    int qkvB = bias ? b.add(h + "attn.c_attn.bias", 3 * c) : Linear.NO_BIAS;
    int aprW = b.add(h + "attn.c_proj.weight", c, c);
    int aprB = bias ? b.add(h + "attn.c_proj.bias", c) : Linear.NO_BIAS;
    int ln2w = b.add(h + "ln_2.weight", c);
    int ln2b = bias ? b.add(h + "ln_2.bias", c) : Linear.NO_BIAS;
    Mlp mlp = Mlp.declare(b, h + "mlp.", c, bias);
    MultiHeadAttention attn = new MultiHeadAttention(c, cfg.heads(), qkvW, qkvB, aprW, aprB);
    return new Block(c, attn, mlp, ln1w, ln1b, ln2w, ln2b);
  }

  // res[l] = a + b (addOff < 0: res[l] is given) and ln1[l] = ln_1(res[l]) (B·T,C), one pass per row
  void normalizeInput(RowJobs jobs, float[] a, GptLayout lay, int l, float[] p, int addOff, int bOff) {
    jobs.addLayerNorm(a, lay.res[l], addOff, bOff, lay.ln1[l], lay.ln1Mean[l], lay.ln1Rstd[l], p, ln1w, ln1b, lay.n, c, LN_EPS);
  }

  // ln1[l] = ln_1(res[l]) (B·T,C) (see normalizeInput) -> mid[l] and mlpOut[l], saving what backward
  // needs in a (see GptLayout); the caller forms res[l+1] = mid[l] + mlpOut[l]
  void forward(float[] a, GptLayout lay, int l, float[] p, float dropout, SplittableRandom rng, RowJobs jobs) {
    int n = lay.n, nc = n * c;
    boolean drop = lay.dropout && dropout > 0f && rng != null;
    if (StepPhases.ON) StepPhases.lap(StepPhases.F_LN1);
    attn.forward(a, lay.attOut[l], a, lay.qkv[l], a, lay.yh[l], a, lay.probs[l], lay.probsStride,
        drop ? a : null, lay.dropped[l], drop ? a : null, lay.attMask[l], a, lay.ln1[l], p,
        true, null, lay.batch, lay.t, drop ? dropout : 0f, rng);
    if (drop) dropout(a, lay.attOut[l], lay.attOutMask[l], nc, dropout, rng);
    jobs.addLayerNorm(a, lay.mid[l], lay.res[l], lay.attOut[l], lay.ln2[l], lay.ln2Mean[l], lay.ln2Rstd[l], p, ln2w, ln2b, n, c, LN_EPS);
    if (StepPhases.ON) StepPhases.lap(StepPhases.F_LN2);
    mlp.forward(a, lay.mlpOut[l], a, lay.fc[l], a, lay.gelu[l], lay.keep ? a : null, lay.geluGrad[l], a, lay.ln2[l], p, n, jobs);
    if (drop) dropout(a, lay.mlpOut[l], lay.mlpMask[l], nc, dropout, rng);
  }

  // w[dRes] = dL/d res[l+1] on entry, dL/d res[l] on exit; parameter grads g +=. drop: the forward
  // drew dropout masks (they are in a)
  void backward(float[] w, float[] a, GptLayout lay, int l, float[] p, float[] g, boolean drop, RowJobs jobs) {
    int n = lay.n, nc = n * c;
    // out = mid + drop(mlp(ln_2(mid))): the residual passes dRes through; the branch adds to it
    int branch = lay.dRes; // without dropout the branch's gradient is dRes itself
    if (drop) {
      System.arraycopy(w, lay.dRes, w, lay.dBranch, nc);
      Dropout.apply(w, lay.dBranch, a, lay.mlpMask[l], nc);
      branch = lay.dBranch;
    }
    Arrays.fill(w, lay.dLn, lay.dLn + nc, 0f);
    mlp.backward(w, lay.dLn, g, w, lay.dGelu, w, lay.dFc, w, branch, a, lay.ln2[l], a, lay.geluGrad[l], a, lay.gelu[l], p, n, jobs);
    layerNormBackward(w, lay.dRes, g, w, lay.dLn, a, lay.mid[l], p, ln2w, ln2b, a, lay.ln2Mean[l], lay.ln2Rstd[l], n);
    if (StepPhases.ON) StepPhases.lap(StepPhases.B_LN2);
    // mid = x + drop(attn(ln_1(x)))
    branch = lay.dRes;
    if (drop) {
      System.arraycopy(w, lay.dRes, w, lay.dBranch, nc);
      Dropout.apply(w, lay.dBranch, a, lay.attOutMask[l], nc);
      branch = lay.dBranch;
    }
    Arrays.fill(w, lay.dLn, lay.dLn + nc, 0f);
    attn.backward(w, lay.dLn, g, w, lay.dQkv, w, lay.dYh, w, lay.dP, w, lay.dS, w, branch,
        a, lay.ln1[l], a, lay.qkv[l], a, lay.yh[l], a, lay.probs[l],
        drop ? a : null, lay.dropped[l], drop ? a : null, lay.attMask[l], p, true, null, lay.batch, lay.t);
    layerNormBackward(w, lay.dRes, g, w, lay.dLn, a, lay.res[l], p, ln1w, ln1b, a, lay.ln1Mean[l], lay.ln1Rstd[l], n);
    if (StepPhases.ON) StepPhases.lap(StepPhases.B_LN1);
  }

  // x (n,C) at positions pos..pos+n-1 -> x rows n-outRows..n-1 updated in place to the block's output
  // (earlier rows are left stale: the last layer of a window forward needs only the last row's output,
  // though every row's keys and values). No dropout. The attention appends all n rows' keys and values
  // to the layer's cache and attends causally to cached rows 0..pos+n-1: row for row bit-identical to
  // forward (see ScaledDotProductAttention).
  // Weights come transposed from pt (see Linear.forwardTransposed), everything else from p.
  void forwardCached(float[] x, int n, int outRows, int pos, KvCache cache, int layer, DecodeScratch s, float[] p, float[] pt) {
    int first = n - outRows, xo = first * c, rc = outRows * c;
    layerNorm(s.ln, 0, s.mean, s.rstd, x, 0, p, ln1w, ln1b, n);
    attn.forwardCached(s.tmp, 0, s.qkv, s.yh, s.probs, s.ln, 0, cache, layer, pos, n, outRows, p, pt);
    Vec.add(x, xo, x, xo, s.tmp, 0, rc);
    layerNorm(s.ln, 0, s.mean, s.rstd, x, xo, p, ln2w, ln2b, outRows);
    mlp.forwardTransposed(s.tmp, 0, s.fc, 0, s.gelu, 0, s.ln, 0, p, pt, outRows);
    Vec.add(x, xo, x, xo, s.tmp, 0, rc);
  }

  // x (n,C) -> out (n,C) = LayerNorm(x), eps 1e-5 (math/layernorm.md); saves mean (n), rstd (n)
  private void layerNorm(float[] out, int outOff, float[] mean, float[] rstd, float[] x, int xOff,
      float[] p, int wOff, int bOff, int n) {
    layerNorm(out, outOff, mean, 0, rstd, 0, x, xOff, p, wOff, bOff, n);
  }

  private void layerNorm(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
      float[] x, int xOff, float[] p, int wOff, int bOff, int n) {
    LayerNorm.forward(out, outOff, mean, meanOff, rstd, rstdOff, x, xOff, p, wOff,
        bOff == Linear.NO_BIAS ? null : p, Math.max(bOff, 0), n, c, LN_EPS);
  }

  private void layerNormBackward(float[] dx, int dxOff, float[] g, float[] dout, int doutOff, float[] x, int xOff,
      float[] p, int wOff, int bOff, float[] stats, int meanOff, int rstdOff, int n) {
    LayerNorm.backward(dx, dxOff, g, wOff, bOff == Linear.NO_BIAS ? null : g, Math.max(bOff, 0),
        dout, doutOff, x, xOff, p, wOff, stats, meanOff, stats, rstdOff, n, c);
  }

  // x (n) *= fresh mask (n) drawn into a at maskOff
  private static void dropout(float[] a, int xOff, int maskOff, int n, float p, SplittableRandom rng) {
    Dropout.fillMask(a, maskOff, n, p, rng);
    Dropout.apply(a, xOff, a, maskOff, n);
  }
}
