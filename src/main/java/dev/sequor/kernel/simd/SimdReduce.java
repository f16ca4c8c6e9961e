package dev.sequor.kernel.simd;

import static dev.sequor.kernel.simd.VectorMath.F;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row reductions shared by the SIMD kernels. Each returns a scalar (no vector crosses the call).
 * Summation order: lane-wise partial sums over two interleaved accumulators, reduced at the end,
 * then the scalar tail in index order; deterministic for a given n (independent of offsets), but not
 * the sequential order of the reference twins, so results differ from them by rounding
 * (tests: {@code Tolerances.forSum}).
 */
final class SimdReduce {
  private SimdReduce() {}

  private static final int L = F.length();
  /** Doubles per vector, and the float species with as many lanes (half the width). */
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> FH =
      VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
  private static final int LD = D.length();

  /** max over a[off .. off+n) (−Inf for n = 0); NaN if any element is NaN. */
  static float max(float[] a, int off, int n) {
    int i = 0;
    float m = Float.NEGATIVE_INFINITY;
    if (n >= L) {
      FloatVector acc = FloatVector.fromArray(F, a, off);
      for (i = L; i <= n - L; i += L) acc = acc.max(FloatVector.fromArray(F, a, off + i));
      m = acc.reduceLanes(VectorOperators.MAX);
    }
    for (; i < n; i++) m = Math.max(m, a[off + i]);
    return m;
  }

  /** Σ a[off .. off+n) in float. */
  static float sum(float[] a, int off, int n) {
    FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
    int i = 0;
    for (; i <= n - 2 * L; i += 2 * L) {
      s0 = s0.add(FloatVector.fromArray(F, a, off + i));
      s1 = s1.add(FloatVector.fromArray(F, a, off + i + L));
    }
    if (i <= n - L) {
      s0 = s0.add(FloatVector.fromArray(F, a, off + i));
      i += L;
    }
    float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) s += a[off + i];
    return s;
  }

  /** Σ a·b over n elements, fused multiply-adds in float. */
  static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
    int i = 0;
    for (; i <= n - 2 * L; i += 2 * L) {
      s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
      s1 = FloatVector.fromArray(F, a, aOff + i + L).fma(FloatVector.fromArray(F, b, bOff + i + L), s1);
    }
    if (i <= n - L) {
      s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
      i += L;
    }
    float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
    return s;
  }

  /** Σ (a − mean)² over n elements (the two-pass variance numerator). */
  static float sumSquaredDeviation(float[] a, int off, int n, float mean) {
    FloatVector m = FloatVector.broadcast(F, mean);
    FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
    int i = 0;
    for (; i <= n - 2 * L; i += 2 * L) {
      FloatVector d0 = FloatVector.fromArray(F, a, off + i).sub(m);
      FloatVector d1 = FloatVector.fromArray(F, a, off + i + L).sub(m);
      s0 = d0.fma(d0, s0);
      s1 = d1.fma(d1, s1);
    }
    if (i <= n - L) {
      FloatVector d0 = FloatVector.fromArray(F, a, off + i).sub(m);
      s0 = d0.fma(d0, s0);
      i += L;
    }
    float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float d = a[off + i] - mean;
      s = Math.fma(d, d, s);
    }
    return s;
  }

  /** Σ a in double: each float widened exactly, summed in double lanes. */
  static double sumDouble(float[] a, int off, int n) {
    DoubleVector s = DoubleVector.zero(D);
    int i = 0;
    for (; i <= n - LD; i += LD)
      s = s.add(FloatVector.fromArray(FH, a, off + i).convertShape(VectorOperators.F2D, D, 0));
    double r = s.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) r += a[off + i];
    return r;
  }

  /** Σ a² in double; each square is exact in double, so only the additions round. */
  static double sumSquaresDouble(float[] a, int off, int n) {
    DoubleVector s = DoubleVector.zero(D);
    int i = 0;
    for (; i <= n - LD; i += LD) {
      DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, a, off + i).convertShape(VectorOperators.F2D, D, 0);
      s = v.fma(v, s);
    }
    double r = s.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) r = Math.fma((double) a[off + i], a[off + i], r);
    return r;
  }
}
