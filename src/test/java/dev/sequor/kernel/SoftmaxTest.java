package dev.sequor.kernel;

import static dev.sequor.kernel.ActivationsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.kernel.ref.RefSoftmax;
import dev.sequor.kernel.simd.SimdSoftmax;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SoftmaxTest {
  private static final int[] ODD_COLS = {37, 53, 29, 65};

  private static int[] allCols() {
    int[] s = Fixtures.sizes();
    int[] r = java.util.Arrays.copyOf(s, s.length + ODD_COLS.length);
    System.arraycopy(ODD_COLS, 0, r, s.length, ODD_COLS.length);
    return r;
  }

  @Test
  void simdAndReferenceMatchTheDoubleSoftmax() {
    SplittableRandom rnd = new SplittableRandom(21);
    for (int cols : allCols())
      for (int rows : new int[] {1, 3}) {
        float[] x = Fixtures.gaussian(rnd, rows * cols + 5, 4);
        float[] a = new float[rows * cols + 5], b = new float[rows * cols + 5];
        SimdSoftmax.rows(a, 5, x, 5, rows, cols);
        RefSoftmax.rows(b, 5, x, 5, rows, cols);
        for (int r = 0; r < rows; r++) {
          double[] p = DoubleRef.softmax(x, 5 + r * cols, cols);
          double sumA = 0;
          for (int c = 0; c < cols; c++) {
            int i = 5 + r * cols + c;
            assertEquals(p[c], a[i], Tolerances.softmaxProb(cols, p[c]), "simd " + rows + "x" + cols);
            assertEquals(p[c], b[i], Tolerances.softmaxProb(cols, p[c]), "ref " + rows + "x" + cols);
            sumA += a[i];
          }
          assertEquals(1.0, sumA, Tolerances.forSum(cols) + 8 * Tolerances.U, "row sum");
        }
        for (int i = 0; i < 5; i++) assertEquals(0f, a[i], "wrote before the block");
      }
  }

  @Test
  void facadeInPlaceEqualsSimd() {
    SplittableRandom rnd = new SplittableRandom(22);
    float[] x = Fixtures.gaussian(rnd, 4 * 207, 3), expected = new float[x.length];
    SimdSoftmax.rows(expected, 0, x, 0, 4, 207);
    Softmax.rows(x, 0, x, 0, 4, 207);
    assertArrayEquals(expected, x);
  }

  @Test
  void causalRowsMaskExactlyAndSumToOne() {
    SplittableRandom rnd = new SplittableRandom(23);
    for (int cols : new int[] {1, 17, 33, 64})
      for (int firstPos : new int[] {0, cols / 2}) {
        int rows = cols - firstPos;
        float[] x = Fixtures.gaussian(rnd, rows * cols, 3);
        float[] a = new float[rows * cols], b = new float[rows * cols];
        Softmax.rowsCausal(a, 0, x, 0, rows, cols, firstPos);
        RefSoftmax.rowsCausal(b, 0, x, 0, rows, cols, firstPos);
        for (int r = 0; r < rows; r++) {
          int visible = firstPos + r + 1;
          double[] p = DoubleRef.softmax(x, r * cols, visible);
          double sum = 0;
          for (int c = 0; c < cols; c++) {
            float v = a[r * cols + c];
            if (c >= visible) {
              assertEquals(0f, v, "masked column must be exactly 0");
              assertEquals(0f, b[r * cols + c]);
            } else {
              assertEquals(p[c], v, Tolerances.softmaxProb(visible, p[c]));
              sum += v;
            }
          }
          assertEquals(1.0, sum, Tolerances.forSum(visible) + 8 * Tolerances.U);
        }
      }
  }

  @Test
  void hugeAndInfiniteLogitsStayFinite() {
    float[] x = {1e30f, 1e30f, -1e30f, 0f, Float.NEGATIVE_INFINITY, 3e38f, -3e38f, 3e38f};
    float[] y = new float[x.length];
    Softmax.rows(y, 0, x, 0, 1, 4);
    assertArrayEquals(new float[] {0.5f, 0.5f, 0f, 0f}, java.util.Arrays.copyOf(y, 4));
    Softmax.rows(y, 4, x, 4, 1, 4);
    assertArrayEquals(new float[] {0f, 0.5f, 0f, 0.5f}, java.util.Arrays.copyOfRange(y, 4, 8));
    float[] lp = new float[4];
    Softmax.logRows(lp, 0, new float[] {1e4f, 0f, -1e4f, 1e4f}, 0, 1, 4);
    assertEquals(-Math.log(2), lp[0], 1e-6);
    assertEquals(-1e4 - Math.log(2), lp[1], 1e-2);
    assertEquals(-2e4 - Math.log(2), lp[2], 2e-2);
  }

  /** Backward against central differences of L(x) = Σ g ⊙ softmax(x) in double. */
  @Test
  void backwardMatchesFiniteDifferences() {
    SplittableRandom rnd = new SplittableRandom(24);
    for (int cols : new int[] {1, 17, 37}) {
      int rows = 2;
      float[] x = Fixtures.gaussian(rnd, rows * cols, 2), g = Fixtures.gaussian(rnd, rows * cols, 1);
      float[] y = new float[rows * cols], dx = new float[rows * cols], dxRef = new float[rows * cols];
      Softmax.rows(y, 0, x, 0, rows, cols);
      Softmax.backward(dx, 0, y, 0, g, 0, rows, cols);
      RefSoftmax.backward(dxRef, 0, y, 0, g, 0, rows, cols);
      double h = 1e-4;
      for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
          int i = r * cols + c;
          double[] gr = DoubleRef.toDouble(g, r * cols, cols);
          float keep = x[i];
          double[] xp = DoubleRef.toDouble(x, r * cols, cols), xm = xp.clone();
          xp[c] = keep + h;
          xm[c] = keep - h;
          double fd = (DoubleRef.dot(gr, softmaxD(xp)) - DoubleRef.dot(gr, softmaxD(xm))) / (2 * h);
          assertEquals(fd, dx[i], Tolerances.gradient(1), "softmax backward " + cols);
          assertEquals(dxRef[i], dx[i], 1e-6, "simd vs ref");
        }
    }
  }

  private static double[] softmaxD(double[] x) {
    double[] l = DoubleRef.logSoftmax(x);
    for (int i = 0; i < l.length; i++) l[i] = Math.exp(l[i]);
    return l;
  }

  @Test
  void logSoftmaxAndItsBackward() {
    SplittableRandom rnd = new SplittableRandom(25);
    for (int cols : allCols()) {
      int rows = 2;
      float[] x = Fixtures.gaussian(rnd, rows * cols, 5), g = Fixtures.gaussian(rnd, rows * cols, 1);
      float[] y = new float[rows * cols], yRef = new float[rows * cols];
      Softmax.logRows(y, 0, x, 0, rows, cols);
      RefSoftmax.logRows(yRef, 0, x, 0, rows, cols);
      float[] dx = new float[rows * cols], dxRef = new float[rows * cols];
      Softmax.logBackward(dx, 0, y, 0, g, 0, rows, cols);
      RefSoftmax.logBackward(dxRef, 0, yRef, 0, g, 0, rows, cols);
      for (int r = 0; r < rows; r++) {
        double[] xr = DoubleRef.toDouble(x, r * cols, cols), gr = DoubleRef.toDouble(g, r * cols, cols);
        double[] l = DoubleRef.logSoftmax(xr);
        for (int c = 0; c < cols; c++) {
          int i = r * cols + c;
          double tol = 8 * Tolerances.U * (Math.abs(l[c]) + 1) + Tolerances.forSum(cols);
          assertEquals(l[c], y[i], tol, "log softmax");
          assertEquals(l[c], yRef[i], tol, "log softmax ref");
          double h = 1e-4;
          double[] xp = xr.clone(), xm = xr.clone();
          xp[c] += h;
          xm[c] -= h;
          double fd = (DoubleRef.dot(gr, DoubleRef.logSoftmax(xp)) - DoubleRef.dot(gr, DoubleRef.logSoftmax(xm))) / (2 * h);
          double scale = 0;
          for (double v : gr) scale += Math.abs(v);
          assertEquals(fd, dx[i], Tolerances.gradient(scale), "log softmax backward");
          assertEquals(dxRef[i], dx[i], 1e-5 * scale, "simd vs ref");
        }
      }
    }
  }

  @Test
  void badArgumentsNameTheOperand() {
    float[] a = new float[12];
    assertMessage(() -> Softmax.rows(a, 0, new float[11], 0, 3, 4), "x:");
    assertMessage(() -> Softmax.rows(a, 1, a, 0, 3, 4), "out:");
    assertMessage(() -> Softmax.rows(a, 0, a, 0, -1, 4), "out: negative shape");
    assertMessage(() -> Softmax.rowsCausal(a, 0, a, 0, 3, 4, 2), "causal softmax: rows 3 from position 2 need cols >= 5");
    assertMessage(() -> Softmax.rowsCausal(a, 0, a, 0, 3, 4, -1), "causal softmax");
    assertMessage(() -> Softmax.backward(a, 0, a, 0, null, 0, 3, 4), "dy is null");
    assertMessage(() -> Softmax.logRows(a, 0, a, 4, 3, 4), "x:");
    assertMessage(() -> Softmax.logBackward(a, 0, new float[3], 0, a, 0, 3, 4), "y:");
  }
}
