package dev.sequor.kernel.simd;

import static dev.sequor.kernel.simd.VectorMath.F;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row reductions shared by the SIMD kernels. Each returns a scalar (no vector crosses the call).
 *
 * <p><b>Summation order</b> (here and in every SIMD kernel that sums a row): lane-wise partial sums
 * (two interleaved accumulators where noted, then added lane by lane), then the lanes of the
 * accumulator v added in a fixed pairwise order — {@code v += v rotated by L/2 lanes}, then by
 * {@code L/4}, …, {@code 1}, result in lane 0 — then the scalar tail in index order. It depends only on n (not on
 * offsets, alignment or the JIT tier), so a row gives the same bits wherever and whenever it is
 * reduced; it is not the sequential order of the reference twins, which differ by rounding (tests:
 * {@code Tolerances.forSum}). Not {@code reduceLanes(ADD)}: its order is unspecified for floats and
 * differs in practice between the interpreter (lane by lane) and C2 (a tree), which made a kernel's
 * bits depend on whether it had been compiled yet and broke bit-identical KV-cached decoding
 * ({@code DeterminismTest}). Reductions that run once per call or per row use {@link #sumLanes}; the
 * fused softmax and layer-norm loops write the lane sum out instead, because a helper taking a vector
 * is not always inlined (VectorMath's class comment) and then allocates. The
 * rotations are {@code static final} shuffles: {@code slice} would cost ten times the JIT's nodes.
 */
final class SimdReduce {
  private SimdReduce() {}

  private static final int L = F.length();
  /** Doubles per vector, and the float species with as many lanes (half the width). */
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> FH =
      VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
  private static final int LD = D.length();

  /** Lane rotations by 1, 2, 4, … lanes (i -> i + k mod lanes) for the fixed-order lane sums. */
  static final VectorShuffle<Float> R1 = rotation(F, 1), R2 = rotation(F, 2), R4 = rotation(F, 4),
      R8 = rotation(F, 8), R16 = rotation(F, 16), R32 = rotation(F, 32);
  static final VectorShuffle<Double> RD1 = rotation(D, 1), RD2 = rotation(D, 2), RD4 = rotation(D, 4),
      RD8 = rotation(D, 8), RD16 = rotation(D, 16), RD32 = rotation(D, 32);

  private static <E> VectorShuffle<E> rotation(VectorSpecies<E> s, int k) {
    int n = s.length();
    return VectorShuffle.fromOp(s, i -> (i + k) % n);
  }

  /**
   * The lanes of v added in the fixed rotation order above. Not {@code reduceLanes(ADD)}: its float
   * order differs between the interpreter and C2, so a result's bits would depend on the JIT tier.
   * For once-per-row use (not inside a column loop): a call that is not inlined then costs nothing
   * measurable.
   */
  static float sumLanes(FloatVector v) {
    if (L >= 64) v = v.add(v.rearrange(R32));
    if (L >= 32) v = v.add(v.rearrange(R16));
    if (L >= 16) v = v.add(v.rearrange(R8));
    if (L >= 8) v = v.add(v.rearrange(R4));
    if (L >= 4) v = v.add(v.rearrange(R2));
    if (L >= 2) v = v.add(v.rearrange(R1));
    return v.lane(0);
  }

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
    float s = sumLanes(s0.add(s1));
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
    float s = sumLanes(s0.add(s1));
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
    float s = sumLanes(s0.add(s1));
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
    if (LD >= 64) s = s.add(s.rearrange(RD32)); // the fixed lane order of SimdReduce
    if (LD >= 32) s = s.add(s.rearrange(RD16));
    if (LD >= 16) s = s.add(s.rearrange(RD8));
    if (LD >= 8) s = s.add(s.rearrange(RD4));
    if (LD >= 4) s = s.add(s.rearrange(RD2));
    if (LD >= 2) s = s.add(s.rearrange(RD1));
    double r = s.lane(0);
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
    if (LD >= 64) s = s.add(s.rearrange(RD32)); // the fixed lane order of SimdReduce
    if (LD >= 32) s = s.add(s.rearrange(RD16));
    if (LD >= 16) s = s.add(s.rearrange(RD8));
    if (LD >= 8) s = s.add(s.rearrange(RD4));
    if (LD >= 4) s = s.add(s.rearrange(RD2));
    if (LD >= 2) s = s.add(s.rearrange(RD1));
    double r = s.lane(0);
    for (; i < n; i++) r = Math.fma((double) a[off + i], a[off + i], r);
    return r;
  }
}
