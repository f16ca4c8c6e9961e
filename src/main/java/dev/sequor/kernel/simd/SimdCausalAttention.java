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
      float[] w = row;
      int wo = 0, ldw = tp;
      for (int r = 0; r < rows; r++) {
        int i = i0 + r, visible = firstPos + i + 1, ro = r * tp;
        if (probs != null) {
          int po = pOff + i * ldp;
          softmax(probs, po, ldp, row, ro, visible);
          if (mask != null) {
            int o = dOff + i * ldp, m = mOff + i * ldp;
            for (int j = 0; j < ldp; j++) dropped[o + j] = probs[po + j] * mask[m + j];
          }
        } else {
          softmax(row, ro, padded(visible), row, ro, visible);
        }
      }
      if (probs != null) {
        w = mask != null ? dropped : probs;
        wo = (mask != null ? dOff : pOff) + i0 * ldp;
        ldw = ldp;
      }
      // y rows = Σ_j w_j v_j over each row's visible keys: one FMA chain per output, j in order
      rowsFma(y, yOff + i0 * ldy, ldy, false, w, wo, ldw, v, vOff, ldv, rows, firstPos + i0 + 1, hd);
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
    FloatVector inv = FloatVector.broadcast(F, 1f / SimdReduce.sumLanes(acc));
    int j = 0;
    for (; j + L <= Math.min(nb, len); j += L) FloatVector.fromArray(F, row, ro + j).mul(inv).intoArray(out, o + j);
    if (j < nb) FloatVector.fromArray(F, row, ro + j).mul(inv).intoArray(out, o + j, F.indexInRange(j, len));
    else if (j < len) java.util.Arrays.fill(out, o + j, o + len, 0f);
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
        FloatVector dot = FloatVector.broadcast(F, SimdReduce.sumLanes(acc));
        for (int j = 0; j < nb; j += L) {
          FloatVector p = FloatVector.fromArray(F, probs, po + j, F.indexInRange(j, visible));
          p.mul(FloatVector.fromArray(F, row, ro + j).sub(dot)).mul(vscale).intoArray(dS, so + j);
        }
      }
      rowsFma(dq, dqOff + i0 * lddqkv, lddqkv, accumulate, dS, i0 * tp, tp, k, kOff, ldqkv, rows, i0 + 1, hd); // dq += dS k (10)
    }
    float[] w = mask != null ? dropped : probs;
    int wOff = mask != null ? dOff : pOff;
    for (int j0 = 0; j0 < t; j0 += TILE) { // dk += dSᵀ q (11), dv += Wᵀ dy (8)
      int cols = Math.min(TILE, t - j0);
      colsFma(dk, dkOff + j0 * lddqkv, lddqkv, accumulate, dS, j0, tp, q, qOff, ldqkv, cols, j0, t, hd);
      colsFma(dv, dvOff + j0 * lddqkv, lddqkv, accumulate, w, wOff + j0, ldp, dy, dyOff, lddy, cols, j0, t, hd);
    }
  }

  // out rows r < rows (ld ldo) += Σ_{j < n0 + r} a[ao + r·lda + j] · x_j (x rows ld ldx; = when
  // !accumulate): one FMA chain per output, j in order, from out's value or 0. Four rows share every
  // load of x (a tile of 4 × 2 vectors of accumulators); a single row gives the same chains.
  static void rowsFma(float[] out, int o, int ldo, boolean accumulate, float[] a, int ao, int lda,
      float[] x, int xOff, int ldx, int rows, int n0, int hd) {
    if (rows < TILE) {
      for (int r = 0; r < rows; r++) rowFma(out, o + r * ldo, accumulate, a, ao + r * lda, x, xOff, ldx, n0 + r, hd);
      return;
    }
    int a1 = ao + lda, a2 = a1 + lda, a3 = a2 + lda, o1 = o + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
    int d = 0;
    for (; d + 2 * L <= hd; d += 2 * L) {
      FloatVector p0 = FloatVector.zero(F), p1 = p0, q0 = p0, q1 = p0, r0 = p0, r1 = p0, s0 = p0, s1 = p0;
      if (accumulate) {
        p0 = FloatVector.fromArray(F, out, o + d); p1 = FloatVector.fromArray(F, out, o + d + L);
        q0 = FloatVector.fromArray(F, out, o1 + d); q1 = FloatVector.fromArray(F, out, o1 + d + L);
        r0 = FloatVector.fromArray(F, out, o2 + d); r1 = FloatVector.fromArray(F, out, o2 + d + L);
        s0 = FloatVector.fromArray(F, out, o3 + d); s1 = FloatVector.fromArray(F, out, o3 + d + L);
      }
      int j = 0, xr = xOff + d;
      for (; j < n0; j++, xr += ldx) {
        FloatVector x0 = FloatVector.fromArray(F, x, xr), x1 = FloatVector.fromArray(F, x, xr + L);
        FloatVector w0 = FloatVector.broadcast(F, a[ao + j]), w1 = FloatVector.broadcast(F, a[a1 + j]);
        FloatVector w2 = FloatVector.broadcast(F, a[a2 + j]), w3 = FloatVector.broadcast(F, a[a3 + j]);
        p0 = w0.fma(x0, p0); p1 = w0.fma(x1, p1);
        q0 = w1.fma(x0, q0); q1 = w1.fma(x1, q1);
        r0 = w2.fma(x0, r0); r1 = w2.fma(x1, r1);
        s0 = w3.fma(x0, s0); s1 = w3.fma(x1, s1);
      }
      for (int e = 0; e < TILE - 1; e++, j++, xr += ldx) { // rows 1..3 see one, two, three more
        FloatVector x0 = FloatVector.fromArray(F, x, xr), x1 = FloatVector.fromArray(F, x, xr + L);
        FloatVector w3 = FloatVector.broadcast(F, a[a3 + j]);
        s0 = w3.fma(x0, s0); s1 = w3.fma(x1, s1);
        if (e < 2) {
          FloatVector w2 = FloatVector.broadcast(F, a[a2 + j]);
          r0 = w2.fma(x0, r0); r1 = w2.fma(x1, r1);
        }
        if (e < 1) {
          FloatVector w1 = FloatVector.broadcast(F, a[a1 + j]);
          q0 = w1.fma(x0, q0); q1 = w1.fma(x1, q1);
        }
      }
      p0.intoArray(out, o + d); p1.intoArray(out, o + d + L);
      q0.intoArray(out, o1 + d); q1.intoArray(out, o1 + d + L);
      r0.intoArray(out, o2 + d); r1.intoArray(out, o2 + d + L);
      s0.intoArray(out, o3 + d); s1.intoArray(out, o3 + d + L);
    }
    if (d < hd) // head widths that are not a multiple of 2 vectors: the rest row by row
      for (int r = 0; r < TILE; r++) rowFmaFrom(out, o + r * ldo, accumulate, a, ao + r * lda, x, xOff, ldx, n0 + r, d, hd);
  }

  // out (hd) (+)= Σ_{j<n} a[ao + j] · x_j: rowsFma for one row
  static void rowFma(float[] out, int o, boolean accumulate, float[] a, int ao, float[] x, int xOff, int ldx, int n, int hd) {
    rowFmaFrom(out, o, accumulate, a, ao, x, xOff, ldx, n, 0, hd);
  }

  // rowFma over columns d0..hd-1 only
  private static void rowFmaFrom(float[] out, int o, boolean accumulate, float[] a, int ao, float[] x, int xOff, int ldx,
      int n, int d0, int hd) {
    int d = d0;
    for (; d + L <= hd; d += L) {
      FloatVector p0 = accumulate ? FloatVector.fromArray(F, out, o + d) : FloatVector.zero(F);
      for (int j = 0, xr = xOff + d; j < n; j++, xr += ldx) p0 = FloatVector.broadcast(F, a[ao + j]).fma(FloatVector.fromArray(F, x, xr), p0);
      p0.intoArray(out, o + d);
    }
    for (; d < hd; d++) {
      float s = accumulate ? out[o + d] : 0f;
      for (int j = 0; j < n; j++) s = Math.fma(a[ao + j], x[xOff + j * ldx + d], s);
      out[o + d] = s;
    }
  }

  // out rows c < cols (ld ldo) (+)= Σ_{i = from + c}^{t-1} a[ao + i·lda + c] · x_i: columns of a against
  // rows of x; one FMA chain per output, i in order. Four columns share every load of x.
  static void colsFma(float[] out, int o, int ldo, boolean accumulate, float[] a, int ao, int lda,
      float[] x, int xOff, int ldx, int cols, int from, int t, int hd) {
    if (cols < TILE) {
      for (int c = 0; c < cols; c++) colFmaFrom(out, o + c * ldo, accumulate, a, ao + c, lda, x, xOff, ldx, from + c, t, 0, hd);
      return;
    }
    int o1 = o + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
    int d = 0;
    for (; d + 2 * L <= hd; d += 2 * L) {
      FloatVector p0 = FloatVector.zero(F), p1 = p0, q0 = p0, q1 = p0, r0 = p0, r1 = p0, s0 = p0, s1 = p0;
      if (accumulate) {
        p0 = FloatVector.fromArray(F, out, o + d); p1 = FloatVector.fromArray(F, out, o + d + L);
        q0 = FloatVector.fromArray(F, out, o1 + d); q1 = FloatVector.fromArray(F, out, o1 + d + L);
        r0 = FloatVector.fromArray(F, out, o2 + d); r1 = FloatVector.fromArray(F, out, o2 + d + L);
        s0 = FloatVector.fromArray(F, out, o3 + d); s1 = FloatVector.fromArray(F, out, o3 + d + L);
      }
      int i = from, xr = xOff + from * ldx + d, ar = ao + from * lda;
      for (int e = 0; e < TILE - 1; e++, i++, xr += ldx, ar += lda) { // column c starts at row from + c
        FloatVector x0 = FloatVector.fromArray(F, x, xr), x1 = FloatVector.fromArray(F, x, xr + L);
        FloatVector w0 = FloatVector.broadcast(F, a[ar]);
        p0 = w0.fma(x0, p0); p1 = w0.fma(x1, p1);
        if (e >= 1) {
          FloatVector w1 = FloatVector.broadcast(F, a[ar + 1]);
          q0 = w1.fma(x0, q0); q1 = w1.fma(x1, q1);
        }
        if (e >= 2) {
          FloatVector w2 = FloatVector.broadcast(F, a[ar + 2]);
          r0 = w2.fma(x0, r0); r1 = w2.fma(x1, r1);
        }
      }
      for (; i < t; i++, xr += ldx, ar += lda) {
        FloatVector x0 = FloatVector.fromArray(F, x, xr), x1 = FloatVector.fromArray(F, x, xr + L);
        FloatVector w0 = FloatVector.broadcast(F, a[ar]), w1 = FloatVector.broadcast(F, a[ar + 1]);
        FloatVector w2 = FloatVector.broadcast(F, a[ar + 2]), w3 = FloatVector.broadcast(F, a[ar + 3]);
        p0 = w0.fma(x0, p0); p1 = w0.fma(x1, p1);
        q0 = w1.fma(x0, q0); q1 = w1.fma(x1, q1);
        r0 = w2.fma(x0, r0); r1 = w2.fma(x1, r1);
        s0 = w3.fma(x0, s0); s1 = w3.fma(x1, s1);
      }
      p0.intoArray(out, o + d); p1.intoArray(out, o + d + L);
      q0.intoArray(out, o1 + d); q1.intoArray(out, o1 + d + L);
      r0.intoArray(out, o2 + d); r1.intoArray(out, o2 + d + L);
      s0.intoArray(out, o3 + d); s1.intoArray(out, o3 + d + L);
    }
    if (d < hd)
      for (int c = 0; c < TILE; c++) colFmaFrom(out, o + c * ldo, accumulate, a, ao + c, lda, x, xOff, ldx, from + c, t, d, hd);
  }

  // out (hd, columns d0..) (+)= Σ_{i=from}^{t-1} a[ao + i·lda] · x_i: colsFma for one column
  private static void colFmaFrom(float[] out, int o, boolean accumulate, float[] a, int ao, int lda, float[] x, int xOff, int ldx,
      int from, int t, int d0, int hd) {
    int d = d0;
    for (; d + L <= hd; d += L) {
      FloatVector p0 = accumulate ? FloatVector.fromArray(F, out, o + d) : FloatVector.zero(F);
      for (int i = from, xr = xOff + from * ldx + d, ar = ao + from * lda; i < t; i++, xr += ldx, ar += lda)
        p0 = FloatVector.broadcast(F, a[ar]).fma(FloatVector.fromArray(F, x, xr), p0);
      p0.intoArray(out, o + d);
    }
    for (; d < hd; d++) {
      float s = accumulate ? out[o + d] : 0f;
      for (int i = from; i < t; i++) s = Math.fma(a[ao + i * lda], x[xOff + i * ldx + d], s);
      out[o + d] = s;
    }
  }
}
