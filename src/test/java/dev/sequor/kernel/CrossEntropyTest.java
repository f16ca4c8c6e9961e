package dev.sequor.kernel;

import static dev.sequor.kernel.ActivationsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.kernel.ref.RefCrossEntropy;
import dev.sequor.kernel.simd.SimdCrossEntropy;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {
  @Test
  void lossAndGradientMatchTheDoubleReference() {
    SplittableRandom rnd = new SplittableRandom(31);
    for (int vocab : new int[] {1, 15, 16, 17, 33, 65, 207, 1024}) {
      int rows = 3;
      float[] logits = Fixtures.gaussian(rnd, rows * vocab, 3);
      int[] targets = new int[rows + 2];
      for (int r = 0; r < targets.length; r++) targets[r] = rnd.nextInt(vocab);
      float scale = 1f / rows;
      float[] start = Fixtures.gaussian(rnd, rows * vocab, 0.1);
      float[] d = start.clone(), dRef = start.clone();
      double loss = CrossEntropy.forwardBackward(d, 0, logits, 0, targets, 2, rows, vocab, scale);
      double lossRef = RefCrossEntropy.forwardBackward(dRef, 0, logits, 0, targets, 2, rows, vocab, scale);
      double exact = 0;
      for (int r = 0; r < rows; r++) {
        double[] x = DoubleRef.toDouble(logits, r * vocab, vocab);
        exact += DoubleRef.crossEntropy(x, targets[2 + r]);
        double[] l = DoubleRef.logSoftmax(x);
        for (int c = 0; c < vocab; c++) {
          double g = start[r * vocab + c] + scale * (Math.exp(l[c]) - (c == targets[2 + r] ? 1 : 0));
          double tol = scale * Tolerances.softmaxProb(vocab, Math.exp(l[c])) + 4 * Tolerances.U * Math.abs(g);
          assertEquals(g, d[r * vocab + c], tol, "dlogits vocab " + vocab);
          assertEquals(g, dRef[r * vocab + c], tol, "dlogits ref vocab " + vocab);
        }
      }
      double tol = rows * (Tolerances.forSum(vocab) + 1e-6) * Math.max(1, exact);
      assertEquals(exact, loss, tol, "loss vocab " + vocab);
      assertEquals(exact, lossRef, tol, "loss ref vocab " + vocab);
    }
  }

  /** The gradient against central differences of the double-precision mean loss. */
  @Test
  void gradientMatchesFiniteDifferences() {
    SplittableRandom rnd = new SplittableRandom(32);
    int rows = 2, vocab = 37;
    float[] logits = Fixtures.gaussian(rnd, rows * vocab, 2);
    int[] targets = {5, 36};
    float[] d = new float[rows * vocab];
    CrossEntropy.forwardBackward(d, 0, logits, 0, targets, 0, rows, vocab, 1f / rows);
    double h = 1e-4;
    for (int r = 0; r < rows; r++)
      for (int c = 0; c < vocab; c++) {
        double[] xp = DoubleRef.toDouble(logits, r * vocab, vocab), xm = xp.clone();
        xp[c] += h;
        xm[c] -= h;
        double fd = (DoubleRef.crossEntropy(xp, targets[r]) - DoubleRef.crossEntropy(xm, targets[r])) / (2 * h) / rows;
        assertEquals(fd, d[r * vocab + c], Tolerances.gradient(1));
      }
  }

  @Test
  void hugeLogitsAreStable() {
    float[] logits = {1e4f, 0f, -1e4f, 3e38f, -3e38f, 0f};
    int[] targets = {0, 1};
    float[] d = new float[6];
    double loss0 = CrossEntropy.forwardBackward(d, 0, logits, 0, targets, 0, 1, 3, 1f);
    assertEquals(0.0, loss0, 1e-12);
    double loss1 = CrossEntropy.forwardBackward(null, 0, logits, 0, new int[] {1}, 0, 1, 3, 1f);
    assertEquals(1e4, loss1, 1e-3);
    assertArrayEquals(new float[] {0f, 0f, 0f}, java.util.Arrays.copyOf(d, 3), "p = onehot: gradient exactly 0");
    double loss2 = CrossEntropy.forwardBackward(d, 3, logits, 3, targets, 1, 1, 3, 1f);
    assertEquals(6e38, loss2, 1e33, "−log p of a logit 6e38 below the max");
    assertArrayEquals(new float[] {1f, -1f, 0f}, java.util.Arrays.copyOfRange(d, 3, 6));
  }

  /**
   * A confident prediction: the target's gradient scale·(p_t − 1) is one rounding of p_t (exact
   * subtraction, p_t ≥ 1/2) — absolute error a few units of 2^−24 — on the SIMD and reference paths.
   */
  @Test
  void confidentPredictionGradient() {
    for (float margin : new float[] {2f, 5f, 10f, 16f, 30f}) {
      float[] logits = new float[19];
      logits[7] = margin;
      double[] p = DoubleRef.softmax(logits, 0, 19);
      float[] d = new float[19], dRef = new float[19];
      SimdCrossEntropy.forwardBackward(d, 0, logits, 0, new int[] {7}, 0, 1, 19, 1f);
      RefCrossEntropy.forwardBackward(dRef, 0, logits, 0, new int[] {7}, 0, 1, 19, 1f);
      assertEquals(p[7] - 1, d[7], 4 * Tolerances.U, "margin " + margin);
      assertEquals(p[7] - 1, dRef[7], 4 * Tolerances.U, "margin " + margin);
      assertTrue(d[7] <= 0f && d[0] >= 0f);
    }
  }

  @Test
  void accumulatesAndNullGradientGivesTheSameLoss() {
    float[] logits = {1f, 2f, 3f};
    float[] d = {10f, 10f, 10f};
    double a = CrossEntropy.forwardBackward(d, 0, logits, 0, new int[] {2}, 0, 1, 3, 0.5f);
    double b = CrossEntropy.forwardBackward(null, 0, logits, 0, new int[] {2}, 0, 1, 3, 0.5f);
    assertEquals(a, b);
    double[] p = DoubleRef.softmax(logits, 0, 3);
    assertEquals(10 + 0.5 * p[0], d[0], 1e-6);
    assertEquals(10 + 0.5 * (p[2] - 1), d[2], 1e-6);
  }

  @Test
  void badArgumentsNameTheOperand() {
    float[] l = new float[6];
    assertMessage(() -> CrossEntropy.forwardBackward(null, 0, l, 0, new int[] {0, 3}, 0, 2, 3, 1f), "targets: 3 at row 1 outside vocabulary of 3");
    assertMessage(() -> CrossEntropy.forwardBackward(null, 0, l, 0, new int[] {0}, 0, 2, 3, 1f), "targets: span [0, 2)");
    assertMessage(() -> CrossEntropy.forwardBackward(null, 0, l, 1, new int[] {0, 0}, 0, 2, 3, 1f), "logits:");
    assertMessage(() -> CrossEntropy.forwardBackward(new float[5], 0, l, 0, new int[] {0, 0}, 0, 2, 3, 1f), "dlogits:");
    assertMessage(() -> CrossEntropy.forwardBackward(null, 0, l, 0, null, 0, 2, 3, 1f), "targets is null");
    assertMessage(() -> CrossEntropy.forwardBackward(null, 0, l, 0, new int[] {0}, 0, -1, 3, 1f), "cross-entropy: negative shape");
  }
}
