package dev.sequor.kernel.ref;

/** Scalar reference twins of {@link dev.sequor.kernel.simd.SimdVec}: sequential loops. */
public final class RefVec {
  private RefVec() {}

  public static void axpy(float[] y, int yOff, float a, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
  }

  public static void scale(float[] x, int xOff, float a, int n) {
    for (int i = 0; i < n; i++) x[xOff + i] *= a;
  }

  public static void add(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
    for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] + b[bOff + i];
  }

  public static void addRowBias(float[] out, int outOff, int ld, float[] bias, int bOff, int rows, int cols) {
    for (int r = 0; r < rows; r++)
      for (int c = 0; c < cols; c++) out[outOff + r * ld + c] += bias[bOff + c];
  }

  public static void sumRows(float[] dbias, int dbOff, float[] dy, int dyOff, int ld, int rows, int cols) {
    for (int r = 0; r < rows; r++)
      for (int c = 0; c < cols; c++) dbias[dbOff + c] += dy[dyOff + r * ld + c];
  }

  public static double sum(float[] x, int xOff, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += x[xOff + i];
    return s;
  }

  public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
    return s;
  }

  public static double sumSquares(float[] x, int xOff, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s = Math.fma((double) x[xOff + i], x[xOff + i], s);
    return s;
  }
}
