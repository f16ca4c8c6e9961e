package dev.sequor.kernel;

import dev.sequor.kernel.ref.RefGemv;
import dev.sequor.kernel.simd.SimdGemv;

/**
 * Matrix-vector products for batch-1 inference, W row-major (rows, cols) with leading dimension ldw.
 *
 * <p>{@link #wtx} follows {@link Gemm}'s summation-order contract (one FMA chain per output over the
 * rows in order), so it equals a one-row {@link Gemm#nn} bit for bit. {@link #wx} is a dot product
 * per row and is only equal to its reference within rounding; its SIMD order (two interleaved vector
 * FMA chains, a fixed pairwise lane sum, the scalar tail, then + y: {@code SimdGemv}'s class comment)
 * depends only on cols, so a row has the same bits whatever the thread count, the number of rows and
 * the row's position in the call.
 *
 * <p>For weights reused across many products (a streaming model's layers), pack them once and use
 * {@link #wx(float[], int, PackedMatrix, float[], int)}: the product then streams W front to back in the
 * packed panel order, whatever W's row stride and however its rows fall on cache lines, which
 * row-major W cannot (a block of rows is as many concurrent streams into memory as it has rows).
 */
public final class Gemv {
  private Gemv() {}

  /** y (rows) += W (rows,cols) · x (cols). */
  public static void wx(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int rows, int cols) {
    Checks.span("y", y, yOff, rows);
    Checks.matrix("W", w, wOff, ldw, rows, cols);
    Checks.span("x", x, xOff, cols);
    if (Engine.SCALAR) RefGemv.wx(y, yOff, w, wOff, ldw, x, xOff, rows, cols);
    else SimdGemv.wx(y, yOff, w, wOff, ldw, x, xOff, rows, cols);
  }

  /**
   * y (n) += W · x for W (n,k) packed once by {@link PackedMatrix#ofTransposed}{@code (W, off, ld, n, k)}:
   * the packed B (k,n) is Wᵀ and the product is the one-row {@link Gemm#nn(float[], int, int, float[],
   * int, int, PackedMatrix, int)}, y = x · B. (For any packed B (k,n) it is y += Bᵀ x; with
   * {@link PackedMatrix#of}{@code (W)}, y += Wᵀ x.) Gemm's summation-order contract: y[j] is one FMA chain
   * over k in order starting from y[j], so the result equals {@link #wtx} on Wᵀ bit for bit, and equals
   * the row-major {@link #wx} only within rounding (that is a dot product per row). Split over
   * threads by columns, bit-identically.
   */
  public static void wx(float[] y, int yOff, PackedMatrix w, float[] x, int xOff) {
    if (w == null) throw new IllegalArgumentException("W is null");
    Checks.span("y", y, yOff, w.cols());
    Checks.span("x", x, xOff, w.rows());
    Gemm.nn(y, yOff, w.cols(), x, xOff, w.rows(), w, 1);
  }

  /** y (cols) += Wᵀ · x, W (rows,cols), x (rows). */
  public static void wtx(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int rows, int cols) {
    Checks.span("y", y, yOff, cols);
    Checks.matrix("W", w, wOff, ldw, rows, cols);
    Checks.span("x", x, xOff, rows);
    if (Engine.SCALAR) RefGemv.wtx(y, yOff, w, wOff, ldw, x, xOff, rows, cols);
    else SimdGemv.wtx(y, yOff, w, wOff, ldw, x, xOff, rows, cols);
  }
}
