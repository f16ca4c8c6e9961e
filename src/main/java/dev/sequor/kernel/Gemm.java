package dev.sequor.kernel;

import dev.sequor.kernel.ref.RefGemm;
import dev.sequor.kernel.simd.SimdGemm;

/**
 * Single-precision matrix products on row-major flat arrays: {@code C += op(A) · op(B)}.
 *
 * <p>Storage: a row-major matrix X with leading dimension {@code ldx} at offset {@code xOff} holds
 * element (r, c) at {@code x[xOff + r*ldx + c]}, so a slice of a larger buffer is a valid operand.
 *
 * <p>Every variant <b>accumulates</b> into C; to overwrite, zero C first (or fill it with a bias).
 *
 * <p><b>Summation-order contract.</b> Every output element is one fused multiply-add chain over
 * {@code p = 0 .. k-1} in increasing order, starting from C's previous value:
 * {@code c = fma(a_p, b_p, c)}. The SIMD and scalar paths, any blocking, any thread count and any
 * batch size {@code m} therefore give bit-identical results — which is what lets a streamed
 * recurrent step (m = 1) equal the same step inside a whole-sequence GEMM bit for bit, and
 * {@link Gemv#wtx} (the same chain) equal a one-row {@link #nn}.
 *
 * <p>Large products are split by output blocks over the {@link WorkerPool} ({@code -Dsequor.threads});
 * small ones stay on the caller. For a weight used in many products (a recurrent step, m = 1, with
 * W (out,in) used as Wᵀ), pack it once: {@link PackedMatrix#ofTransposed} and
 * {@link #nn(float[], int, int, float[], int, int, PackedMatrix, int)}.
 */
public final class Gemm {
  private Gemm() {}

  /** C (m,n) += A (m,k) · B (k,n). */
  public static void nn(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    Checks.matrix("C", c, cOff, ldc, m, n);
    Checks.matrix("A", a, aOff, lda, m, k);
    Checks.matrix("B", b, bOff, ldb, k, n);
    if (Engine.SCALAR) RefGemm.nn(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k);
    else SimdGemm.nn(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k);
  }

  /**
   * C (m,n) += A (m,k) · B with B (k,n) pre-packed ({@link PackedMatrix}): k = {@code b.rows()},
   * n = {@code b.cols()}. Bit-identical to the unpacked {@link #nn} (or {@link #nt} for
   * {@link PackedMatrix#ofTransposed}) on the packed values.
   */
  public static void nn(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, PackedMatrix b, int m) {
    if (b == null) throw new IllegalArgumentException("B is null");
    Checks.matrix("C", c, cOff, ldc, m, b.cols());
    Checks.matrix("A", a, aOff, lda, m, b.rows());
    if (Engine.SCALAR) RefGemm.nnPacked(c, cOff, ldc, a, aOff, lda, b, m);
    else SimdGemm.nnPacked(c, cOff, ldc, a, aOff, lda, b.data(), m, b.cols(), b.rows());
  }

  /**
   * C (m, columns [j0,j1)) += A (m,k) · B (k, [j0,j1)) with B pre-packed, computed on the calling
   * thread only: for callers that split a product over the {@link WorkerPool} themselves (e.g. fusing
   * each part with the work that consumes its columns). j0 must be a multiple of
   * {@link PackedMatrix#panel()}. The same chains, so the same bits, as the whole-matrix call.
   */
  public static void nnColumns(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, PackedMatrix b, int m,
      int j0, int j1) {
    if (b == null) throw new IllegalArgumentException("B is null");
    if (j0 < 0 || j1 > b.cols() || j0 > j1 || j0 % PackedMatrix.panel() != 0)
      throw new IllegalArgumentException("columns [" + j0 + ", " + j1 + ") outside [0, " + b.cols()
          + ") or not starting at a multiple of " + PackedMatrix.panel());
    Checks.matrix("C", c, cOff, ldc, m, b.cols());
    Checks.matrix("A", a, aOff, lda, m, b.rows());
    if (Engine.SCALAR) RefGemm.nnPackedColumns(c, cOff, ldc, a, aOff, lda, b, m, j0, j1);
    else SimdGemm.nnPackedColumns(c, cOff, ldc, a, aOff, lda, b.data(), m, b.rows(), j0, j1);
  }

  /** C (m,n) += A (m,k) · Bᵀ, B stored (n,k): the Linear forward {@code y = x Wᵀ} with W (out,in). */
  public static void nt(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    Checks.matrix("C", c, cOff, ldc, m, n);
    Checks.matrix("A", a, aOff, lda, m, k);
    Checks.matrix("B", b, bOff, ldb, n, k);
    if (Engine.SCALAR) RefGemm.nt(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k);
    else SimdGemm.nt(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k);
  }

  /** C (m,n) += Aᵀ · B, A stored (k,m), B (k,n): weight gradients {@code dW += dyᵀ x}. */
  public static void tn(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    Checks.matrix("C", c, cOff, ldc, m, n);
    Checks.matrix("A", a, aOff, lda, k, m);
    Checks.matrix("B", b, bOff, ldb, k, n);
    if (Engine.SCALAR) RefGemm.tn(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k);
    else SimdGemm.tn(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k);
  }
}
