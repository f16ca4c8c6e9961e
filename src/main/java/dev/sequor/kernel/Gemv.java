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
