package dev.sequor.kernel;

import static dev.sequor.kernel.ActivationsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.kernel.ref.RefLayerNorm;
import dev.sequor.kernel.simd.SimdLayerNorm;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LayerNormTest {
  private static final float EPS = 1e-5f;

  @Test
  void forwardMatchesTheDoubleReferenceOnEverySize() {
    SplittableRandom rnd = new SplittableRandom(41);
    int[] cs = {1, 15, 16, 17, 33, 37, 53, 207, 768, 1024};
    for (int c : cs)
      for (boolean withBias : new boolean[] {true, false}) {
        int rows = 3;
        float[] x = Fixtures.gaussian(rnd, rows * c, 2), w = Fixtures.gaussian(rnd, c, 1), b = Fixtures.gaussian(rnd, c, 1);
        for (int i = 0; i < x.length; i++) x[i] += 3f; // a mean far from 0: the two-pass variance matters
        float[] out = new float[rows * c], mean = new float[rows], rstd = new float[rows];
        float[] outRef = new float[rows * c], meanRef = new float[rows], rstdRef = new float[rows];
        LayerNorm.forward(out, 0, mean, 0, rstd, 0, x, 0, w, 0, withBias ? b : null, 0, rows, c, EPS);
        RefLayerNorm.forward(outRef, 0, meanRef, 0, rstdRef, 0, x, 0, w, 0, withBias ? b : null, 0, rows, c, EPS);
        for (int r = 0; r < rows; r++) {
          double[] mr = new double[2];
          double[] exact = DoubleRef.layerNorm(DoubleRef.toDouble(x, r * c, c), DoubleRef.toDouble(w, 0, c),
              withBias ? DoubleRef.toDouble(b, 0, c) : null, EPS, mr);
          double tolStat = Tolerances.forSum(c) * 8;
          assertEquals(mr[0], mean[r], tolStat * 5, "mean C=" + c);
          assertEquals(mr[1], rstd[r], tolStat * mr[1], "rstd C=" + c);
          assertEquals(mean[r], meanRef[r], tolStat * 5);
          for (int i = 0; i < c; i++) {
            double tol = (tolStat + 8 * Tolerances.U) * (Math.abs(w[i]) * 4 + (withBias ? Math.abs(b[i]) : 0));
            assertEquals(exact[i], out[r * c + i], tol, "out C=" + c);
            assertEquals(exact[i], outRef[r * c + i], tol, "out ref C=" + c);
          }
        }
      }
  }

  @Test
  void inPlaceForward() {
    SplittableRandom rnd = new SplittableRandom(42);
    int rows = 2, c = 53;
    float[] x = Fixtures.gaussian(rnd, rows * c, 1), w = Fixtures.gaussian(rnd, c, 1), b = Fixtures.gaussian(rnd, c, 1);
    float[] expected = new float[rows * c], m = new float[rows], s = new float[rows];
    SimdLayerNorm.forward(expected, 0, m, 0, s, 0, x, 0, w, 0, b, 0, rows, c, EPS);
    LayerNorm.forward(x, 0, m, 0, s, 0, x, 0, w, 0, b, 0, rows, c, EPS);
    assertArrayEquals(expected, x);
  }

  /** dx, dweight, dbias against central differences of L = Σ g ⊙ layerNorm(x) in double. */
  @Test
  void backwardMatchesFiniteDifferences() {
    SplittableRandom rnd = new SplittableRandom(43);
    for (int c : new int[] {1, 17, 37, 64}) {
      int rows = 2;
      float[] x = Fixtures.gaussian(rnd, rows * c, 1.5), w = Fixtures.gaussian(rnd, c, 1), b = Fixtures.gaussian(rnd, c, 1);
      float[] g = Fixtures.gaussian(rnd, rows * c, 1);
      float[] out = new float[rows * c], mean = new float[rows], rstd = new float[rows];
      LayerNorm.forward(out, 0, mean, 0, rstd, 0, x, 0, w, 0, b, 0, rows, c, EPS);
      float[] dx = new float[rows * c], dw = new float[c], db = new float[c];
      float[] dxRef = new float[rows * c], dwRef = new float[c], dbRef = new float[c];
      LayerNorm.backward(dx, 0, dw, 0, db, 0, g, 0, x, 0, w, 0, mean, 0, rstd, 0, rows, c);
      RefLayerNorm.backward(dxRef, 0, dwRef, 0, dbRef, 0, g, 0, x, 0, w, 0, mean, 0, rstd, 0, rows, c);
      double[] wd = DoubleRef.toDouble(w, 0, c), bd = DoubleRef.toDouble(b, 0, c);
      double h = 1e-4;
      double scale = 0;
      for (float v : g) scale = Math.max(scale, Math.abs(v));
      scale *= c; // a gradient is a sum of up to C terms of size |g|·|w|·rstd
      for (int r = 0; r < rows; r++) {
        double[] xr = DoubleRef.toDouble(x, r * c, c), gr = DoubleRef.toDouble(g, r * c, c);
        for (int i = 0; i < c; i++) {
          double[] xp = xr.clone(), xm = xr.clone();
          xp[i] += h;
          xm[i] -= h;
          double fd = (DoubleRef.dot(gr, DoubleRef.layerNorm(xp, wd, bd, EPS, null)) - DoubleRef.dot(gr, DoubleRef.layerNorm(xm, wd, bd, EPS, null))) / (2 * h);
          assertEquals(fd, dx[r * c + i], Tolerances.gradient(scale), "dx C=" + c);
          assertEquals(dxRef[r * c + i], dx[r * c + i], 1e-5 * scale, "dx simd vs ref");
        }
      }
      for (int i = 0; i < c; i++) {
        double fdw = 0, fdb = 0;
        for (int r = 0; r < rows; r++) {
          double[] xr = DoubleRef.toDouble(x, r * c, c), gr = DoubleRef.toDouble(g, r * c, c);
          double[] wp = wd.clone(), wm = wd.clone(), bp = bd.clone(), bm = bd.clone();
          wp[i] += h;
          wm[i] -= h;
          bp[i] += h;
          bm[i] -= h;
          fdw += (DoubleRef.dot(gr, DoubleRef.layerNorm(xr, wp, bd, EPS, null)) - DoubleRef.dot(gr, DoubleRef.layerNorm(xr, wm, bd, EPS, null))) / (2 * h);
          fdb += (DoubleRef.dot(gr, DoubleRef.layerNorm(xr, wd, bp, EPS, null)) - DoubleRef.dot(gr, DoubleRef.layerNorm(xr, wd, bm, EPS, null))) / (2 * h);
        }
        assertEquals(fdw, dw[i], Tolerances.gradient(rows * 4), "dweight C=" + c);
        assertEquals(fdb, db[i], Tolerances.gradient(rows * 4), "dbias C=" + c);
        assertEquals(dwRef[i], dw[i], 1e-5 * rows * 4);
        assertEquals(dbRef[i], db[i], 0f, "dbias adds the rows in order on both paths");
      }
    }
  }

  @Test
  void backwardAccumulatesAndDbiasMayBeNull() {
    SplittableRandom rnd = new SplittableRandom(44);
    int rows = 3, c = 33;
    float[] x = Fixtures.gaussian(rnd, rows * c, 1), w = Fixtures.gaussian(rnd, c, 1), g = Fixtures.gaussian(rnd, rows * c, 1);
    float[] out = new float[rows * c], mean = new float[rows], rstd = new float[rows];
    LayerNorm.forward(out, 0, mean, 0, rstd, 0, x, 0, w, 0, null, 0, rows, c, EPS);
    float[] dx1 = new float[rows * c], dw1 = new float[c];
    LayerNorm.backward(dx1, 0, dw1, 0, null, 0, g, 0, x, 0, w, 0, mean, 0, rstd, 0, rows, c);
    float[] dx2 = dx1.clone(), dw2 = dw1.clone();
    LayerNorm.backward(dx2, 0, dw2, 0, null, 0, g, 0, x, 0, w, 0, mean, 0, rstd, 0, rows, c);
    for (int i = 0; i < dx1.length; i++) assertEquals(2 * dx1[i], dx2[i], 1e-6 * (1 + Math.abs(dx1[i])));
    for (int i = 0; i < c; i++) assertEquals(2 * dw1[i], dw2[i], 1e-6 * (1 + Math.abs(dw1[i])));
  }

  @Test
  void badArgumentsNameTheOperand() {
    float[] a = new float[12], m = new float[3], w = new float[4];
    assertMessage(() -> LayerNorm.forward(a, 0, m, 0, m, 0, a, 1, w, 0, null, 0, 3, 4, EPS), "x:");
    assertMessage(() -> LayerNorm.forward(a, 0, m, 1, m, 0, a, 0, w, 0, null, 0, 3, 4, EPS), "mean:");
    assertMessage(() -> LayerNorm.forward(a, 0, m, 0, m, 0, a, 0, new float[3], 0, null, 0, 3, 4, EPS), "weight:");
    assertMessage(() -> LayerNorm.forward(a, 0, m, 0, m, 0, a, 0, w, 0, new float[2], 0, 3, 4, EPS), "bias:");
    assertMessage(() -> LayerNorm.forward(a, 0, m, 0, m, 0, a, 0, w, 0, null, 0, 3, 0, EPS), "layer norm: need rows >= 0 and C >= 1");
    assertMessage(() -> LayerNorm.forward(a, 0, m, 0, m, 0, a, 0, w, 0, null, 0, 3, 4, -1f), "layer norm: eps");
    assertMessage(() -> LayerNorm.backward(a, 0, w, 0, null, 0, a, 0, a, 0, w, 0, m, 0, new float[2], 0, 3, 4), "rstd:");
    assertMessage(() -> LayerNorm.backward(a, 0, new float[3], 0, null, 0, a, 0, a, 0, w, 0, m, 0, m, 0, 3, 4), "dweight:");
    assertMessage(() -> LayerNorm.backward(new float[11], 0, w, 0, null, 0, a, 0, a, 0, w, 0, m, 0, m, 0, 3, 4), "dx:");
  }
}
