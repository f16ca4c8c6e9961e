package dev.sequor.kernel.ref;

import java.util.Arrays;

/**
 * Scalar reference twins of {@link dev.sequor.kernel.simd.SimdSoftmax}: sequential sums, the same
 * element-wise operations. math/softmax.md
 */
public final class RefSoftmax {
  private RefSoftmax() {}

  public static void rows(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) row(out, outOff + r * cols, x, xOff + r * cols, cols, cols);
  }

  public static void rowsCausal(float[] out, int outOff, float[] x, int xOff, int rows, int cols, int firstPos) {
    for (int r = 0; r < rows; r++) row(out, outOff + r * cols, x, xOff + r * cols, firstPos + r + 1, cols);
  }

  public static void row(float[] out, int o, float[] x, int xo, int visible, int cols) {
    if (visible > 0) {
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < visible; c++) max = Math.max(max, x[xo + c]);
      float sum = 0f;
      for (int c = 0; c < visible; c++) {
        float e = ScalarMath.expBounded(x[xo + c] - max);
        out[o + c] = e;
        sum += e;
      }
      float inv = 1f / sum;
      for (int c = 0; c < visible; c++) out[o + c] *= inv;
    }
    Arrays.fill(out, o + visible, o + cols, 0f);
  }

  public static void backward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float dot = 0f;
      for (int c = 0; c < cols; c++) dot = Math.fma(y[yOff + o + c], dy[dyOff + o + c], dot);
      for (int c = 0; c < cols; c++) dx[dxOff + o + c] = Math.fma(y[yOff + o + c], dy[dyOff + o + c] - dot, dx[dxOff + o + c]);
    }
  }

  public static void logRows(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = outOff + r * cols, xo = xOff + r * cols;
      if (cols == 0) continue;
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) max = Math.max(max, x[xo + c]);
      float sum = 0f;
      for (int c = 0; c < cols; c++) sum += ScalarMath.expBounded(x[xo + c] - max);
      float logSum = (float) Math.log(sum);
      for (int c = 0; c < cols; c++) out[o + c] = (x[xo + c] - max) - logSum;
    }
  }

  public static void logBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float s = 0f;
      for (int c = 0; c < cols; c++) s += dy[dyOff + o + c];
      for (int c = 0; c < cols; c++) {
        float p = ScalarMath.expBounded(y[yOff + o + c]);
        dx[dxOff + o + c] += Math.fma(p, -s, dy[dyOff + o + c]);
      }
    }
  }
}
