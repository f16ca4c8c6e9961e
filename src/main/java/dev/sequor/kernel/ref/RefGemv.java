package dev.sequor.kernel.ref;

/** Scalar twins of {@link dev.sequor.kernel.Gemv}. */
public final class RefGemv {
  private RefGemv() {}

  // y (rows) += W (rows,cols) · x (cols)
  public static void wx(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      float acc = 0f;
      for (int c = 0; c < cols; c++) acc = Math.fma(w[wOff + r * ldw + c], x[xOff + c], acc);
      y[yOff + r] += acc;
    }
  }

  // y (cols) += Wᵀ · x, W (rows,cols), x (rows): one FMA chain per output over r in order
  public static void wtx(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int rows, int cols) {
    for (int c = 0; c < cols; c++) {
      float acc = y[yOff + c];
      for (int r = 0; r < rows; r++) acc = Math.fma(w[wOff + r * ldw + c], x[xOff + r], acc);
      y[yOff + c] = acc;
    }
  }
}
