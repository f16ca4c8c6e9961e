package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.*;

import net.jqwik.api.*;
import net.jqwik.api.constraints.*;

class SoftmaxProperties {
  @Provide
  Arbitrary<float[]> rows() {
    return Arbitraries.integers().between(1, 300).flatMap(n ->
        Arbitraries.floats().between(-30f, 30f).array(float[].class).ofSize(n));
  }

  @Property(tries = 300)
  void rowsSumToOne(@ForAll("rows") float[] x) {
    float[] y = new float[x.length];
    Softmax.rows(y, 0, x, 0, 1, x.length);
    double sum = 0;
    for (float v : y) {
      assertTrue(v >= 0f && v <= 1f);
      sum += v;
    }
    assertEquals(1.0, sum, Tolerances.forSum(x.length) + 8 * Tolerances.U);
  }

  /**
   * softmax(x + c) = softmax(x). Adding c in float rounds each x_i by up to ulp(|x_i| + |c|)/2, which
   * moves each probability by that much relatively: the tolerance.
   */
  @Property(tries = 300)
  void shiftInvariant(@ForAll("rows") float[] x, @ForAll @FloatRange(min = -50f, max = 50f) float c) {
    float[] shifted = new float[x.length], a = new float[x.length], b = new float[x.length];
    for (int i = 0; i < x.length; i++) shifted[i] = x[i] + c;
    Softmax.rows(a, 0, x, 0, 1, x.length);
    Softmax.rows(b, 0, shifted, 0, 1, x.length);
    double inputRounding = Math.ulp(80f);
    for (int i = 0; i < x.length; i++)
      assertEquals(a[i], b[i], (2 * inputRounding + Tolerances.forSum(x.length) + 16 * Tolerances.U) * Math.max(a[i], b[i]) + 1e-30);
  }
}
