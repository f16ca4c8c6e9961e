package dev.sequor.kernel;

import dev.sequor.kernel.ref.RefVec;
import dev.sequor.kernel.simd.SimdVec;

/**
 * BLAS-1 style helpers on flat spans. The element-wise ones give the same bits on the SIMD and
 * reference paths; the reductions differ from the reference only by summation order. Outputs may be
 * one of the inputs (same array and offset) but must not overlap them otherwise.
 */
public final class Vec {
  private Vec() {}

  // y (n) += a · x (n), one fused multiply-add per element
  public static void axpy(float[] y, int yOff, float a, float[] x, int xOff, int n) {
    Checks.nonNegative("n", n);
    Checks.span("y", y, yOff, n);
    Checks.span("x", x, xOff, n);
    if (Engine.SCALAR) RefVec.axpy(y, yOff, a, x, xOff, n);
    else SimdVec.axpy(y, yOff, a, x, xOff, n);
  }

  // x (n) *= a
  public static void scale(float[] x, int xOff, float a, int n) {
    Checks.nonNegative("n", n);
    Checks.span("x", x, xOff, n);
    if (Engine.SCALAR) RefVec.scale(x, xOff, a, n);
    else SimdVec.scale(x, xOff, a, n);
  }

  // out (n) = a (n) + b (n); out may alias either
  public static void add(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    Checks.nonNegative("n", n);
    Checks.span("out", out, outOff, n);
    Checks.span("a", a, aOff, n);
    Checks.span("b", b, bOff, n);
    if (Engine.SCALAR) RefVec.add(out, outOff, a, aOff, b, bOff, n);
    else SimdVec.add(out, outOff, a, aOff, b, bOff, n);
  }

  // out (rows,cols) += bias (cols) broadcast over rows; ld = leading dimension of out
  public static void addRowBias(float[] out, int outOff, int ld, float[] bias, int bOff, int rows, int cols) {
    Checks.matrix("out", out, outOff, ld, rows, cols);
    Checks.span("bias", bias, bOff, cols);
    if (Engine.SCALAR) RefVec.addRowBias(out, outOff, ld, bias, bOff, rows, cols);
    else SimdVec.addRowBias(out, outOff, ld, bias, bOff, rows, cols);
  }

  // dbias (cols) += Σ_rows dy (rows,cols); the backward of addRowBias
  public static void sumRows(float[] dbias, int dbOff, float[] dy, int dyOff, int ld, int rows, int cols) {
    Checks.matrix("dy", dy, dyOff, ld, rows, cols);
    Checks.span("dbias", dbias, dbOff, cols);
    if (Engine.SCALAR) RefVec.sumRows(dbias, dbOff, dy, dyOff, ld, rows, cols);
    else SimdVec.sumRows(dbias, dbOff, dy, dyOff, ld, rows, cols);
  }

  // Σ x (n), accumulated in double
  public static double sum(float[] x, int xOff, int n) {
    Checks.nonNegative("n", n);
    Checks.span("x", x, xOff, n);
    return Engine.SCALAR ? RefVec.sum(x, xOff, n) : SimdVec.sum(x, xOff, n);
  }

  // Σ a·b (n), fused multiply-adds in float
  public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    Checks.nonNegative("n", n);
    Checks.span("a", a, aOff, n);
    Checks.span("b", b, bOff, n);
    return Engine.SCALAR ? RefVec.dot(a, aOff, b, bOff, n) : SimdVec.dot(a, aOff, b, bOff, n);
  }

  // Σ x² (n), accumulated in double (global-norm clipping)
  public static double sumSquares(float[] x, int xOff, int n) {
    Checks.nonNegative("n", n);
    Checks.span("x", x, xOff, n);
    return Engine.SCALAR ? RefVec.sumSquares(x, xOff, n) : SimdVec.sumSquares(x, xOff, n);
  }
}
