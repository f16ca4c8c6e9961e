package dev.sequor.kernel.simd;

import dev.sequor.kernel.ref.RefCausalAttention;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD fused causal attention of one (sequence, head); twin of {@link RefCausalAttention} (same
 * FMA chains, same softmax, bit-identical). The facade {@link dev.sequor.kernel.CausalAttention}
 * checks arguments, lays out the heads and runs them in parallel. math/attention.md
 *
 * <p>Scores are vectors over keys: the head's keys are read transposed, kᵀ (hd, tp) with tp a
 * multiple of the vector length, so a query row's scores are FMA chains over d = 0..hd-1 in order,
 * four key blocks at a time. Only the visible triangle is computed, stored or read back.
 */
public final class SimdCausalAttention {
  private SimdCausalAttention() {}

  private static final VectorSpecies<Float> F = VectorMath.F;
  private static final int L = F.length();

  /** Key count rounded up to whole vectors: the row length of the transposed scratch and score row. */
  public static int padded(int n) { return (n + L - 1) / L * L; }

  // x (n,hd) rows ld apart -> xT (hd, tp) with xT[d·tp + j] = x[j, d]; columns n..tp are left as they are
  public static void transpose(float[] xT, int tp, float[] x, int xOff, int ld, int n, int hd) {
    for (int j = 0; j < n; j++) {
      int r = xOff + j * ld;
      for (int d = 0; d < hd; d++) xT[d * tp + j] = x[r + d];
    }
  }

  // q (t,hd) ld ldq, kᵀ (hd,tp), v (s,hd) ld ldv -> y (t,hd) ld ldy (overwritten). Query row i sits at
  // position firstPos + i and sees keys 0..firstPos+i. probs (t, ldp) (row i: the weights, zeros past
  // the visible keys) saved when non-null; with mask non-null also dropped = probs ⊙ mask, and y uses
  // it. row: scratch of rowScratch(tp) floats. math/attention.md (1)–(4)
  public static void forward(float[] y, int yOff, int ldy, float[] probs, int pOff, int ldp,
      float[] dropped, int dOff, float[] mask, int mOff,
      float[] q, int qOff, int ldq, float[] kT, int tp, float[] v, int vOff, int ldv,
      int firstPos, int t, int hd, float scale, float[] row) {
    for (int i0 = 0; i0 < t; i0 += TILE) {
      int rows = Math.min(TILE, t - i0);
      scoreRows(row, q, qOff + i0 * ldq, ldq, kT, tp, rows, firstPos + i0 + rows, hd, scale);
      for (int r = 0; r < rows; r++) {
        int i = i0 + r, visible = firstPos + i + 1, ro = r * tp;
        float[] w = row;
        int wo = ro;
        if (probs != null) {
          int po = pOff + i * ldp;
          softmax(probs, po, ldp, row, ro, visible);
          w = probs;
          wo = po;
          if (mask != null) {
            int o = dOff + i * ldp, m = mOff + i * ldp;
            for (int j = 0; j < ldp; j++) dropped[o + j] = probs[po + j] * mask[m + j];
            w = dropped;
            wo = o;
          }
        } else {
          softmax(row, ro, padded(visible), row, ro, visible);
        }
        weightedSum(y, yOff + i * ldy, w, wo, v, vOff, ldv, visible, hd);
      }
    }
  }

  /** Query rows whose scores are computed together (they share every load of kᵀ). */
  static final int TILE = 4;

  /** Floats of the score scratch: TILE rows of tp. */
  public static int rowScratch(int tp) { return TILE * tp; }

  // rows (≤ TILE) query rows q (ld ldq) -> out rows r·tp: scores against keys 0..visible-1 (visible:
  // the last row's count; earlier rows' extra keys are computed and ignored). Per key an FMA chain over
  // d in order from 0, times scale: the same value whichever rows share the tile.
  static void scoreRows(float[] out, float[] q, int qo, int ldq, float[] kT, int tp, int rows, int visible, int hd, float scale) {
    if (rows < TILE) {
      for (int r = 0; r < rows; r++) scores(out, r * tp, q, qo + r * ldq, kT, tp, visible, hd, scale);
      return;
    }
    int nb = padded(visible), q1 = qo + ldq, q2 = q1 + ldq, q3 = q2 + ldq, j = 0;
    for (; j + 2 * L <= nb; j += 2 * L) {
      FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
      for (int d = 0, k = j; d < hd; d++, k += tp) {
        FloatVector k0 = FloatVector.fromArray(F, kT, k), k1 = FloatVector.fromArray(F, kT, k + L);
        FloatVector x0 = FloatVector.broadcast(F, q[qo + d]), x1 = FloatVector.broadcast(F, q[q1 + d]);
        FloatVector x2 = FloatVector.broadcast(F, q[q2 + d]), x3 = FloatVector.broadcast(F, q[q3 + d]);
        a0 = x0.fma(k0, a0); a1 = x0.fma(k1, a1);
        b0 = x1.fma(k0, b0); b1 = x1.fma(k1, b1);
        c0 = x2.fma(k0, c0); c1 = x2.fma(k1, c1);
        d0 = x3.fma(k0, d0); d1 = x3.fma(k1, d1);
      }
      a0.mul(scale).intoArray(out, j); a1.mul(scale).intoArray(out, j + L);
      b0.mul(scale).intoArray(out, tp + j); b1.mul(scale).intoArray(out, tp + j + L);
      c0.mul(scale).intoArray(out, 2 * tp + j); c1.mul(scale).intoArray(out, 2 * tp + j + L);
      d0.mul(scale).intoArray(out, 3 * tp + j); d1.mul(scale).intoArray(out, 3 * tp + j + L);
    }
    if (j < nb) {
      FloatVector a0 = FloatVector.zero(F), b0 = a0, c0 = a0, d0 = a0;
      for (int d = 0, k = j; d < hd; d++, k += tp) {
        FloatVector k0 = FloatVector.fromArray(F, kT, k);
        a0 = FloatVector.broadcast(F, q[qo + d]).fma(k0, a0);
        b0 = FloatVector.broadcast(F, q[q1 + d]).fma(k0, b0);
        c0 = FloatVector.broadcast(F, q[q2 + d]).fma(k0, c0);
        d0 = FloatVector.broadcast(F, q[q3 + d]).fma(k0, d0);
      }
      a0.mul(scale).intoArray(out, j);
      b0.mul(scale).intoArray(out, tp + j);
      c0.mul(scale).intoArray(out, 2 * tp + j);
      d0.mul(scale).intoArray(out, 3 * tp + j);
    }
  }

  // out[o..o+len) = softmax of row[ro..ro+visible) then zeros (len ≥ visible); the row (padded(visible)
  // long, scratch) is overwritten. Whole vectors: the lanes past visible are set to −∞, whose
  // exponential is exactly 0 (VectorMath.expBounded flushes it); the sum in SimdReduce's fixed lane
  // order. out may be the row itself. math/softmax.md (1)–(4)
  static void softmax(float[] out, int o, int len, float[] row, int ro, int visible) {
    int nb = padded(visible), last = nb - L;
    FloatVector tail = FloatVector.fromArray(F, row, ro + last).blend(Float.NEGATIVE_INFINITY, F.indexInRange(last, visible).not());
    tail.intoArray(row, ro + last);
    FloatVector mx = tail;
    for (int j = 0; j < last; j += L) mx = mx.max(FloatVector.fromArray(F, row, ro + j));
    FloatVector max = FloatVector.broadcast(F, mx.reduceLanes(VectorOperators.MAX)); // exact in any order
    FloatVector acc = FloatVector.zero(F);
    for (int j = 0; j < nb; j += L) {
      FloatVector e = VectorMath.expBounded(FloatVector.fromArray(F, row, ro + j).sub(max));
      e.intoArray(row, ro + j);
      acc = acc.add(e);
    }
    FloatVector inv = FloatVector.broadcast(F, 1f / sumLanes(acc));
    int j = 0;
    for (; j + L <= Math.min(nb, len); j += L) FloatVector.fromArray(F, row, ro + j).mul(inv).intoArray(out, o + j);
    if (j < nb) FloatVector.fromArray(F, row, ro + j).mul(inv).intoArray(out, o + j, F.indexInRange(j, len));
    else if (j < len) java.util.Arrays.fill(out, o + j, o + len, 0f);
  }

  // the lanes' sum in SimdReduce's fixed rotation order (not reduceLanes, whose order may vary)
  static float sumLanes(FloatVector v) {
    if (L >= 64) v = v.add(v.rearrange(SimdReduce.R32));
    if (L >= 32) v = v.add(v.rearrange(SimdReduce.R16));
    if (L >= 16) v = v.add(v.rearrange(SimdReduce.R8));
    if (L >= 8) v = v.add(v.rearrange(SimdReduce.R4));
    if (L >= 4) v = v.add(v.rearrange(SimdReduce.R2));
    if (L >= 2) v = v.add(v.rearrange(SimdReduce.R1));
    return v.lane(0);
  }

  // row[0..visible) = (q · kⱼ) · scale: per key an FMA chain over d in order, from 0; the vector blocks
  // past visible are computed too (row and kᵀ are tp long) and ignored
  static void scores(float[] row, int ro, float[] q, int qo, float[] kT, int tp, int visible, int hd, float scale) {
    int j = 0;
    for (; j + 4 * L <= padded(visible); j += 4 * L) {
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      for (int d = 0, k = j; d < hd; d++, k += tp) {
        FloatVector qd = FloatVector.broadcast(F, q[qo + d]);
        a0 = qd.fma(FloatVector.fromArray(F, kT, k), a0);
        a1 = qd.fma(FloatVector.fromArray(F, kT, k + L), a1);
        a2 = qd.fma(FloatVector.fromArray(F, kT, k + 2 * L), a2);
        a3 = qd.fma(FloatVector.fromArray(F, kT, k + 3 * L), a3);
      }
      a0.mul(scale).intoArray(row, ro + j);
      a1.mul(scale).intoArray(row, ro + j + L);
      a2.mul(scale).intoArray(row, ro + j + 2 * L);
      a3.mul(scale).intoArray(row, ro + j + 3 * L);
    }
    for (; j + 2 * L <= padded(visible); j += 2 * L) {
      FloatVector a0 = FloatVector.zero(F), a1 = a0;
      for (int d = 0, k = j; d < hd; d++, k += tp) {
        FloatVector qd = FloatVector.broadcast(F, q[qo + d]);
        a0 = qd.fma(FloatVector.fromArray(F, kT, k), a0);
        a1 = qd.fma(FloatVector.fromArray(F, kT, k + L), a1);
      }
      a0.mul(scale).intoArray(row, ro + j);
      a1.mul(scale).intoArray(row, ro + j + L);
    }
    for (; j < visible; j += L) {
      FloatVector a0 = FloatVector.zero(F);
      for (int d = 0, k = j; d < hd; d++, k += tp) a0 = FloatVector.broadcast(F, q[qo + d]).fma(FloatVector.fromArray(F, kT, k), a0);
      a0.mul(scale).intoArray(row, ro + j);
    }
  }

  // y (hd) = Σ_{j<n} w[j] · v_j: per output two FMA chains from 0, over even and odd j in order,
  // added at the end
  static void weightedSum(float[] y, int yo, float[] w, int wo, float[] v, int vOff, int ldv, int n, int hd) {
    int d = 0;
    for (; d + 2 * L <= hd; d += 2 * L) {
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      int j = 0, r = vOff + d;
      for (; j + 1 < n; j += 2, r += 2 * ldv) {
        FloatVector s0 = FloatVector.broadcast(F, w[wo + j]), s1 = FloatVector.broadcast(F, w[wo + j + 1]);
        a0 = s0.fma(FloatVector.fromArray(F, v, r), a0);
        a1 = s0.fma(FloatVector.fromArray(F, v, r + L), a1);
        a2 = s1.fma(FloatVector.fromArray(F, v, r + ldv), a2);
        a3 = s1.fma(FloatVector.fromArray(F, v, r + ldv + L), a3);
      }
      if (j < n) {
        FloatVector s0 = FloatVector.broadcast(F, w[wo + j]);
        a0 = s0.fma(FloatVector.fromArray(F, v, r), a0);
        a1 = s0.fma(FloatVector.fromArray(F, v, r + L), a1);
      }
      a0.add(a2).intoArray(y, yo + d);
      a1.add(a3).intoArray(y, yo + d + L);
    }
    for (; d < hd; d++) {
      float a = 0f, b = 0f;
      int j = 0;
      for (; j + 1 < n; j += 2) {
        a = Math.fma(w[wo + j], v[vOff + j * ldv + d], a);
        b = Math.fma(w[wo + j + 1], v[vOff + (j + 1) * ldv + d], b);
      }
      if (j < n) a = Math.fma(w[wo + j], v[vOff + j * ldv + d], a);
      y[yo + d] = a + b;
    }
  }

  // dy (t,hd) -> dq (t,hd) +=, dk (t,hd) +=, dv (t,hd) += (overwritten when !accumulate), for queries
  // at positions 0..t-1 over keys 0..t-1 (a training sequence). probs (t,ldp) as saved by forward; with
  // mask non-null, dropped too. vT (hd,tp), row (rowScratch(tp)) and dS (t,tp) are scratch.
  // math/attention.md (7)–(11)
  public static void backward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, int lddqkv,
      float[] dy, int dyOff, int lddy, float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, int ldqkv,
      float[] probs, int pOff, int ldp, float[] dropped, int dOff, float[] mask, int mOff,
      int t, int hd, float scale, boolean accumulate, float[] vT, int tp, float[] row, float[] dS) {
    transpose(vT, tp, v, vOff, ldqkv, t, hd);
    FloatVector vscale = FloatVector.broadcast(F, scale);
    for (int i0 = 0; i0 < t; i0 += TILE) {
      int rows = Math.min(TILE, t - i0);
      scoreRows(row, dy, dyOff + i0 * lddy, lddy, vT, tp, rows, i0 + rows, hd, 1f); // dP = dy vᵀ (7)
      for (int r = 0; r < rows; r++) {
        int i = i0 + r, visible = i + 1, po = pOff + i * ldp, so = i * tp, ro = r * tp, nb = padded(visible);
        if (mask != null) for (int j = 0, m = mOff + i * ldp; j < visible; j++) row[ro + j] *= mask[m + j];
        // softmax JVP (9): dS = P ⊙ (dP − Σ P ⊙ dP), times the score scale; lanes past visible give 0
        FloatVector acc = FloatVector.zero(F);
        for (int j = 0; j < nb; j += L) {
          var in = F.indexInRange(j, visible);
          FloatVector p = FloatVector.fromArray(F, probs, po + j, in);
          FloatVector d = FloatVector.fromArray(F, row, ro + j).blend(0f, in.not());
          d.intoArray(row, ro + j);
          acc = p.fma(d, acc);
        }
        FloatVector dot = FloatVector.broadcast(F, sumLanes(acc));
        for (int j = 0; j < nb; j += L) {
          FloatVector p = FloatVector.fromArray(F, probs, po + j, F.indexInRange(j, visible));
          p.mul(FloatVector.fromArray(F, row, ro + j).sub(dot)).mul(vscale).intoArray(dS, so + j);
        }
        accumulateRow(dq, dqOff + i * lddqkv, accumulate, dS, so, k, kOff, ldqkv, visible, hd); // dq += dS k (10)
      }
    }
    float[] w = mask != null ? dropped : probs;
    int wOff = mask != null ? dOff : pOff;
    for (int j = 0; j < t; j++) // dk += dSᵀ q (11), dv += Wᵀ dy (8)
      accumulateColumns(dk, dkOff + j * lddqkv, dS, j, tp, q, qOff, dv, dvOff + j * lddqkv, w, wOff + j, ldp, dy, dyOff, lddy,
          ldqkv, j, t, hd, accumulate);
  }

  // out (hd) += Σ_{j<n} a[ao + j] · x_j (= when !accumulate): per output two FMA chains (from out's
  // value, or 0, over even j; from 0 over odd j), added at the end
  static void accumulateRow(float[] out, int o, boolean accumulate, float[] a, int ao, float[] x, int xOff, int ldx, int n, int hd) {
    int d = 0;
    for (; d + 2 * L <= hd; d += 2 * L) {
      FloatVector a0 = FloatVector.zero(F), a1 = a0;
      if (accumulate) {
        a0 = FloatVector.fromArray(F, out, o + d);
        a1 = FloatVector.fromArray(F, out, o + d + L);
      }
      FloatVector a2 = FloatVector.zero(F), a3 = a2;
      int j = 0, r = xOff + d;
      for (; j + 1 < n; j += 2, r += 2 * ldx) {
        FloatVector s0 = FloatVector.broadcast(F, a[ao + j]), s1 = FloatVector.broadcast(F, a[ao + j + 1]);
        a0 = s0.fma(FloatVector.fromArray(F, x, r), a0);
        a1 = s0.fma(FloatVector.fromArray(F, x, r + L), a1);
        a2 = s1.fma(FloatVector.fromArray(F, x, r + ldx), a2);
        a3 = s1.fma(FloatVector.fromArray(F, x, r + ldx + L), a3);
      }
      if (j < n) {
        FloatVector s0 = FloatVector.broadcast(F, a[ao + j]);
        a0 = s0.fma(FloatVector.fromArray(F, x, r), a0);
        a1 = s0.fma(FloatVector.fromArray(F, x, r + L), a1);
      }
      a0.add(a2).intoArray(out, o + d);
      a1.add(a3).intoArray(out, o + d + L);
    }
    for (; d < hd; d++) {
      float s = accumulate ? out[o + d] : 0f;
      for (int j = 0; j < n; j++) s = Math.fma(a[ao + j], x[xOff + j * ldx + d], s);
      out[o + d] = s;
    }
  }

  // outA (hd) += Σ_{i=from}^{t-1} a[ao + i·lda] · x_i and outB (hd) += Σ b[bo + i·ldb] · z_i (= when
  // !accumulate): columns
  // of a and b against rows of x (ld ldx) and z (ld ldz). Each sum is two FMA chains, even and odd i,
  // added at the end (eight independent chains for hd = 2 vectors: the FMA latency is hidden).
  static void accumulateColumns(float[] outA, int oa, float[] a, int ao, int lda, float[] x, int xOff,
      float[] outB, int ob, float[] b, int bo, int ldb, float[] z, int zOff, int ldz, int ldx,
      int from, int t, int hd, boolean accumulate) {
    int d = 0;
    for (; d + 2 * L <= hd; d += 2 * L) {
      FloatVector a2 = FloatVector.zero(F), a3 = a2, b2 = a2, b3 = a2, a0 = a2, a1 = a2, b0 = a2, b1 = a2;
      if (accumulate) {
        a0 = FloatVector.fromArray(F, outA, oa + d);
        a1 = FloatVector.fromArray(F, outA, oa + d + L);
        b0 = FloatVector.fromArray(F, outB, ob + d);
        b1 = FloatVector.fromArray(F, outB, ob + d + L);
      }
      int i = from, r = xOff + from * ldx + d, rz = zOff + from * ldz + d, ca = ao + from * lda, cb = bo + from * ldb;
      for (; i + 1 < t; i += 2, r += 2 * ldx, rz += 2 * ldz, ca += 2 * lda, cb += 2 * ldb) {
        FloatVector sa = FloatVector.broadcast(F, a[ca]), sb = FloatVector.broadcast(F, b[cb]);
        FloatVector ta = FloatVector.broadcast(F, a[ca + lda]), tb = FloatVector.broadcast(F, b[cb + ldb]);
        a0 = sa.fma(FloatVector.fromArray(F, x, r), a0);
        a1 = sa.fma(FloatVector.fromArray(F, x, r + L), a1);
        b0 = sb.fma(FloatVector.fromArray(F, z, rz), b0);
        b1 = sb.fma(FloatVector.fromArray(F, z, rz + L), b1);
        a2 = ta.fma(FloatVector.fromArray(F, x, r + ldx), a2);
        a3 = ta.fma(FloatVector.fromArray(F, x, r + ldx + L), a3);
        b2 = tb.fma(FloatVector.fromArray(F, z, rz + ldz), b2);
        b3 = tb.fma(FloatVector.fromArray(F, z, rz + ldz + L), b3);
      }
      if (i < t) {
        FloatVector sa = FloatVector.broadcast(F, a[ca]), sb = FloatVector.broadcast(F, b[cb]);
        a0 = sa.fma(FloatVector.fromArray(F, x, r), a0);
        a1 = sa.fma(FloatVector.fromArray(F, x, r + L), a1);
        b0 = sb.fma(FloatVector.fromArray(F, z, rz), b0);
        b1 = sb.fma(FloatVector.fromArray(F, z, rz + L), b1);
      }
      a0.add(a2).intoArray(outA, oa + d);
      a1.add(a3).intoArray(outA, oa + d + L);
      b0.add(b2).intoArray(outB, ob + d);
      b1.add(b3).intoArray(outB, ob + d + L);
    }
    for (; d < hd; d++) {
      float sa = accumulate ? outA[oa + d] : 0f, sb = accumulate ? outB[ob + d] : 0f;
      for (int i = from; i < t; i++) {
        sa = Math.fma(a[ao + i * lda], x[xOff + i * ldx + d], sa);
        sb = Math.fma(b[bo + i * ldb], z[zOff + i * ldz + d], sb);
      }
      outA[oa + d] = sa;
      outB[ob + d] = sb;
    }
  }
}
