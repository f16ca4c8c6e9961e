package dev.sequor.kernel.ref;

import java.util.Arrays;

/**
 * Scalar reference twin of {@link dev.sequor.kernel.simd.SimdCausalAttention}: the same arithmetic
 * with plain sequential sums (one FMA chain per output, {@link RefSoftmax}), so it agrees with the SIMD
 * path to float round-off, not bit for bit (the SIMD sums split chains to hide FMA latency).
 * math/attention.md
 */
public final class RefCausalAttention {
  private RefCausalAttention() {}

  // x (n,hd) rows ld apart -> xT (hd, tp) with xT[d·tp + j] = x[j, d]
  public static void transpose(float[] xT, int tp, float[] x, int xOff, int ld, int n, int hd) {
    for (int j = 0; j < n; j++)
      for (int d = 0; d < hd; d++) xT[d * tp + j] = x[xOff + j * ld + d];
  }

  // see SimdCausalAttention.forward
  public static void forward(float[] y, int yOff, int ldy, float[] probs, int pOff, int ldp,
      float[] dropped, int dOff, float[] mask, int mOff,
      float[] q, int qOff, int ldq, float[] kT, int tp, float[] v, int vOff, int ldv,
      int firstPos, int t, int hd, float scale, float[] row) {
    for (int i = 0; i < t; i++) {
      int visible = firstPos + i + 1;
      scores(row, q, qOff + i * ldq, kT, tp, visible, hd, scale);
      float[] w = row;
      int wo = 0;
      if (probs != null) {
        int po = pOff + i * ldp;
        RefSoftmax.row(probs, po, row, 0, visible, ldp);
        w = probs;
        wo = po;
        if (mask != null) {
          int o = dOff + i * ldp, m = mOff + i * ldp;
          for (int j = 0; j < ldp; j++) dropped[o + j] = probs[po + j] * mask[m + j];
          w = dropped;
          wo = o;
        }
      } else {
        RefSoftmax.row(row, 0, row, 0, visible, visible);
      }
      for (int d = 0; d < hd; d++) {
        float a = 0f;
        for (int j = 0; j < visible; j++) a = Math.fma(w[wo + j], v[vOff + j * ldv + d], a);
        y[yOff + i * ldy + d] = a;
      }
    }
  }

  private static void scores(float[] row, float[] q, int qo, float[] kT, int tp, int visible, int hd, float scale) {
    for (int j = 0; j < visible; j++) {
      float a = 0f;
      for (int d = 0; d < hd; d++) a = Math.fma(q[qo + d], kT[d * tp + j], a);
      row[j] = a * scale;
    }
  }

  // see SimdCausalAttention.backward
  public static void backward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, int lddqkv,
      float[] dy, int dyOff, int lddy, float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, int ldqkv,
      float[] probs, int pOff, int ldp, float[] dropped, int dOff, float[] mask, int mOff,
      int t, int hd, float scale, boolean accumulate, float[] vT, int tp, float[] row, float[] dS) {
    transpose(vT, tp, v, vOff, ldqkv, t, hd);
    for (int i = 0; i < t; i++) {
      int visible = i + 1, po = pOff + i * ldp, so = i * tp;
      scores(row, dy, dyOff + i * lddy, vT, tp, visible, hd, 1f);
      if (mask != null) for (int j = 0; j < visible; j++) row[j] *= mask[mOff + i * ldp + j];
      Arrays.fill(dS, so, so + visible, 0f);
      RefSoftmax.backward(dS, so, probs, po, row, 0, 1, visible);
      for (int j = 0; j < visible; j++) dS[so + j] *= scale;
      for (int d = 0; d < hd; d++) {
        int o = dqOff + i * lddqkv + d;
        float s = accumulate ? dq[o] : 0f;
        for (int j = 0; j < visible; j++) s = Math.fma(dS[so + j], k[kOff + j * ldqkv + d], s);
        dq[o] = s;
      }
    }
    float[] w = mask != null ? dropped : probs;
    int wOff = mask != null ? dOff : pOff;
    for (int j = 0; j < t; j++)
      for (int d = 0; d < hd; d++) {
        int ko = dkOff + j * lddqkv + d, vo = dvOff + j * lddqkv + d;
        float sk = accumulate ? dk[ko] : 0f, sv = accumulate ? dv[vo] : 0f;
        for (int i = j; i < t; i++) {
          sk = Math.fma(dS[i * tp + j], q[qOff + i * ldqkv + d], sk);
          sv = Math.fma(w[wOff + i * ldp + j], dy[dyOff + i * lddy + d], sv);
        }
        dk[ko] = sk;
        dv[vo] = sv;
      }
  }
}
