package dev.sequor.kernel;

import static dev.sequor.kernel.ActivationsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.kernel.ref.RefVec;
import dev.sequor.kernel.simd.SimdVec;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VecTest {
  @Test
  void elementWiseOpsEqualTheReferenceBitForBit() {
    SplittableRandom rnd = new SplittableRandom(51);
    for (int n : Fixtures.sizes()) {
      float[] x = Fixtures.gaussian(rnd, n + 3, 1), y = Fixtures.gaussian(rnd, n + 3, 1);
      float[] a = y.clone(), b = y.clone();
      SimdVec.axpy(a, 3, 0.37f, x, 0, n);
      RefVec.axpy(b, 3, 0.37f, x, 0, n);
      assertArrayEquals(b, a, "axpy " + n);
      Vec.axpy(y, 3, 0.37f, x, 0, n);
      assertArrayEquals(b, y, "axpy facade " + n);
      SimdVec.scale(a, 1, -1.5f, n);
      RefVec.scale(b, 1, -1.5f, n);
      assertArrayEquals(b, a, "scale " + n);
      float[] o1 = new float[n + 3], o2 = new float[n + 3];
      SimdVec.add(o1, 2, x, 3, a, 0, n);
      RefVec.add(o2, 2, x, 3, a, 0, n);
      assertArrayEquals(o2, o1, "add " + n);
      Vec.add(a, 0, a, 0, x, 0, n);
      RefVec.add(b, 0, b, 0, x, 0, n);
      assertArrayEquals(b, a, "add in place " + n);
    }
  }

  @Test
  void rowBiasAndItsBackwardOnStridedMatrices() {
    SplittableRandom rnd = new SplittableRandom(52);
    int rows = 5, cols = 37, ld = 41;
    float[] m = Fixtures.gaussian(rnd, 2 + (rows - 1) * ld + cols, 1), bias = Fixtures.gaussian(rnd, cols + 1, 1);
    float[] a = m.clone(), b = m.clone();
    Vec.addRowBias(a, 2, ld, bias, 1, rows, cols);
    RefVec.addRowBias(b, 2, ld, bias, 1, rows, cols);
    assertArrayEquals(b, a);
    for (int r = 0; r < rows - 1; r++) assertEquals(m[2 + r * ld + cols], a[2 + r * ld + cols], "gap untouched");
    float[] d1 = Fixtures.gaussian(rnd, cols, 1), d2 = d1.clone();
    Vec.sumRows(d1, 0, m, 2, ld, rows, cols);
    RefVec.sumRows(d2, 0, m, 2, ld, rows, cols);
    assertArrayEquals(d2, d1, "sumRows adds the rows in order on both paths");
  }

  @Test
  void reductionsAgainstExactSums() {
    SplittableRandom rnd = new SplittableRandom(53);
    for (int n : new int[] {0, 1, 7, 15, 16, 17, 33, 207, 1024, 100_003}) {
      float[] x = Fixtures.gaussian(rnd, n, 3), y = Fixtures.gaussian(rnd, n, 3);
      BigDecimal sum = BigDecimal.ZERO, sq = BigDecimal.ZERO, dot = BigDecimal.ZERO;
      double abs = 0, absDot = 0;
      for (int i = 0; i < n; i++) {
        sum = sum.add(new BigDecimal(x[i]));
        sq = sq.add(new BigDecimal(x[i]).multiply(new BigDecimal(x[i])));
        dot = dot.add(new BigDecimal(x[i]).multiply(new BigDecimal(y[i])));
        abs += Math.abs(x[i]);
        absDot += Math.abs((double) x[i] * y[i]);
      }
      double doubleTol = (n + 2) * 0x1p-53;
      assertEquals(sum.doubleValue(), Vec.sum(x, 0, n), doubleTol * abs, "sum " + n);
      assertEquals(sum.doubleValue(), RefVec.sum(x, 0, n), doubleTol * abs);
      assertEquals(sq.doubleValue(), Vec.sumSquares(x, 0, n), doubleTol * sq.doubleValue());
      assertEquals(sq.doubleValue(), RefVec.sumSquares(x, 0, n), doubleTol * sq.doubleValue());
      assertEquals(dot.doubleValue(), Vec.dot(x, 0, y, 0, n), Tolerances.forSum(n) * absDot, "dot " + n);
      assertEquals(dot.doubleValue(), RefVec.dot(x, 0, y, 0, n), Tolerances.forSum(n) * absDot);
    }
  }

  @Test
  void badArgumentsNameTheOperand() {
    float[] a = new float[10];
    assertMessage(() -> Vec.axpy(a, 0, 1f, new float[3], 0, 4), "x:");
    assertMessage(() -> Vec.axpy(a, 8, 1f, a, 0, 4), "y:");
    assertMessage(() -> Vec.scale(a, 0, 1f, -1), "n must be >= 0");
    assertMessage(() -> Vec.add(a, 0, a, 0, null, 0, 4), "b is null");
    assertMessage(() -> Vec.addRowBias(a, 0, 2, a, 0, 3, 3), "out: leading dimension 2 < columns 3");
    assertMessage(() -> Vec.addRowBias(new float[12], 0, 4, new float[2], 0, 3, 3), "bias:");
    assertMessage(() -> Vec.sumRows(a, 0, a, 0, 4, 3, 4), "dy: (3, 4) with ld 4 at offset 0 needs 12 elements, array has 10");
    assertMessage(() -> Vec.sum(a, 11, 0), "x:");
    assertMessage(() -> Vec.dot(a, 0, a, 5, 6), "b:");
    assertMessage(() -> Vec.sumSquares(a, -1, 2), "x:");
  }
}
