package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.kernel.ref.RefGemm;
import dev.sequor.kernel.ref.RefGemv;
import dev.sequor.kernel.simd.SimdGemm;
import dev.sequor.kernel.simd.SimdGemv;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SIMD GEMV against its scalar twin: wtx bit for bit (FMA-chain contract), wx within {@link GemmTolerance}. */
class GemvTest {
  static final int[] SIZES = {1, 3, 15, 16, 17, 33, 63, 64, 65, 128, 131, 207, 256, 259, 1024};

  private int savedThreads;

  @BeforeEach
  void saveThreads() { savedThreads = WorkerPool.threads(); }

  @AfterEach
  void restoreThreads() { WorkerPool.setThreads(savedThreads); }

  static float[] random(Random rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = rnd.nextFloat() * 2 - 1;
    return a;
  }

  @Test
  void wtxMatchesReferenceAndOneRowGemmBitForBit() {
    Random rnd = new Random(11);
    for (int rows : SIZES)
      for (int cols : SIZES) {
        if ((long) rows * cols > 300_000) continue;
        int wOff = 3, ldw = cols + 2, yOff = 1, xOff = 2;
        float[] w = random(rnd, wOff + rows * ldw), x = random(rnd, xOff + rows), y0 = random(rnd, yOff + cols + 1);
        float[] ySimd = y0.clone(), yRef = y0.clone(), yGemm = y0.clone();
        SimdGemv.wtx(ySimd, yOff, w, wOff, ldw, x, xOff, rows, cols);
        RefGemv.wtx(yRef, yOff, w, wOff, ldw, x, xOff, rows, cols);
        Gemm.nn(yGemm, yOff, cols, x, xOff, rows, w, wOff, ldw, 1, cols, rows);
        assertArrayEquals(yRef, ySimd, "wtx vs reference " + rows + "x" + cols);
        assertArrayEquals(ySimd, yGemm, "wtx vs one-row Gemm.nn " + rows + "x" + cols);
      }
  }

  @Test
  void wxMatchesReferenceWithinTolerance() {
    Random rnd = new Random(12);
    for (int rows : SIZES)
      for (int cols : SIZES) {
        if ((long) rows * cols > 300_000) continue;
        int wOff = 1, ldw = cols + 3, yOff = 2, xOff = 1;
        float[] w = random(rnd, wOff + rows * ldw), x = random(rnd, xOff + cols), y0 = random(rnd, yOff + rows + 2);
        float[] ySimd = y0.clone(), yRef = y0.clone();
        SimdGemv.wx(ySimd, yOff, w, wOff, ldw, x, xOff, rows, cols);
        RefGemv.wx(yRef, yOff, w, wOff, ldw, x, xOff, rows, cols);
        assertWxWithinTolerance("wx " + rows + "x" + cols, y0, yRef, ySimd, yOff, w, wOff, ldw, x, xOff, rows, cols);
      }
  }

  /**
   * y = y0 + W·x (rows) at yOff within the dot-product tolerance of the reference yRef, row by row, and
   * y0's values outside the rows untouched.
   */
  static void assertWxWithinTolerance(String what, float[] y0, float[] yRef, float[] y, int yOff, float[] w, int wOff,
      int ldw, float[] x, int xOff, int rows, int cols) {
    for (int i = 0; i < y0.length; i++) {
      if (i < yOff || i >= yOff + rows) {
        assertEquals(y0[i], y[i], what + ": padding untouched at " + i);
        continue;
      }
      int r = i - yOff;
      double abs = Math.abs(y0[i]);
      for (int c = 0; c < cols; c++) abs += Math.abs((double) w[wOff + r * ldw + c] * x[xOff + c]);
      assertEquals(yRef[i], y[i], GemmTolerance.dot(cols + 1, abs), what + " row " + r);
    }
  }

  @Test
  void wxRowBitsDoNotDependOnTheBlockThatComputesThem() {
    // Rows come out of 8-row blocks (x in registers when cols / L = 8), or one by one: each row must
    // give the bits of the same row computed alone, whatever its position, offsets and cols.
    Random rnd = new Random(15);
    int l = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
    for (int cols : new int[] {1, l - 1, l, 2 * l + 3, 8 * l, 8 * l + 5, 9 * l, 300}) {
      int rows = 8 * 3 + 5, wOff = 5, ldw = cols + 1, yOff = 3, xOff = 2;
      float[] w = random(rnd, wOff + rows * ldw), x = random(rnd, xOff + cols), y0 = random(rnd, yOff + rows);
      float[] all = y0.clone();
      SimdGemv.wx(all, yOff, w, wOff, ldw, x, xOff, rows, cols);
      for (int r = 0; r < rows; r++) {
        float[] one = {y0[yOff + r]};
        SimdGemv.wx(one, 0, w, wOff + r * ldw, ldw, x, xOff, 1, cols);
        assertEquals(Float.floatToRawIntBits(one[0]), Float.floatToRawIntBits(all[yOff + r]), "cols " + cols + " row " + r);
      }
      float[] shifted = y0.clone(); // rows 3.. as their own call: every block boundary moves
      SimdGemv.wx(shifted, yOff + 3, w, wOff + 3 * ldw, ldw, x, xOff, rows - 3, cols);
      for (int r = 3; r < rows; r++)
        assertEquals(Float.floatToRawIntBits(all[yOff + r]), Float.floatToRawIntBits(shifted[yOff + r]), "cols " + cols + " shifted row " + r);
    }
  }

  @Test
  void wxAndWtxDoNotDependOnTheThreadCount() {
    Random rnd = new Random(13);
    int rows = 4 * 257 + 3, cols = 259;
    float[] w = random(rnd, rows * cols), xr = random(rnd, cols), xc = random(rnd, rows);
    float[] wx1 = null, wtx1 = null;
    for (int t : new int[] {1, 2, 3}) {
      WorkerPool.setThreads(t);
      float[] wx = new float[rows], wtx = new float[cols];
      Gemv.wx(wx, 0, w, 0, cols, xr, 0, rows, cols);
      Gemv.wtx(wtx, 0, w, 0, cols, xc, 0, rows, cols);
      if (wx1 == null) { wx1 = wx; wtx1 = wtx; }
      assertArrayEquals(wx1, wx, "wx threads=" + t);
      assertArrayEquals(wtx1, wtx, "wtx threads=" + t);
    }
    float[] ref = new float[cols];
    RefGemm.nn(ref, 0, cols, xc, 0, rows, w, 0, cols, 1, cols, rows);
    assertArrayEquals(ref, wtx1, "wtx vs reference one-row GEMM");
  }

  @Test
  void wtxEqualsTheSameRowOfABatchedGemm() {
    // A streamed recurrent step through Gemv.wtx equals its row of the whole-sequence GEMM.
    Random rnd = new Random(14);
    int m = 9, k = 300, n = 130;
    float[] a = random(rnd, m * k), b = random(rnd, k * n), c = new float[m * n];
    SimdGemm.nn(c, 0, n, a, 0, k, b, 0, n, m, n, k);
    for (int i = 0; i < m; i++) {
      float[] y = new float[n];
      Gemv.wtx(y, 0, b, 0, n, a, i * k, k, n);
      for (int j = 0; j < n; j++) assertEquals(Float.floatToRawIntBits(c[i * n + j]), Float.floatToRawIntBits(y[j]));
    }
  }

  @Test
  void packedWxEqualsTheOneRowProductAndTheReference() {
    // Gemv.wx on W packed once: Gemm's FMA chains (bit for bit the one-row nt on W in place, for any
    // thread count), and W·x within the dot-product tolerance of the row-major reference.
    Random rnd = new Random(16);
    int saved = WorkerPool.threads();
    for (int n : new int[] {1, 17, 64, 65, 200, 1024})
      for (int k : new int[] {1, 15, 16, 33, 259}) {
        int wOff = 2, ldw = k + 3, yOff = 1, xOff = 4;
        float[] w = random(rnd, wOff + n * ldw), x = random(rnd, xOff + k), y0 = random(rnd, yOff + n + 2);
        PackedMatrix packed = PackedMatrix.ofTransposed(w, wOff, ldw, n, k);
        float[] yNt = y0.clone(), yRef = y0.clone();
        Gemm.nt(yNt, yOff, n, x, xOff, k, w, wOff, ldw, 1, n, k);
        RefGemv.wx(yRef, yOff, w, wOff, ldw, x, xOff, n, k);
        for (int t : new int[] {1, 2, 3}) {
          WorkerPool.setThreads(t);
          float[] y = y0.clone();
          Gemv.wx(y, yOff, packed, x, xOff);
          assertArrayEquals(yNt, y, "packed wx vs one-row nt, " + n + "x" + k + ", threads " + t);
        }
        WorkerPool.setThreads(saved);
        assertWxWithinTolerance("packed wx vs reference " + n + "x" + k, y0, yRef, yNt, yOff, w, wOff, ldw, x, xOff, n, k);
      }
  }

  @Test
  void badArgumentsNameTheOperand() {
    float[] x = new float[12];
    GemmTest.assertMessage("y:", () -> Gemv.wx(new float[2], 0, x, 0, 4, x, 0, 3, 4));
    GemmTest.assertMessage("W:", () -> Gemv.wx(x, 0, x, 0, 4, x, 0, 4, 4));
    GemmTest.assertMessage("x:", () -> Gemv.wx(x, 0, x, 0, 4, new float[3], 0, 3, 4));
    GemmTest.assertMessage("y:", () -> Gemv.wtx(new float[3], 0, x, 0, 4, x, 0, 3, 4));
    GemmTest.assertMessage("x:", () -> Gemv.wtx(x, 0, x, 0, 4, x, 10, 3, 4));
    GemmTest.assertMessage("W:", () -> Gemv.wtx(x, 0, x, 0, 3, x, 0, 3, 4));
    PackedMatrix w = PackedMatrix.ofTransposed(x, 0, 4, 3, 4); // W (3,4): y (3) += W x (4)
    GemmTest.assertMessage("W is null", () -> Gemv.wx(x, 0, (PackedMatrix) null, x, 0));
    GemmTest.assertMessage("y:", () -> Gemv.wx(new float[2], 0, w, x, 0));
    GemmTest.assertMessage("x:", () -> Gemv.wx(x, 0, w, x, 9));
  }
}
