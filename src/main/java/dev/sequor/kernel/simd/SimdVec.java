package dev.sequor.kernel.simd;

import static dev.sequor.kernel.simd.VectorMath.F;

import jdk.incubator.vector.FloatVector;

/**
 * SIMD BLAS-1 helpers; twins of {@link dev.sequor.kernel.ref.RefVec}. The element-wise ones
 * (axpy, scale, add, addRowBias, sumRows) are bit-identical to the reference; the reductions (sum,
 * dot, sumSquares) sum in lanes ({@link SimdReduce}). Validated by the facade
 * {@link dev.sequor.kernel.Vec}.
 */
public final class SimdVec {
  private SimdVec() {}

  private static final int L = F.length();

  // y (n) = fma(a, x, y)
  public static void axpy(float[] y, int yOff, float a, float[] x, int xOff, int n) {
    FloatVector va = FloatVector.broadcast(F, a);
    int i = 0;
    for (; i <= n - L; i += L)
      va.fma(FloatVector.fromArray(F, x, xOff + i), FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
    for (; i < n; i++) y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
  }

  // x (n) *= a
  public static void scale(float[] x, int xOff, float a, int n) {
    FloatVector va = FloatVector.broadcast(F, a);
    int i = 0;
    for (; i <= n - L; i += L) FloatVector.fromArray(F, x, xOff + i).mul(va).intoArray(x, xOff + i);
    for (; i < n; i++) x[xOff + i] *= a;
  }

  // out (n) = a (n) + b (n)
  public static void add(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L)
      FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
    for (; i < n; i++) out[outOff + i] = a[aOff + i] + b[bOff + i];
  }

  // out (rows,cols; ld) += bias (cols) on every row
  public static void addRowBias(float[] out, int outOff, int ld, float[] bias, int bOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) add(out, outOff + r * ld, out, outOff + r * ld, bias, bOff, cols);
  }

  // dbias (cols) += Σ_rows dy (rows,cols; ld), rows in order (so the same sums as the reference)
  public static void sumRows(float[] dbias, int dbOff, float[] dy, int dyOff, int ld, int rows, int cols) {
    for (int r = 0; r < rows; r++) add(dbias, dbOff, dbias, dbOff, dy, dyOff + r * ld, cols);
  }

  public static double sum(float[] x, int xOff, int n) { return SimdReduce.sumDouble(x, xOff, n); }

  public static float dot(float[] a, int aOff, float[] b, int bOff, int n) { return SimdReduce.dot(a, aOff, b, bOff, n); }

  public static double sumSquares(float[] x, int xOff, int n) { return SimdReduce.sumSquaresDouble(x, xOff, n); }
}
