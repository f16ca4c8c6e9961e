package dev.sequor.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM micro-kernels: a register-resident tile of C ({@code R} rows × {@link #NR} columns, R = 6, 4,
 * 2, 1) is loaded, updated by one FMA per element per p (outer product of an A column and a B row:
 * broadcast A[i,p], multiply the B row segment, add into C row i), and stored back. Each C element is
 * therefore one FMA chain over p in increasing order, continuing from its previous value: Gemm's
 * summation-order contract, whatever the caller's blocking.
 *
 * <p>Operands are addressed in place, so A needs no packing: A[i,p] is {@code a[ai + i·aI + p·aP]}
 * (aI = lda, aP = 1 for a row-major A; aI = 1, aP = lda for a stored Aᵀ) and the B row segment of p
 * starts at {@code b[bi + p·bStride]} (a packed panel, or B itself).
 *
 * <p>With AVX-512 (16 lanes) the 6 × 64 tile uses 24 accumulators + 4 B vectors + 1 broadcast of the
 * 32 vector registers; on Zen 4 (one 512-bit FMA per cycle, latency 4) it runs at ~98% of the FMA
 * peak when its operands are in L1. The kernels are written out per row count (arrays of vectors
 * would not stay in registers); keep them in sync. No bounds reasoning here: callers pass in-range
 * operands.
 */
final class SimdGemmKernels {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Lanes per vector. */
  static final int L = S.length();
  /** Columns of a C tile (and of a packed B panel). */
  static final int NR = 4 * L;
  /** Rows of the main C tile. */
  static final int MR = 6;

  private SimdGemmKernels() {}

  /** The kernel row count the driver uses for {@code rows} remaining rows: 6, 4, 2 or 1. */
  static int kernelRows(int rows) { return rows >= 6 ? 6 : rows >= 4 ? 4 : rows >= 2 ? 2 : 1; }

  /** Runs the kernel of {@code r} = {@link #kernelRows} rows. */
  static void rows(int r, int kc, float[] a, int ai, int aP, int aI, float[] b, int bi, int bStride,
      float[] c, int ci, int ldc) {
    switch (r) {
      case 6 -> rows6(kc, a, ai, aP, aI, b, bi, bStride, c, ci, ldc);
      case 4 -> rows4(kc, a, ai, aP, aI, b, bi, bStride, c, ci, ldc);
      case 2 -> rows2(kc, a, ai, aP, aI, b, bi, bStride, c, ci, ldc);
      default -> rows1(kc, a, ai, aP, aI, b, bi, bStride, c, ci, ldc);
    }
  }

  /** C rows [0,6) × NR columns += A (6 × kc) · B panel (kc × NR). */
  static void rows6(int kc, float[] a, int ai, int aP, int aI, float[] b, int bi, int bStride,
      float[] c, int ci, int ldc) {
    int a0 = ai, c0 = ci;
    int a1 = ai + 1 * aI, c1 = ci + 1 * ldc;
    int a2 = ai + 2 * aI, c2 = ci + 2 * ldc;
    int a3 = ai + 3 * aI, c3 = ci + 3 * ldc;
    int a4 = ai + 4 * aI, c4 = ci + 4 * ldc;
    int a5 = ai + 5 * aI, c5 = ci + 5 * ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, c0), c01 = FloatVector.fromArray(S, c, c0 + L), c02 = FloatVector.fromArray(S, c, c0 + 2 * L), c03 = FloatVector.fromArray(S, c, c0 + 3 * L);
    FloatVector c10 = FloatVector.fromArray(S, c, c1), c11 = FloatVector.fromArray(S, c, c1 + L), c12 = FloatVector.fromArray(S, c, c1 + 2 * L), c13 = FloatVector.fromArray(S, c, c1 + 3 * L);
    FloatVector c20 = FloatVector.fromArray(S, c, c2), c21 = FloatVector.fromArray(S, c, c2 + L), c22 = FloatVector.fromArray(S, c, c2 + 2 * L), c23 = FloatVector.fromArray(S, c, c2 + 3 * L);
    FloatVector c30 = FloatVector.fromArray(S, c, c3), c31 = FloatVector.fromArray(S, c, c3 + L), c32 = FloatVector.fromArray(S, c, c3 + 2 * L), c33 = FloatVector.fromArray(S, c, c3 + 3 * L);
    FloatVector c40 = FloatVector.fromArray(S, c, c4), c41 = FloatVector.fromArray(S, c, c4 + L), c42 = FloatVector.fromArray(S, c, c4 + 2 * L), c43 = FloatVector.fromArray(S, c, c4 + 3 * L);
    FloatVector c50 = FloatVector.fromArray(S, c, c5), c51 = FloatVector.fromArray(S, c, c5 + L), c52 = FloatVector.fromArray(S, c, c5 + 2 * L), c53 = FloatVector.fromArray(S, c, c5 + 3 * L);
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * bStride, ap = p * aP;
      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L), b2 = FloatVector.fromArray(S, b, bp + 2 * L), b3 = FloatVector.fromArray(S, b, bp + 3 * L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
      c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
      x = FloatVector.broadcast(S, a[a1 + ap]);
      c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
      x = FloatVector.broadcast(S, a[a2 + ap]);
      c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
      x = FloatVector.broadcast(S, a[a3 + ap]);
      c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
      x = FloatVector.broadcast(S, a[a4 + ap]);
      c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
      x = FloatVector.broadcast(S, a[a5 + ap]);
      c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52); c53 = x.fma(b3, c53);
    }
    c00.intoArray(c, c0); c01.intoArray(c, c0 + L); c02.intoArray(c, c0 + 2 * L); c03.intoArray(c, c0 + 3 * L);
    c10.intoArray(c, c1); c11.intoArray(c, c1 + L); c12.intoArray(c, c1 + 2 * L); c13.intoArray(c, c1 + 3 * L);
    c20.intoArray(c, c2); c21.intoArray(c, c2 + L); c22.intoArray(c, c2 + 2 * L); c23.intoArray(c, c2 + 3 * L);
    c30.intoArray(c, c3); c31.intoArray(c, c3 + L); c32.intoArray(c, c3 + 2 * L); c33.intoArray(c, c3 + 3 * L);
    c40.intoArray(c, c4); c41.intoArray(c, c4 + L); c42.intoArray(c, c4 + 2 * L); c43.intoArray(c, c4 + 3 * L);
    c50.intoArray(c, c5); c51.intoArray(c, c5 + L); c52.intoArray(c, c5 + 2 * L); c53.intoArray(c, c5 + 3 * L);
  }

  /** C rows [0,4) × NR columns += A (4 × kc) · B panel (kc × NR). */
  static void rows4(int kc, float[] a, int ai, int aP, int aI, float[] b, int bi, int bStride,
      float[] c, int ci, int ldc) {
    int a0 = ai, c0 = ci;
    int a1 = ai + 1 * aI, c1 = ci + 1 * ldc;
    int a2 = ai + 2 * aI, c2 = ci + 2 * ldc;
    int a3 = ai + 3 * aI, c3 = ci + 3 * ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, c0), c01 = FloatVector.fromArray(S, c, c0 + L), c02 = FloatVector.fromArray(S, c, c0 + 2 * L), c03 = FloatVector.fromArray(S, c, c0 + 3 * L);
    FloatVector c10 = FloatVector.fromArray(S, c, c1), c11 = FloatVector.fromArray(S, c, c1 + L), c12 = FloatVector.fromArray(S, c, c1 + 2 * L), c13 = FloatVector.fromArray(S, c, c1 + 3 * L);
    FloatVector c20 = FloatVector.fromArray(S, c, c2), c21 = FloatVector.fromArray(S, c, c2 + L), c22 = FloatVector.fromArray(S, c, c2 + 2 * L), c23 = FloatVector.fromArray(S, c, c2 + 3 * L);
    FloatVector c30 = FloatVector.fromArray(S, c, c3), c31 = FloatVector.fromArray(S, c, c3 + L), c32 = FloatVector.fromArray(S, c, c3 + 2 * L), c33 = FloatVector.fromArray(S, c, c3 + 3 * L);
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * bStride, ap = p * aP;
      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L), b2 = FloatVector.fromArray(S, b, bp + 2 * L), b3 = FloatVector.fromArray(S, b, bp + 3 * L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
      c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
      x = FloatVector.broadcast(S, a[a1 + ap]);
      c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
      x = FloatVector.broadcast(S, a[a2 + ap]);
      c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
      x = FloatVector.broadcast(S, a[a3 + ap]);
      c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
    }
    c00.intoArray(c, c0); c01.intoArray(c, c0 + L); c02.intoArray(c, c0 + 2 * L); c03.intoArray(c, c0 + 3 * L);
    c10.intoArray(c, c1); c11.intoArray(c, c1 + L); c12.intoArray(c, c1 + 2 * L); c13.intoArray(c, c1 + 3 * L);
    c20.intoArray(c, c2); c21.intoArray(c, c2 + L); c22.intoArray(c, c2 + 2 * L); c23.intoArray(c, c2 + 3 * L);
    c30.intoArray(c, c3); c31.intoArray(c, c3 + L); c32.intoArray(c, c3 + 2 * L); c33.intoArray(c, c3 + 3 * L);
  }

  /** C rows [0,2) × NR columns += A (2 × kc) · B panel (kc × NR). */
  static void rows2(int kc, float[] a, int ai, int aP, int aI, float[] b, int bi, int bStride,
      float[] c, int ci, int ldc) {
    int a0 = ai, c0 = ci;
    int a1 = ai + 1 * aI, c1 = ci + 1 * ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, c0), c01 = FloatVector.fromArray(S, c, c0 + L), c02 = FloatVector.fromArray(S, c, c0 + 2 * L), c03 = FloatVector.fromArray(S, c, c0 + 3 * L);
    FloatVector c10 = FloatVector.fromArray(S, c, c1), c11 = FloatVector.fromArray(S, c, c1 + L), c12 = FloatVector.fromArray(S, c, c1 + 2 * L), c13 = FloatVector.fromArray(S, c, c1 + 3 * L);
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * bStride, ap = p * aP;
      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L), b2 = FloatVector.fromArray(S, b, bp + 2 * L), b3 = FloatVector.fromArray(S, b, bp + 3 * L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
      c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
      x = FloatVector.broadcast(S, a[a1 + ap]);
      c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
    }
    c00.intoArray(c, c0); c01.intoArray(c, c0 + L); c02.intoArray(c, c0 + 2 * L); c03.intoArray(c, c0 + 3 * L);
    c10.intoArray(c, c1); c11.intoArray(c, c1 + L); c12.intoArray(c, c1 + 2 * L); c13.intoArray(c, c1 + 3 * L);
  }

  /** C rows [0,1) × NR columns += A (1 × kc) · B panel (kc × NR). */
  static void rows1(int kc, float[] a, int ai, int aP, int aI, float[] b, int bi, int bStride,
      float[] c, int ci, int ldc) {
    int a0 = ai, c0 = ci;
    FloatVector c00 = FloatVector.fromArray(S, c, c0), c01 = FloatVector.fromArray(S, c, c0 + L), c02 = FloatVector.fromArray(S, c, c0 + 2 * L), c03 = FloatVector.fromArray(S, c, c0 + 3 * L);
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * bStride, ap = p * aP;
      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L), b2 = FloatVector.fromArray(S, b, bp + 2 * L), b3 = FloatVector.fromArray(S, b, bp + 3 * L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
      c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
    }
    c00.intoArray(c, c0); c01.intoArray(c, c0 + L); c02.intoArray(c, c0 + 2 * L); c03.intoArray(c, c0 + 3 * L);
  }

  /**
   * One C row × NR columns += a (1 × k) · one packed B panel (k × NR, contiguous from bi): the panel
   * read front to back, two rows per iteration (each accumulator still takes its FMAs in order of p).
   */
  static void rowPanel(int k, float[] a, int ai, float[] b, int bi, float[] c, int ci) {
    FloatVector c0 = FloatVector.fromArray(S, c, ci), c1 = FloatVector.fromArray(S, c, ci + L);
    FloatVector c2 = FloatVector.fromArray(S, c, ci + 2 * L), c3 = FloatVector.fromArray(S, c, ci + 3 * L);
    int p = 0;
    for (; p + 2 <= k; p += 2, bi += 2 * NR) {
      FloatVector x = FloatVector.broadcast(S, a[ai + p]);
      c0 = x.fma(FloatVector.fromArray(S, b, bi), c0); c1 = x.fma(FloatVector.fromArray(S, b, bi + L), c1);
      c2 = x.fma(FloatVector.fromArray(S, b, bi + 2 * L), c2); c3 = x.fma(FloatVector.fromArray(S, b, bi + 3 * L), c3);
      x = FloatVector.broadcast(S, a[ai + p + 1]);
      c0 = x.fma(FloatVector.fromArray(S, b, bi + NR), c0); c1 = x.fma(FloatVector.fromArray(S, b, bi + NR + L), c1);
      c2 = x.fma(FloatVector.fromArray(S, b, bi + NR + 2 * L), c2); c3 = x.fma(FloatVector.fromArray(S, b, bi + NR + 3 * L), c3);
    }
    if (p < k) {
      FloatVector x = FloatVector.broadcast(S, a[ai + p]);
      c0 = x.fma(FloatVector.fromArray(S, b, bi), c0); c1 = x.fma(FloatVector.fromArray(S, b, bi + L), c1);
      c2 = x.fma(FloatVector.fromArray(S, b, bi + 2 * L), c2); c3 = x.fma(FloatVector.fromArray(S, b, bi + 3 * L), c3);
    }
    c0.intoArray(c, ci); c1.intoArray(c, ci + L); c2.intoArray(c, ci + 2 * L); c3.intoArray(c, ci + 3 * L);
  }

  /**
   * One C row × 2·NR columns += a (1 × kc) · B (kc × 2·NR, rows {@code bStride} apart): two one-row
   * tiles side by side, so each B row is read in runs twice as long (faster for a cached B strip).
   */
  static void row1Wide(int kc, float[] a, int ai, int aP, float[] b, int bi, int bStride, float[] c, int ci) {
    FloatVector c0 = FloatVector.fromArray(S, c, ci), c1 = FloatVector.fromArray(S, c, ci + L);
    FloatVector c2 = FloatVector.fromArray(S, c, ci + 2 * L), c3 = FloatVector.fromArray(S, c, ci + 3 * L);
    FloatVector c4 = FloatVector.fromArray(S, c, ci + 4 * L), c5 = FloatVector.fromArray(S, c, ci + 5 * L);
    FloatVector c6 = FloatVector.fromArray(S, c, ci + 6 * L), c7 = FloatVector.fromArray(S, c, ci + 7 * L);
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * bStride;
      FloatVector x = FloatVector.broadcast(S, a[ai + p * aP]);
      c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
      c1 = x.fma(FloatVector.fromArray(S, b, bp + L), c1);
      c2 = x.fma(FloatVector.fromArray(S, b, bp + 2 * L), c2);
      c3 = x.fma(FloatVector.fromArray(S, b, bp + 3 * L), c3);
      c4 = x.fma(FloatVector.fromArray(S, b, bp + 4 * L), c4);
      c5 = x.fma(FloatVector.fromArray(S, b, bp + 5 * L), c5);
      c6 = x.fma(FloatVector.fromArray(S, b, bp + 6 * L), c6);
      c7 = x.fma(FloatVector.fromArray(S, b, bp + 7 * L), c7);
    }
    c0.intoArray(c, ci); c1.intoArray(c, ci + L); c2.intoArray(c, ci + 2 * L); c3.intoArray(c, ci + 3 * L);
    c4.intoArray(c, ci + 4 * L); c5.intoArray(c, ci + 5 * L); c6.intoArray(c, ci + 6 * L); c7.intoArray(c, ci + 7 * L);
  }

  /**
   * One C row, columns [0,n) += a (1 × k) · B (k × n) with B read in place, row by row, eight rows at
   * a time: each C segment is loaded, takes the eight FMAs of p..p+7 in order, and is stored. B then
   * streams through contiguously (prefetch-friendly, unlike a column strip of B whose rows sit in
   * different pages) and the C row segment stays in L1. Same FMA chains as the tile kernels.
   */
  static void streamRow(int n, int k, float[] a, int ai, int aP, float[] b, int bi, int ldb, float[] c, int ci) {
    int nv = n - n % L;
    int p = 0;
    for (; p + 8 <= k; p += 8) {
      int ap = ai + p * aP, b0 = bi + p * ldb;
      float s0 = a[ap], s1 = a[ap + aP], s2 = a[ap + 2 * aP], s3 = a[ap + 3 * aP];
      float s4 = a[ap + 4 * aP], s5 = a[ap + 5 * aP], s6 = a[ap + 6 * aP], s7 = a[ap + 7 * aP];
      FloatVector x0 = FloatVector.broadcast(S, s0), x1 = FloatVector.broadcast(S, s1);
      FloatVector x2 = FloatVector.broadcast(S, s2), x3 = FloatVector.broadcast(S, s3);
      FloatVector x4 = FloatVector.broadcast(S, s4), x5 = FloatVector.broadcast(S, s5);
      FloatVector x6 = FloatVector.broadcast(S, s6), x7 = FloatVector.broadcast(S, s7);
      for (int j = 0; j < nv; j += L) {
        int q = b0 + j;
        FloatVector acc = FloatVector.fromArray(S, c, ci + j);
        acc = x0.fma(FloatVector.fromArray(S, b, q), acc);
        acc = x1.fma(FloatVector.fromArray(S, b, q + ldb), acc);
        acc = x2.fma(FloatVector.fromArray(S, b, q + 2 * ldb), acc);
        acc = x3.fma(FloatVector.fromArray(S, b, q + 3 * ldb), acc);
        acc = x4.fma(FloatVector.fromArray(S, b, q + 4 * ldb), acc);
        acc = x5.fma(FloatVector.fromArray(S, b, q + 5 * ldb), acc);
        acc = x6.fma(FloatVector.fromArray(S, b, q + 6 * ldb), acc);
        acc = x7.fma(FloatVector.fromArray(S, b, q + 7 * ldb), acc);
        acc.intoArray(c, ci + j);
      }
      for (int j = nv; j < n; j++) {
        int q = b0 + j;
        float v = c[ci + j];
        v = Math.fma(s0, b[q], v);
        v = Math.fma(s1, b[q + ldb], v);
        v = Math.fma(s2, b[q + 2 * ldb], v);
        v = Math.fma(s3, b[q + 3 * ldb], v);
        v = Math.fma(s4, b[q + 4 * ldb], v);
        v = Math.fma(s5, b[q + 5 * ldb], v);
        v = Math.fma(s6, b[q + 6 * ldb], v);
        c[ci + j] = Math.fma(s7, b[q + 7 * ldb], v);
      }
    }
    for (; p < k; p++) {
      int b0 = bi + p * ldb;
      float s0 = a[ai + p * aP];
      FloatVector x0 = FloatVector.broadcast(S, s0);
      for (int j = 0; j < nv; j += L)
        x0.fma(FloatVector.fromArray(S, b, b0 + j), FloatVector.fromArray(S, c, ci + j)).intoArray(c, ci + j);
      for (int j = nv; j < n; j++) c[ci + j] = Math.fma(s0, b[b0 + j], c[ci + j]);
    }
  }
}
