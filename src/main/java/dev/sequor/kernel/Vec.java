package dev.sequor.kernel;

/** BLAS-1 style helpers on flat spans. PLACEHOLDER: scalar loops until the SIMD kernels land. */
public final class Vec {
  private Vec() {}

  // y (n) += a · x (n)
  public static void axpy(float[] y, int yOff, float a, float[] x, int xOff, int n) {
    Checks.span("y", y, yOff, n);
    Checks.span("x", x, xOff, n);
    for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
  }

  // x (n) *= a
  public static void scale(float[] x, int xOff, float a, int n) {
    Checks.span("x", x, xOff, n);
    for (int i = 0; i < n; i++) x[xOff + i] *= a;
  }

  // out (n) = a (n) + b (n); out may alias either
  public static void add(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    Checks.span("out", out, outOff, n);
    Checks.span("a", a, aOff, n);
    Checks.span("b", b, bOff, n);
    for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] + b[bOff + i];
  }

  // out (rows,cols) += bias (cols) broadcast over rows; ld = leading dimension of out
  public static void addRowBias(float[] out, int outOff, int ld, float[] bias, int bOff, int rows, int cols) {
    Checks.matrix("out", out, outOff, ld, rows, cols);
    Checks.span("bias", bias, bOff, cols);
    for (int r = 0; r < rows; r++)
      for (int c = 0; c < cols; c++) out[outOff + r * ld + c] += bias[bOff + c];
  }

  // dbias (cols) += Σ_rows dy (rows,cols); the backward of addRowBias
  public static void sumRows(float[] dbias, int dbOff, float[] dy, int dyOff, int ld, int rows, int cols) {
    Checks.span("dbias", dbias, dbOff, cols);
    Checks.matrix("dy", dy, dyOff, ld, rows, cols);
    for (int r = 0; r < rows; r++)
      for (int c = 0; c < cols; c++) dbias[dbOff + c] += dy[dyOff + r * ld + c];
  }

  // Σ x (n), accumulated in double
  public static double sum(float[] x, int xOff, int n) {
    Checks.span("x", x, xOff, n);
    double s = 0;
    for (int i = 0; i < n; i++) s += x[xOff + i];
    return s;
  }

  // Σ a·b (n)
  public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    Checks.span("a", a, aOff, n);
    Checks.span("b", b, bOff, n);
    float s = 0f;
    for (int i = 0; i < n; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
    return s;
  }

  // Σ x² (n), accumulated in double (global-norm clipping)
  public static double sumSquares(float[] x, int xOff, int n) {
    Checks.span("x", x, xOff, n);
    double s = 0;
    for (int i = 0; i < n; i++) s += (double) x[xOff + i] * x[xOff + i];
    return s;
  }
}
