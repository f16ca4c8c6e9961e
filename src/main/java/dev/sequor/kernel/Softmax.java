package dev.sequor.kernel;

/**
 * Row-wise softmax on a row-major (rows, cols) block (leading dimension = cols), with its backward.
 * PLACEHOLDER: scalar loops until the SIMD kernels land.
 */
public final class Softmax {
  private Softmax() {}

  // out (rows,cols) = softmax over each row of x (rows,cols); out may alias x
  public static void rows(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
    Checks.span("out", out, outOff, (long) rows * cols);
    Checks.span("x", x, xOff, (long) rows * cols);
    for (int r = 0; r < rows; r++) softmaxRow(out, outOff + r * cols, x, xOff + r * cols, cols, cols);
  }

  /**
   * Causal softmax: row r may see columns {@code 0 .. firstPos + r} (inclusive); later columns get
   * exactly 0. With a (T,T) score block, firstPos = 0; for a cached decode of query positions
   * starting at p over keys 0..p+rows-1, firstPos = p.
   */
  public static void rowsCausal(float[] out, int outOff, float[] x, int xOff, int rows, int cols, int firstPos) {
    Checks.span("out", out, outOff, (long) rows * cols);
    Checks.span("x", x, xOff, (long) rows * cols);
    if (firstPos < 0 || firstPos + rows > cols)
      throw new IllegalArgumentException(
          "causal softmax: rows " + rows + " from position " + firstPos + " need cols >= " + (firstPos + rows) + ", got " + cols);
    for (int r = 0; r < rows; r++) {
      int visible = firstPos + r + 1;
      softmaxRow(out, outOff + r * cols, x, xOff + r * cols, visible, cols);
    }
  }

  // dx (rows,cols) += y ⊙ (dy − rowsum(y ⊙ dy)), y the saved softmax output; math/softmax.md
  public static void backward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
    Checks.span("dx", dx, dxOff, (long) rows * cols);
    Checks.span("y", y, yOff, (long) rows * cols);
    Checks.span("dy", dy, dyOff, (long) rows * cols);
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float dot = 0f;
      for (int c = 0; c < cols; c++) dot += y[yOff + o + c] * dy[dyOff + o + c];
      for (int c = 0; c < cols; c++) dx[dxOff + o + c] += y[yOff + o + c] * (dy[dyOff + o + c] - dot);
    }
  }

  private static void softmaxRow(float[] out, int o, float[] x, int xo, int visible, int cols) {
    float max = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < visible; c++) max = Math.max(max, x[xo + c]);
    float sum = 0f;
    for (int c = 0; c < visible; c++) {
      float e = (float) Math.exp(x[xo + c] - max);
      out[o + c] = e;
      sum += e;
    }
    float inv = 1f / sum;
    for (int c = 0; c < visible; c++) out[o + c] *= inv;
    for (int c = visible; c < cols; c++) out[o + c] = 0f;
  }
}
