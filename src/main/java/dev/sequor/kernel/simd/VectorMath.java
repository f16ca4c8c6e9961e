package dev.sequor.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector transcendental functions for use inside fused SIMD loops: exp, sigmoid, tanh, erf, GELU and
 * GELU's derivative on a {@link FloatVector} of species {@link #F}. Twins of
 * {@link dev.sequor.kernel.ref.ScalarMath}: each method performs the same IEEE operations in the same
 * order as its scalar twin, so the two agree bit for bit lane by lane (tested), and a scalar tail or
 * a reference run gives exactly the SIMD result.
 *
 * <p>The algorithms, constants and error bounds are derived in {@code math/activations.md} (exp,
 * sigmoid, tanh) and {@code math/gelu.md} (erf, GELU); the polynomial coefficients come from
 * {@code math/fit_coefficients.py}. Measured maximum errors against a double-precision reference:
 * see those files and {@code bench sigmoid tanh exp gelu}.
 *
 * <p>Common contract: NaN in gives NaN out; a finite input never gives NaN; no output is denormal
 * unless the input itself is (tanh and erf of a denormal return about the input), results that would
 * be denormal are flushed to a zero of the right sign.
 *
 * <p>Each method is small and static so that the JIT inlines it into the caller's loop: vectors never
 * cross a real call and nothing is allocated. Constants are broadcast inside the methods; the JIT
 * hoists the broadcasts out of the caller's loop.
 */
public final class VectorMath {
  /** The species every kernel in the engine uses (16 float lanes on AVX-512). */
  public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  @SuppressWarnings("unchecked")
  private static final VectorSpecies<Integer> I =
      (VectorSpecies<Integer>) VectorSpecies.of(int.class, F.vectorShape());

  private VectorMath() {}

  // ---- constants shared with ScalarMath (math/activations.md, math/gelu.md) ----

  /** float(log2 e). */
  public static final float LOG2E = 0x1.715476p+0f;
  /** ln 2 = LN2_HI + LN2_LO; LN2_HI has 10 trailing zero bits so n·LN2_HI is exact for |n| < 2^10. */
  public static final float LN2_HI = 0x1.62e4p-1f;
  public static final float LN2_LO = 0x1.7f7d1cp-20f;
  /**
   * 1.5·2^23 + 127: adding it to y (|y| < 2^22) rounds y to an integer n and leaves n + 127, the
   * biased exponent of 2^n, in the low mantissa bits (math/activations.md (4)).
   */
  public static final float MAGIC_BIASED = 0x1.8000fep23f;
  /** MAGIC_BIASED + 128: the value of the magic sum when n = 128 (the one n whose 2^n overflows). */
  static final float MAGIC_N128 = MAGIC_BIASED + 128f;
  /** Arguments below this give n ≤ −127 in the reduction: 2^n is then built as 0 (result flushed). */
  public static final float EXP_CLAMP = -88f;
  /** The largest float x whose e^x is finite in float; e^x for larger x is +Inf. */
  public static final float EXP_MAX = 0x1.62e42ep6f; // 88.72283
  /** Smallest normal float: results below it are flushed to zero. */
  public static final float MIN_NORMAL = Float.MIN_NORMAL;

  /** expm1(t) ≈ t + t²·(Q0 + Q1 t + Q2 t² + Q3 t³ + Q4 t⁴) for |t| ≤ ln2/2: math/activations.md (5). */
  public static final float Q0 = 0x1.fffffep-2f;
  public static final float Q1 = 0x1.5554bp-3f;
  public static final float Q2 = 0x1.5556c2p-5f;
  public static final float Q3 = 0x1.122878p-7f;
  public static final float Q4 = 0x1.6bed6ap-10f;

  /** |x| above which tanh(x) rounds to ±1 in float: 13·ln2, math/activations.md (13). */
  public static final float TANH_SAT = 0x1.205966p3f; // 9.0109133

  /** erf(t) = t·E(t²) for |t| ≤ ERF_SMALL: math/gelu.md (8). */
  public static final float ERF_SMALL = 0.875f;
  public static final float E0 = 0x1.20dd74p+0f;
  public static final float E1 = -0x1.812704p-2f;
  public static final float E2 = 0x1.ce2122p-4f;
  public static final float E3 = -0x1.b6f37ep-6f;
  public static final float E4 = 0x1.49c9fep-8f;
  public static final float E5 = -0x1.453aaep-11f;
  /** |t| above which erf(t) rounds to ±1 in float. */
  public static final float ERF_SAT = 4f;

  /**
   * Mills-ratio fit m(a) = (1 − Φ(a))·e^{a²/2} = G(u)/(a + K), u = (a − K)/(a + K), a ∈ [0, 13.5]:
   * math/gelu.md (4)–(6).
   */
  public static final float GELU_K = 3f;
  public static final float G0 = 0x1.754a74p-1f;
  public static final float G1 = -0x1.04c72ep-1f;
  public static final float G2 = 0x1.d713a6p-3f;
  public static final float G3 = -0x1.832474p-5f;
  public static final float G4 = -0x1.56e51ap-7f;
  public static final float G5 = 0x1.c6c44ap-8f;
  public static final float G6 = 0x1.0caee8p-10f;
  public static final float G7 = -0x1.f036acp-11f;
  public static final float G8 = -0x1.c14808p-13f;
  public static final float G9 = 0x1.81cfbep-15f;
  /** |x| above which gelu(x) is x (x > 0) or −0 (x < 0, the true value being below MIN_NORMAL). */
  public static final float GELU_SAT = 13.5f;
  /** 1/√(2π). */
  public static final float INV_SQRT_2PI = 0x1.988454p-2f;
  /** √2. */
  public static final float SQRT2 = 0x1.6a09e6p+0f;

  // ---- exp ----

  /**
   * e^x over the whole float range: +Inf above {@link #EXP_MAX}, exactly 0 where e^x is below the
   * smallest normal float (x < −87.34). math/activations.md (1)–(7).
   */
  public static FloatVector exp(FloatVector x) {
    FloatVector xc = x.blend(EXP_CLAMP, x.lt(EXP_CLAMP));
    FloatVector nm = xc.fma(LOG2E, MAGIC_BIASED);
    FloatVector n = nm.sub(MAGIC_BIASED);
    // n = 128 is the one case whose 2^n is not a normal float: scale by 2^127, then by 2 (7)
    VectorMask<Float> top = nm.eq(MAGIC_N128);
    FloatVector s = pow2(nm.sub(1f, top));
    FloatVector t = n.fma(FloatVector.broadcast(F, -LN2_HI), xc);
    t = n.fma(FloatVector.broadcast(F, -LN2_LO), t);
    FloatVector y = s.fma(expm1Reduced(t), s);
    y = y.lanewise(VectorOperators.MUL, 2f, top);
    y = y.blend(0f, y.lt(MIN_NORMAL));
    return y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
  }

  /**
   * e^x for x ≤ 88.37 (the softmax and sigmoid arguments, which are ≤ 0): bit-identical to
   * {@link #exp} there, a few operations cheaper. Larger x gives garbage.
   */
  public static FloatVector expBounded(FloatVector x) {
    FloatVector xc = x.blend(EXP_CLAMP, x.lt(EXP_CLAMP));
    FloatVector nm = xc.fma(LOG2E, MAGIC_BIASED);
    FloatVector n = nm.sub(MAGIC_BIASED);
    FloatVector s = pow2(nm);
    FloatVector t = n.fma(FloatVector.broadcast(F, -LN2_HI), xc);
    t = n.fma(FloatVector.broadcast(F, -LN2_LO), t);
    FloatVector y = s.fma(expm1Reduced(t), s);
    return y.blend(0f, y.lt(MIN_NORMAL));
  }

  /** 2^n from the magic sum nm = MAGIC_BIASED + n: its low mantissa bits hold n + 127 (4). */
  private static FloatVector pow2(FloatVector nm) {
    return nm.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
  }

  /** expm1(t) for |t| ≤ ln2/2 (5): t + t²·Q(t). */
  private static FloatVector expm1Reduced(FloatVector t) {
    FloatVector q = t.fma(Q4, Q3);
    q = q.fma(t, FloatVector.broadcast(F, Q2));
    q = q.fma(t, FloatVector.broadcast(F, Q1));
    q = q.fma(t, FloatVector.broadcast(F, Q0));
    return t.mul(t).fma(q, t);
  }

  // ---- sigmoid, tanh ----

  /**
   * σ(x) = 1/(1 + e^{−x}): computed as f = e/(1 + e), e = e^{−|x|}, and 1 − f for x > 0
   * (math/activations.md (9)–(10)); exactly 0 below x ≈ −87.34 and exactly 1 above x ≈ 17.3.
   */
  public static FloatVector sigmoid(FloatVector x) {
    FloatVector z = x.reinterpretAsInts().or(0x80000000).reinterpretAsFloats(); // −|x|
    FloatVector e = expBounded(z);
    FloatVector f = e.div(e.add(1f));
    return f.blend(FloatVector.broadcast(F, 1f).sub(f), x.compare(VectorOperators.GT, 0f));
  }

  /**
   * tanh x = sign(x)·expm1(2|x|)/(expm1(2|x|) + 2) (math/activations.md (11)–(13)); exactly ±1 for
   * |x| > {@link #TANH_SAT}, tanh(±0) = ±0.
   */
  public static FloatVector tanh(FloatVector x) {
    IntVector bits = x.reinterpretAsInts();
    FloatVector a = bits.and(0x7fffffff).reinterpretAsFloats();
    FloatVector z = a.add(a);
    FloatVector nm = z.fma(LOG2E, MAGIC_BIASED);
    FloatVector n = nm.sub(MAGIC_BIASED);
    FloatVector s = pow2(nm);
    FloatVector t = n.fma(FloatVector.broadcast(F, -LN2_HI), z);
    t = n.fma(FloatVector.broadcast(F, -LN2_LO), t);
    // expm1(z) = s·expm1(t) + (s − 1), s − 1 exact for the n ≤ 24 used here (12)
    FloatVector em1 = s.fma(expm1Reduced(t), s.sub(1f));
    FloatVector r = em1.div(em1.add(2f));
    r = r.blend(1f, a.compare(VectorOperators.GT, TANH_SAT));
    return r.reinterpretAsInts().or(bits.and(0x80000000)).reinterpretAsFloats();
  }

  // ---- erf, GELU ----

  /**
   * e^{−x²/2} without the error of rounding x² (math/gelu.md (7)): x² = hi + lo exactly,
   * e^{−hi/2}·(1 − lo/2). Valid for |x| up to about 13.5 (beyond, the caller saturates).
   */
  private static FloatVector expHalfSquareNeg(FloatVector x) {
    FloatVector hi = x.mul(x);
    FloatVector lo = x.fma(x, hi.neg());
    FloatVector e = expBounded(hi.mul(-0.5f));
    return lo.mul(-0.5f).fma(e, e);
  }

  /** m(a) = (1 − Φ(a))·e^{a²/2} for a ≥ 0 (math/gelu.md (4)–(6)). */
  private static FloatVector mills(FloatVector a) {
    FloatVector r = FloatVector.broadcast(F, 1f).div(a.add(GELU_K));
    FloatVector u = a.sub(GELU_K).mul(r);
    FloatVector g = u.fma(G9, G8);
    g = g.fma(u, FloatVector.broadcast(F, G7));
    g = g.fma(u, FloatVector.broadcast(F, G6));
    g = g.fma(u, FloatVector.broadcast(F, G5));
    g = g.fma(u, FloatVector.broadcast(F, G4));
    g = g.fma(u, FloatVector.broadcast(F, G3));
    g = g.fma(u, FloatVector.broadcast(F, G2));
    g = g.fma(u, FloatVector.broadcast(F, G1));
    g = g.fma(u, FloatVector.broadcast(F, G0));
    return g.mul(r);
  }

  /**
   * Exact GELU, x·Φ(x) (PyTorch's default {@code approximate='none'}): math/gelu.md (1)–(9).
   * Φ(x) = 1 − m(|x|)·e^{−x²/2} for x ≥ 0 and m(|x|)·e^{−x²/2} for x &lt; 0, so the result keeps
   * its relative accuracy on the negative tail.
   */
  public static FloatVector gelu(FloatVector x) {
    FloatVector a = x.abs();
    FloatVector e = expHalfSquareNeg(x);
    FloatVector xm = x.mul(mills(a));
    FloatVector tail = xm.mul(e);
    VectorMask<Float> neg = x.lt(0f);
    FloatVector y = x.sub(tail).blend(tail, neg);
    y = y.blend(x.blend(0f, neg), a.compare(VectorOperators.GT, GELU_SAT));
    return y.blend(signedZero(x), y.abs().lt(MIN_NORMAL));
  }

  /** A zero with the sign of x. */
  private static FloatVector signedZero(FloatVector x) {
    return x.reinterpretAsInts().and(0x80000000).reinterpretAsFloats();
  }

  /**
   * d gelu/dx = Φ(x) + x·φ(x) = [x ≥ 0] + e^{−x²/2}·(x/√(2π) ∓ m(|x|)): math/gelu.md (10).
   */
  public static FloatVector geluGrad(FloatVector x) {
    FloatVector a = x.abs();
    FloatVector e = expHalfSquareNeg(x);
    FloatVector m = mills(a);
    FloatVector v = x.mul(INV_SQRT_2PI);
    VectorMask<Float> neg = x.lt(0f);
    FloatVector w = v.sub(m).blend(v.add(m), neg);
    FloatVector base = FloatVector.broadcast(F, 1f).blend(0f, neg);
    FloatVector y = e.fma(w, base);
    y = y.blend(base, a.compare(VectorOperators.GT, GELU_SAT));
    return y.blend(0f, y.abs().lt(MIN_NORMAL));
  }

  /**
   * erf(t): t·E(t²) for |t| ≤ {@link #ERF_SMALL}, else sign(t)·(1 − 2·m(√2|t|)·e^{−t²});
   * exactly ±1 beyond {@link #ERF_SAT}. math/gelu.md (8).
   */
  public static FloatVector erf(FloatVector t) {
    IntVector bits = t.reinterpretAsInts();
    FloatVector a = bits.and(0x7fffffff).reinterpretAsFloats();
    FloatVector s = t.mul(t);
    FloatVector p = s.fma(E5, E4);
    p = p.fma(s, FloatVector.broadcast(F, E3));
    p = p.fma(s, FloatVector.broadcast(F, E2));
    p = p.fma(s, FloatVector.broadcast(F, E1));
    p = p.fma(s, FloatVector.broadcast(F, E0));
    FloatVector small = a.mul(p);
    FloatVector lo = a.fma(a, s.neg());
    FloatVector e = expBounded(s.neg());
    e = lo.neg().fma(e, e);
    FloatVector m2 = mills(a.mul(SQRT2)).mul(-2f);
    FloatVector large = m2.fma(e, FloatVector.broadcast(F, 1f));
    FloatVector r = large.blend(small, a.compare(VectorOperators.LE, ERF_SMALL));
    r = r.blend(1f, a.compare(VectorOperators.GT, ERF_SAT));
    return r.reinterpretAsInts().or(bits.and(0x80000000)).reinterpretAsFloats();
  }
}
