package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The SIMD reductions have a documented, fixed summation order (SimdReduce): the same row gives the
 * same bits whether the kernel runs interpreted, in C1 or in C2 — which bit-identical KV-cached
 * decoding relies on. (The Vector API's reduceLanes(ADD) leaves the order open and the interpreter
 * and C2 differ.)
 */
class DeterminismTest {
  private static final int L = Fixtures.L;

  /** Vec.dot against a scalar emulation of its documented order, bit for bit. */
  @Test
  void dotFollowsItsDocumentedOrder() {
    Assumptions.assumeFalse(Engine.SCALAR, "SIMD path only");
    SplittableRandom rnd = new SplittableRandom(61);
    for (int n : new int[] {1, L - 1, L, L + 1, 2 * L, 2 * L + 1, 3 * L + 5, 207, 1024}) {
      float[] a = Fixtures.gaussian(rnd, n, 1), b = Fixtures.gaussian(rnd, n, 1);
      float[] s0 = new float[L], s1 = new float[L];
      int i = 0;
      for (; i <= n - 2 * L; i += 2 * L)
        for (int j = 0; j < L; j++) {
          s0[j] = Math.fma(a[i + j], b[i + j], s0[j]);
          s1[j] = Math.fma(a[i + L + j], b[i + L + j], s1[j]);
        }
      if (i <= n - L) {
        for (int j = 0; j < L; j++) s0[j] = Math.fma(a[i + j], b[i + j], s0[j]);
        i += L;
      }
      float[] v = new float[L];
      for (int j = 0; j < L; j++) v[j] = s0[j] + s1[j];
      for (int k = L / 2; k >= 1; k /= 2)
        for (int j = 0; j < k; j++) v[j] += v[j + k];
      float s = v[0];
      for (; i < n; i++) s = Math.fma(a[i], b[i], s);
      assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(Vec.dot(a, 0, b, 0, n)), "dot n=" + n);
    }
  }

  /** Many calls on the same rows (cold, then compiled by the JIT) all give the first call's bits. */
  @Test
  void sameBitsBeforeAndAfterJitCompilation() {
    SplittableRandom rnd = new SplittableRandom(62);
    int rows = 2, cols = 37;
    float[] x = Fixtures.gaussian(rnd, rows * cols, 3), w = Fixtures.gaussian(rnd, cols, 1), g = Fixtures.gaussian(rnd, rows * cols, 1);
    int[] t = {3, 30};
    float[] first = run(x, w, g, t, rows, cols);
    for (int k = 0; k < 20_000; k++) {
      float[] again = run(x, w, g, t, rows, cols);
      if (!Arrays.equals(first, again)) fail("call " + k + " differs from the first call");
    }
  }

  private static float[] run(float[] x, float[] w, float[] g, int[] t, int rows, int cols) {
    int n = rows * cols;
    float[] out = new float[6 * n + 8];
    Softmax.rows(out, 0, x, 0, rows, cols);
    Softmax.logRows(out, n, x, 0, rows, cols);
    Softmax.backward(out, 2 * n, out, 0, g, 0, rows, cols);
    LayerNorm.forward(out, 3 * n, out, 6 * n, out, 6 * n + 2, x, 0, w, 0, null, 0, rows, cols, 1e-5f);
    LayerNorm.backward(out, 4 * n, out, 5 * n, null, 0, g, 0, x, 0, w, 0, out, 6 * n, out, 6 * n + 2, rows, cols);
    out[6 * n + 4] = (float) CrossEntropy.forwardBackward(out, 4 * n, x, 0, t, 0, rows, cols, 0.5f);
    out[6 * n + 5] = (float) Vec.sum(x, 0, n);
    out[6 * n + 6] = (float) Vec.sumSquares(x, 0, n);
    out[6 * n + 7] = Vec.dot(x, 0, g, 0, n);
    return out;
  }

  /** Gemv.wx sums each row across lanes: the same bits cold and after the JIT has compiled it. */
  @Test
  void gemvWxSameBitsBeforeAndAfterJitCompilation() {
    SplittableRandom rnd = new SplittableRandom(63);
    // an 8-row block, a lone row, pairs, a single vector and a tail; then x of 8 vectors (held in registers)
    for (int cols : new int[] {2 * L + L + 3, 8 * L + 3}) {
      int rows = 9;
      float[] w = Fixtures.gaussian(rnd, rows * cols, 1), x = Fixtures.gaussian(rnd, cols, 1);
      float[] first = new float[rows], again = new float[rows];
      Gemv.wx(first, 0, w, 0, cols, x, 0, rows, cols);
      for (int k = 0; k < 20_000; k++) {
        Arrays.fill(again, 0f);
        Gemv.wx(again, 0, w, 0, cols, x, 0, rows, cols);
        if (!Arrays.equals(first, again)) fail("cols " + cols + ": call " + k + " differs from the first call");
      }
    }
  }
}
