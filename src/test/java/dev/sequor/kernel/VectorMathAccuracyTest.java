package dev.sequor.kernel;

import static dev.sequor.kernel.Tolerances.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.kernel.ref.DoubleMath;
import dev.sequor.kernel.ref.ScalarMath;
import dev.sequor.kernel.simd.SimdActivations;
import dev.sequor.kernel.simd.VectorMath;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The float approximations of {@link VectorMath} / {@link ScalarMath} against double-precision
 * references over the whole float range: a sampled sweep of all 2^32 bit patterns plus dense sweeps
 * around every threshold. Checks at each input: SIMD lane == scalar twin (bit for bit), the error
 * bound in ulps, NaN exactly for NaN input, and no denormal output for a normal input.
 */
class VectorMathAccuracyTest {
  /** The functions under test: SIMD array form, scalar twin, double reference, bound in ulps. */
  enum Fn {
    EXP(SimdActivations::exp, ScalarMath::exp, DoubleMath::exp, EXP_SIGMOID_TANH_ULPS),
    EXP_BOUNDED(VectorMathAccuracyTest::expBoundedSimd, ScalarMath::expBounded, DoubleMath::exp, EXP_SIGMOID_TANH_ULPS),
    SIGMOID(SimdActivations::sigmoid, ScalarMath::sigmoid, DoubleMath::sigmoid, EXP_SIGMOID_TANH_ULPS),
    TANH(SimdActivations::tanh, ScalarMath::tanh, DoubleMath::tanh, EXP_SIGMOID_TANH_ULPS),
    ERF(VectorMathAccuracyTest::erfSimd, ScalarMath::erf, DoubleMath::erf, ERF_ULPS),
    GELU(SimdActivations::gelu, ScalarMath::gelu, DoubleMath::gelu, GELU_ULPS),
    GELU_GRAD(VectorMathAccuracyTest::geluGradSimd, ScalarMath::geluGrad, DoubleMath::geluGrad, GELU_GRAD_ULPS);

    final ArrayOp simd;
    final UnaryOperator<Float> scalar;
    final DoubleUnaryOperator ref;
    final double maxUlps;

    Fn(ArrayOp simd, UnaryOperator<Float> scalar, DoubleUnaryOperator ref, double maxUlps) {
      this.simd = simd;
      this.scalar = scalar;
      this.ref = ref;
      this.maxUlps = maxUlps;
    }

    /** Inputs where the bound is not claimed: expBounded above its range; GELU' where it is below 1e-36. */
    boolean outOfScope(float x) {
      return switch (this) {
        case EXP_BOUNDED -> !(x <= VectorMath.EXP_BOUNDED_MAX);
        case GELU_GRAD -> x < -13f; // |GELU'| < 2e-36 there: checked in specialValues
        default -> false;
      };
    }

    /**
     * The error in ulps. GELU' = Φ(x) + x·φ(x) is a difference that crosses zero (at x ≈ −0.75), where
     * no float evaluation has a small relative error: its error is measured in ulps of the larger
     * term, Φ(x) + |x|·φ(x) (math/gelu.md (13)).
     */
    double error(float x, float y) {
      double ref = this.ref.applyAsDouble(x);
      if (this != GELU_GRAD || !Float.isFinite(x)) return ulps(y, ref);
      double scale = DoubleMath.normalCdf(x) + Math.abs(x) * Math.exp(-0.5 * (double) x * x) / Math.sqrt(2 * Math.PI);
      if (Math.abs(ref) >= scale) return ulps(y, ref);
      return Math.abs(y - ref) / Math.scalb(1.0, Math.getExponent(scale) - 23);
    }
  }

  interface ArrayOp { void apply(float[] out, int outOff, float[] x, int xOff, int n); }

  static void expBoundedSimd(float[] out, int outOff, float[] x, int xOff, int n) {
    apply(VectorMath::expBounded, ScalarMath::expBounded, out, outOff, x, xOff, n);
  }

  static void erfSimd(float[] out, int outOff, float[] x, int xOff, int n) {
    apply(VectorMath::erf, ScalarMath::erf, out, outOff, x, xOff, n);
  }

  static void geluGradSimd(float[] out, int outOff, float[] x, int xOff, int n) {
    apply(VectorMath::geluGrad, ScalarMath::geluGrad, out, outOff, x, xOff, n);
  }

  private static void apply(UnaryOperator<FloatVector> v, UnaryOperator<Float> s, float[] out, int outOff, float[] x, int xOff, int n) {
    int i = 0, l = VectorMath.F.length();
    for (; i <= n - l; i += l) v.apply(FloatVector.fromArray(VectorMath.F, x, xOff + i)).intoArray(out, outOff + i);
    for (; i < n; i++) out[outOff + i] = s.apply(x[xOff + i]);
  }

  /** Checks every input of xs; returns the maximum error in ulps seen. */
  private static double check(Fn fn, float[] xs) {
    float[] ys = new float[xs.length];
    fn.simd.apply(ys, 0, xs, 0, xs.length);
    double worst = 0;
    for (int i = 0; i < xs.length; i++) {
      float x = xs[i], y = ys[i];
      float s = fn.scalar.apply(x);
      if (Float.floatToIntBits(s) != Float.floatToIntBits(y))
        fail(fn + "(" + x + "): SIMD " + y + " != scalar twin " + s);
      assertEquals(Float.isNaN(x), Float.isNaN(y), () -> fn + "(" + x + ") = " + y);
      if (fn.outOfScope(x)) continue;
      boolean denormal = y != 0 && Math.abs(y) < Float.MIN_NORMAL;
      if (denormal && !(Math.abs(x) < Float.MIN_NORMAL && (fn == Fn.TANH || fn == Fn.ERF)))
        fail(fn + "(" + x + ") = " + y + " is denormal");
      double e = fn.error(x, y);
      if (e > fn.maxUlps) fail(fn + "(" + x + " = " + Float.toHexString(x) + ") = " + y + ", exact " + fn.ref.applyAsDouble(x) + ": " + e + " ulp");
      worst = Math.max(worst, e);
    }
    return worst;
  }

  /** About a million bit patterns spread over all 2^32 (every float class: ±0, denormal, normal, Inf, NaN). */
  private static float[] bitSweep(int stride, int phase) {
    int n = (int) ((1L << 32) / stride);
    float[] xs = new float[n];
    for (int k = 0; k < n; k++) xs[k] = Float.intBitsToFloat((int) ((long) k * stride + phase));
    return xs;
  }

  /** Every float within count ulps above and below x. */
  private static float[] around(float x, int count) {
    float[] xs = new float[2 * count + 1];
    int b = Float.floatToRawIntBits(x);
    for (int k = -count; k <= count; k++) xs[k + count] = Float.intBitsToFloat(b + k);
    return xs;
  }

  /** Dense sweep of [lo, hi] with n evenly spaced floats. */
  private static float[] dense(float lo, float hi, int n) {
    float[] xs = new float[n];
    for (int k = 0; k < n; k++) xs[k] = lo + (hi - lo) * k / (n - 1);
    return xs;
  }

  @ParameterizedTest
  @EnumSource(Fn.class)
  void wholeFloatRange(Fn fn) {
    check(fn, bitSweep(4099, 7));
    check(fn, Fixtures.wideRange(new java.util.SplittableRandom(fn.ordinal()), 20_000));
  }

  @ParameterizedTest
  @EnumSource(Fn.class)
  void denseInTheInterestingRange(Fn fn) {
    check(fn, dense(-20f, 20f, 200_001));
    check(fn, dense(-1e-3f, 1e-3f, 20_001));
  }

  @ParameterizedTest
  @EnumSource(Fn.class)
  void aroundEveryThreshold(Fn fn) {
    float[] points = {0f, -0f, Float.MIN_NORMAL, -Float.MIN_NORMAL, VectorMath.EXP_MAX, VectorMath.EXP_CLAMP,
        -87.33654f, 87.33654f, 88.3762626f, 88.3f, -88.3f, 17.328f, -17.328f, VectorMath.TANH_CLAMP, -VectorMath.TANH_CLAMP,
        9.0109f, -9.0109f, VectorMath.TANH_TINY, -VectorMath.TANH_TINY, 0.173287f, -0.173287f, VectorMath.ERF_SMALL,
        -VectorMath.ERF_SMALL, 3.92f, -3.92f, VectorMath.GELU_CLAMP, -VectorMath.GELU_CLAMP, -13.08f, -13.2f, 5.4f,
        VectorMath.GELU_K, -VectorMath.GELU_K, 0.75f, -0.75f, (float) (0.875 * Math.sqrt(2)), (float) (-0.875 * Math.sqrt(2))};
    for (float p : points) check(fn, around(p, 3000));
  }

  @Test
  void specialValues() {
    float inf = Float.POSITIVE_INFINITY;
    assertEquals(1f, ScalarMath.exp(0f));
    assertEquals(1f, ScalarMath.exp(-0f));
    assertEquals(inf, ScalarMath.exp(inf));
    assertEquals(0f, ScalarMath.exp(-inf));
    assertEquals(inf, ScalarMath.exp(89f));
    assertEquals(0f, ScalarMath.exp(-88f));
    assertTrue(Float.isFinite(ScalarMath.exp(VectorMath.EXP_MAX)), "e^EXP_MAX is finite");
    assertEquals(inf, ScalarMath.exp(Math.nextUp(VectorMath.EXP_MAX)));
    assertEquals(inf, (float) Math.exp(Math.nextUp(VectorMath.EXP_MAX)), "EXP_MAX is the true float threshold");
    assertTrue(Float.isFinite((float) Math.exp(VectorMath.EXP_MAX)));

    assertEquals(0.5f, ScalarMath.sigmoid(0f));
    assertEquals(0.5f, ScalarMath.sigmoid(-0f));
    assertEquals(1f, ScalarMath.sigmoid(inf));
    assertEquals(0f, ScalarMath.sigmoid(-inf));
    assertEquals(1f, ScalarMath.sigmoid(17.4f));
    assertEquals(0f, ScalarMath.sigmoid(-87.4f));
    assertEquals(0f, ScalarMath.sigmoid(-1e30f));

    assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(ScalarMath.tanh(0f)));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(ScalarMath.tanh(-0f)), "tanh(-0) = -0");
    assertEquals(1f, ScalarMath.tanh(inf));
    assertEquals(-1f, ScalarMath.tanh(-inf));
    assertEquals(1f, ScalarMath.tanh(9.02f));
    assertEquals(-1f, ScalarMath.tanh(-9.02f));
    assertEquals(1e-30f, ScalarMath.tanh(1e-30f));
    assertEquals(-1e-30f, ScalarMath.tanh(-1e-30f));

    assertEquals(inf, ScalarMath.gelu(inf));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(ScalarMath.gelu(-inf)), "gelu(-inf) = -0, the limit");
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(ScalarMath.gelu(-0f)));
    assertEquals(1e30f, ScalarMath.gelu(1e30f));
    assertEquals(1f, ScalarMath.geluGrad(inf));
    assertEquals(0f, ScalarMath.geluGrad(-inf));
    assertEquals(0.5f, ScalarMath.geluGrad(0f));
    for (float x = -13f; x > -30f; x -= 0.01f) assertTrue(Math.abs(ScalarMath.geluGrad(x)) <= 2e-36f, "gelu'(" + x + ")");

    assertEquals(1f, ScalarMath.erf(inf));
    assertEquals(-1f, ScalarMath.erf(-inf));
    assertEquals(1f, ScalarMath.erf(4f));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(ScalarMath.erf(-0f)));

    for (Fn fn : Fn.values()) assertTrue(Float.isNaN(fn.scalar.apply(Float.NaN)), fn + "(NaN)");
  }

  /** The double references themselves, against tabulated values (Abramowitz & Stegun; mpmath, 20 digits). */
  @Test
  void doubleReferencesMatchTabulatedValues() {
    assertEquals(0.8427007929497148693, DoubleMath.erf(1), 1e-15);
    assertEquals(-0.8427007929497148693, DoubleMath.erf(-1), 1e-15);
    assertEquals(0.15729920705028513066, DoubleMath.erfc(1), 1e-15 * 0.157);
    assertEquals(0.0046777349810472658379, DoubleMath.erfc(2), 1e-14 * 0.0047);
    assertEquals(2.2090496998585441373e-05, DoubleMath.erfc(3), 1e-14 * 2.2e-5);
    assertEquals(1.5374597944280348502e-12, DoubleMath.erfc(5), 1e-14 * 1.5e-12);
    assertEquals(2.0884875837625447570e-45, DoubleMath.erfc(10), 1e-14 * 2.1e-45);
    assertEquals(1.9999999999984625402, DoubleMath.erfc(-5), 1e-15);
    assertEquals(0.5, DoubleMath.normalCdf(0), 0);
    assertEquals(0.8413447460685429486, DoubleMath.normalCdf(1), 1e-15);
    assertEquals(7.6198530241605260659e-24, DoubleMath.normalCdf(-10), 1e-14 * 7.6e-24);
    assertEquals(0.8413447460685429486 + 0.24197072451914334980, DoubleMath.geluGrad(1), 1e-15);
  }

  @Test
  void ulpErrorMeasure() {
    assertEquals(0, ulps(1f, 1.0));
    assertEquals(1, ulps(Math.nextUp(1f), 1.0), 1e-12);
    assertEquals(0.5, ulps(1f, 1.0 + 0x1p-24), 1e-12);
    assertEquals(0, ulps(0f, 1e-40), "flushing a denormal result to zero is allowed");
    assertEquals(Double.POSITIVE_INFINITY, ulps(Float.NaN, 1.0));
    assertEquals(0, ulps(Float.POSITIVE_INFINITY, 3.5e38), "a result beyond float's range rounds to Inf");
  }
}
