package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import net.jqwik.api.*;

class LayerNormProperties {
  @Provide
  Arbitrary<float[]> rows() {
    return Arbitraries.integers().between(2, 300).flatMap(n ->
        Arbitraries.floats().between(-100f, 100f).array(float[].class).ofSize(n))
        .filter(x -> variance(x) > 1e-2);
  }

  private static double variance(float[] x) {
    double m = 0, v = 0;
    for (float f : x) m += f;
    m /= x.length;
    for (float f : x) v += (f - m) * (f - m);
    return v / x.length;
  }

  /**
   * Before the affine part (weight 1, bias 0) each row has mean 0 and biased variance
   * var/(var + eps) = 1 − eps/var: within float round-off of the row sums.
   */
  @Property(tries = 300)
  void normalisedRowsHaveMeanZeroAndVarianceOne(@ForAll("rows") float[] x) {
    int c = x.length;
    float eps = 1e-5f;
    float[] w = new float[c], out = new float[c], mean = new float[1], rstd = new float[1];
    Arrays.fill(w, 1f);
    LayerNorm.forward(out, 0, mean, 0, rstd, 0, x, 0, w, 0, null, 0, 1, c, eps);
    double m = 0, v = 0;
    for (float f : out) m += f;
    m /= c;
    for (float f : out) v += (f - m) * (f - m);
    v /= c;
    double tol = 64 * Tolerances.forSum(c);
    assertEquals(0, m, tol, "mean");
    assertEquals(1 - eps / variance(x), v, tol, "variance");
  }
}
