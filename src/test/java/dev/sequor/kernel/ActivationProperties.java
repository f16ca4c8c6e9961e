package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.kernel.ref.ScalarMath;
import net.jqwik.api.*;

/**
 * Properties of σ and tanh on arbitrary floats, on the SIMD path (a vector of the same input in every
 * lane; the lanes equal the scalar twin bit for bit, see {@link VectorMathAccuracyTest}).
 */
class ActivationProperties {
  private static final int L = Fixtures.L;

  private static float simd(String f, float x) {
    float[] in = new float[L], out = new float[L];
    java.util.Arrays.fill(in, x);
    if (f.equals("sigmoid")) Activations.sigmoid(out, 0, in, 0, L);
    else Activations.tanh(out, 0, in, 0, L);
    return out[L - 1];
  }

  @Provide
  Arbitrary<Float> anyFloat() {
    return Arbitraries.oneOf(Arbitraries.floats(), Arbitraries.floats().between(-20f, 20f),
        Arbitraries.of(0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 88f, -88f, 17.33f, -87.34f));
  }

  @Property(tries = 2000)
  void sigmoidIsAProbability(@ForAll("anyFloat") float x) {
    float y = simd("sigmoid", x);
    assertTrue(y >= 0f && y <= 1f, () -> "σ(" + x + ") = " + y);
  }

  /** σ(−x) = 1 − σ(x), within a few roundings at the scale of 1 (the difference is not exact in float). */
  @Property(tries = 2000)
  void sigmoidSymmetry(@ForAll("anyFloat") float x) {
    double d = (double) simd("sigmoid", -x) - (1.0 - simd("sigmoid", x));
    assertEquals(0, d, 4 * Tolerances.U, () -> "σ(−" + x + ") − (1 − σ(" + x + "))");
  }

  @Property(tries = 2000)
  void tanhIsOddAndBounded(@ForAll("anyFloat") float x) {
    float y = simd("tanh", x), z = simd("tanh", -x);
    assertTrue(Math.abs(y) <= 1f, () -> "tanh(" + x + ") = " + y);
    assertEquals(-y, z, () -> "tanh(−" + x + ") = −tanh(" + x + ") exactly");
    assertEquals(Math.copySign(1f, x), Math.copySign(1f, y), "sign");
  }

  /**
   * tanh is monotone to within 1 ulp: an approximation with errors of ~2 ulp is not exactly monotone
   * between neighbouring floats (measured over every float in [−20, 20]: 0.035% of neighbouring pairs
   * step down by exactly 1 ulp; math/activations.md (16)). σ is exactly monotone there.
   */
  @Property(tries = 2000)
  void tanhAndSigmoidMonotone(@ForAll("anyFloat") float x, @ForAll("anyFloat") float y) {
    float lo = Math.min(x, y), hi = Math.max(x, y);
    float tlo = simd("tanh", lo), thi = simd("tanh", hi);
    assertTrue(tlo <= thi + Math.ulp(thi), () -> "tanh(" + lo + ") = " + tlo + " > tanh(" + hi + ") = " + thi);
    assertTrue(simd("sigmoid", lo) <= simd("sigmoid", hi), () -> "σ(" + lo + ") > σ(" + hi + ")");
  }

  /** The same between neighbouring floats, where a polynomial approximation could wobble. */
  @Property(tries = 2000)
  void tanhAndSigmoidMonotoneBetweenNeighbours(@ForAll("anyFloat") float x) {
    Assume.that(Float.isFinite(x) && x != Float.MAX_VALUE);
    float up = Math.nextUp(x);
    assertTrue(ScalarMath.tanh(x) <= ScalarMath.tanh(up) + Math.ulp(ScalarMath.tanh(up)), () -> "tanh at " + x);
    assertTrue(ScalarMath.sigmoid(x) <= ScalarMath.sigmoid(up), () -> "σ not monotone at " + x);
  }
}
