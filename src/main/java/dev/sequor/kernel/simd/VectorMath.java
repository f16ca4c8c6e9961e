package dev.sequor.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector transcendental functions for use inside fused SIMD loops: exp, sigmoid, tanh, erf, GELU and
 * GELU's derivative on a {@link FloatVector} of species {@link #F}. Twins of
 * {@link dev.sequor.kernel.ref.ScalarMath}: each method performs the same IEEE operations in the same
 * order as its scalar twin, so the two agree bit for bit lane by lane (tested), and a scalar tail or
 * a reference run gives exactly the SIMD result.
 *
 * <p>Algorithms, constants and error bounds: {@code math/activations.md} (exp, sigmoid, tanh) and
 * {@code math/gelu.md} (erf, GELU); equation numbers below refer to those files. The polynomial
 * coefficients come from {@code math/fit_coefficients.py}.
 *
 * <p>Common contract: NaN in gives NaN out; a finite input never gives NaN; results that would be
 * denormal are flushed to zero (tanh and erf of a denormal input return about that input).
 *
 * <p><b>Written for the JIT's inliner.</b> C2 stops inlining ordinary (non-JDK) methods into a
 * compilation once it has created about 18 000 IR nodes, and every Vector API call creates a few
 * hundred while it is parsed. A method that is not inlined boxes its vectors: a fused loop runs ten
 * times slower. So each public method here is one flat body (no helper calls, which would each be
 * another point where inlining can stop), uses the cheapest API forms (vector operands rather than
 * scalar overloads, which broadcast on every call), and takes its constants from {@code static final}
 * vectors, which the JIT folds. The exp core (2)–(6) is therefore written out in each function.
 * An LSTM gate pass with three sigmoids and two tanh in one loop stays fully inlined
 * ({@code ActivationsBench.lstmGatesFused}).
 */
public final class VectorMath {
  /** The species every kernel in the engine uses (16 float lanes on AVX-512). */
  public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  private VectorMath() {}

  // ---- scalar constants, shared with ScalarMath (math/activations.md, math/gelu.md) ----

  /** float(log2 e). */
  public static final float LOG2E = 0x1.715476p+0f;
  /** ln 2 = LN2_HI + LN2_LO; LN2_HI has 10 trailing zero bits so n·LN2_HI is exact for |n| < 2^10 (3). */
  public static final float LN2_HI = 0x1.62e4p-1f;
  public static final float LN2_LO = 0x1.7f7d1cp-20f;
  /**
   * 1.5·2^23 + 127: adding it to y (|y| < 2^22) rounds y to an integer n and leaves n + 127, the
   * biased exponent of 2^n, in the low mantissa bits (2), (4).
   */
  public static final float MAGIC_BIASED = 0x1.8000fep23f;
  /** The magic sum when n = 128, the one n whose 2^n is not a normal float (7). */
  public static final float MAGIC_N128 = MAGIC_BIASED + 128f;
  /** exp arguments are clamped below here: n = −127 there, 2^n is built as 0 (6). */
  public static final float EXP_CLAMP = -88f;
  /** The largest float x whose e^x is finite in float; e^x for larger x is +Inf (7). */
  public static final float EXP_MAX = 0x1.62e42ep6f; // 88.72283
  /** Smallest normal float: results below it are flushed to zero. */
  public static final float MIN_NORMAL = Float.MIN_NORMAL;

  /** expm1(t) ≈ t + t²·(Q0 + Q1 t + Q2 t² + Q3 t³ + Q4 t⁴) for |t| ≤ ln2/2 (5). */
  public static final float Q0 = 0x1.fffffep-2f;
  public static final float Q1 = 0x1.5554bp-3f;
  public static final float Q2 = 0x1.5556c2p-5f;
  public static final float Q3 = 0x1.122878p-7f;
  public static final float Q4 = 0x1.6bed6ap-10f;

  /**
   * Upper clamp of {@link #expBounded}'s argument (and of −x in σ): below 88.376 the reduction's n is
   * at most 127, so 2^n is a normal float (6), (10).
   */
  public static final float EXP_BOUNDED_MAX = 88.3f;

  /** tanh's argument is clamped to ±TANH_CLAMP, where the computed tanh is exactly ±1 (13). */
  public static final float TANH_CLAMP = 9.5f;
  /** Below this |x|, tanh x rounds to x (13): returned as is, which keeps tanh(−0) = −0. */
  public static final float TANH_TINY = 0x1p-13f;

  /** erf(t) = t·E(t²) for |t| ≤ ERF_SMALL: math/gelu.md (11). */
  public static final float ERF_SMALL = 0.875f;
  public static final float E0 = 0x1.20dd74p+0f;
  public static final float E1 = -0x1.812704p-2f;
  public static final float E2 = 0x1.ce2122p-4f;
  public static final float E3 = -0x1.b6f37ep-6f;
  public static final float E4 = 0x1.49c9fep-8f;
  public static final float E5 = -0x1.453aaep-11f;
  /** erf's argument is clamped to ±ERF_CLAMP, where the computed erf is exactly ±1. */
  public static final float ERF_CLAMP = 4.5f;

  /**
   * Mills-ratio fit m(a) = (1 − Φ(a))·e^{a²/2} = G(u)/(a + K), u = (a − K)/(a + K), a ∈ [0, 13.5]:
   * math/gelu.md (5)–(6).
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
  /**
   * GELU's argument is clamped to ±GELU_CLAMP: above, gelu(x) = x; below, the true gelu is under the
   * smallest normal float (|gelu(−13.2)| ≈ 6e−39), flushed to −0; e^{−x²/2} stays normal (gelu.md (9)).
   */
  public static final float GELU_CLAMP = 13.2f;
  /** 1/√(2π). */
  public static final float INV_SQRT_2PI = 0x1.988454p-2f;
  /** √2. */
  public static final float SQRT2 = 0x1.6a09e6p+0f;

  // ---- the same constants as vectors, folded by the JIT (see the class comment) ----

  private static final FloatVector ZERO = FloatVector.zero(F);
  private static final FloatVector ONE = FloatVector.broadcast(F, 1f);
  private static final FloatVector TWO = FloatVector.broadcast(F, 2f);
  private static final FloatVector NEG_HALF = FloatVector.broadcast(F, -0.5f);
  private static final FloatVector NEG_TWO = FloatVector.broadcast(F, -2f);
  private static final FloatVector V_LOG2E = FloatVector.broadcast(F, LOG2E);
  private static final FloatVector V_NEG_LN2_HI = FloatVector.broadcast(F, -LN2_HI);
  private static final FloatVector V_NEG_LN2_LO = FloatVector.broadcast(F, -LN2_LO);
  private static final FloatVector V_MAGIC = FloatVector.broadcast(F, MAGIC_BIASED);
  private static final FloatVector V_MAGIC_N128 = FloatVector.broadcast(F, MAGIC_N128);
  private static final FloatVector V_EXP_CLAMP = FloatVector.broadcast(F, EXP_CLAMP);
  private static final FloatVector V_EXP_MAX = FloatVector.broadcast(F, EXP_MAX);
  private static final FloatVector V_INF = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
  private static final FloatVector V_MIN_NORMAL = FloatVector.broadcast(F, MIN_NORMAL);
  private static final FloatVector V_Q0 = FloatVector.broadcast(F, Q0);
  private static final FloatVector V_Q1 = FloatVector.broadcast(F, Q1);
  private static final FloatVector V_Q2 = FloatVector.broadcast(F, Q2);
  private static final FloatVector V_Q3 = FloatVector.broadcast(F, Q3);
  private static final FloatVector V_Q4 = FloatVector.broadcast(F, Q4);
  private static final FloatVector V_EXP_BOUNDED_MAX = FloatVector.broadcast(F, EXP_BOUNDED_MAX);
  private static final FloatVector V_TANH_CLAMP = FloatVector.broadcast(F, TANH_CLAMP);
  private static final FloatVector V_TANH_TINY = FloatVector.broadcast(F, TANH_TINY);
  private static final FloatVector V_ERF_SMALL = FloatVector.broadcast(F, ERF_SMALL);
  private static final FloatVector V_ERF_CLAMP = FloatVector.broadcast(F, ERF_CLAMP);
  private static final FloatVector V_NEG_ERF_CLAMP = FloatVector.broadcast(F, -ERF_CLAMP);
  private static final FloatVector V_E0 = FloatVector.broadcast(F, E0);
  private static final FloatVector V_E1 = FloatVector.broadcast(F, E1);
  private static final FloatVector V_E2 = FloatVector.broadcast(F, E2);
  private static final FloatVector V_E3 = FloatVector.broadcast(F, E3);
  private static final FloatVector V_E4 = FloatVector.broadcast(F, E4);
  private static final FloatVector V_E5 = FloatVector.broadcast(F, E5);
  private static final FloatVector V_K = FloatVector.broadcast(F, GELU_K);
  private static final FloatVector V_G0 = FloatVector.broadcast(F, G0);
  private static final FloatVector V_G1 = FloatVector.broadcast(F, G1);
  private static final FloatVector V_G2 = FloatVector.broadcast(F, G2);
  private static final FloatVector V_G3 = FloatVector.broadcast(F, G3);
  private static final FloatVector V_G4 = FloatVector.broadcast(F, G4);
  private static final FloatVector V_G5 = FloatVector.broadcast(F, G5);
  private static final FloatVector V_G6 = FloatVector.broadcast(F, G6);
  private static final FloatVector V_G7 = FloatVector.broadcast(F, G7);
  private static final FloatVector V_G8 = FloatVector.broadcast(F, G8);
  private static final FloatVector V_G9 = FloatVector.broadcast(F, G9);
  private static final FloatVector V_GELU_CLAMP = FloatVector.broadcast(F, GELU_CLAMP);
  private static final FloatVector V_NEG_GELU_CLAMP = FloatVector.broadcast(F, -GELU_CLAMP);
  private static final FloatVector V_INV_SQRT_2PI = FloatVector.broadcast(F, INV_SQRT_2PI);
  private static final FloatVector V_SQRT2 = FloatVector.broadcast(F, SQRT2);

  /**
   * e^x over the whole float range: +Inf above {@link #EXP_MAX}, exactly 0 where e^x is below the
   * smallest normal float (x &lt; −87.34). math/activations.md (1)–(7).
   */
  public static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(V_EXP_CLAMP);
    FloatVector nm = xc.fma(V_LOG2E, V_MAGIC);                                   // (2)
    FloatVector n = nm.sub(V_MAGIC);
    var top = nm.compare(VectorOperators.EQ, V_MAGIC_N128);                     // (7): 2^128 = 2^127·2
    FloatVector s = nm.sub(ONE, top).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(); // (4)
    FloatVector t = n.fma(V_NEG_LN2_HI, xc);                                     // (3)
    t = n.fma(V_NEG_LN2_LO, t);
    FloatVector q = t.fma(V_Q4, V_Q3);                                           // (5)
    q = q.fma(t, V_Q2);
    q = q.fma(t, V_Q1);
    q = q.fma(t, V_Q0);
    FloatVector y = s.fma(t.mul(t).fma(q, t), s);                                // (6)
    y = y.add(y, top);
    y = y.blend(ZERO, y.compare(VectorOperators.LT, V_MIN_NORMAL));
    return y.blend(V_INF, x.compare(VectorOperators.GT, V_EXP_MAX));
  }

  /**
   * e^x for x ≤ {@link #EXP_BOUNDED_MAX} = 88.3 (softmax arguments x − max, which are ≤ 0):
   * bit-identical to {@link #exp} there, a few operations cheaper; larger x gives e^88.3.
   */
  public static FloatVector expBounded(FloatVector x) {
    FloatVector xc = x.max(V_EXP_CLAMP).min(V_EXP_BOUNDED_MAX);
    FloatVector nm = xc.fma(V_LOG2E, V_MAGIC);
    FloatVector n = nm.sub(V_MAGIC);
    FloatVector s = nm.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector t = n.fma(V_NEG_LN2_HI, xc);
    t = n.fma(V_NEG_LN2_LO, t);
    FloatVector q = t.fma(V_Q4, V_Q3);
    q = q.fma(t, V_Q2);
    q = q.fma(t, V_Q1);
    q = q.fma(t, V_Q0);
    FloatVector y = s.fma(t.mul(t).fma(q, t), s);
    return y.blend(ZERO, y.compare(VectorOperators.LT, V_MIN_NORMAL));
  }

  /**
   * σ(x) = 1/(1 + e^{−x}) (9)–(10), with e^{−x} from the exp core on −x clamped to
   * [−88, {@link #EXP_BOUNDED_MAX}]: exactly 1 above x ≈ 17.3, exactly 0 below x ≈ −87.34 (where σ
   * would be denormal).
   */
  public static FloatVector sigmoid(FloatVector x) {
    FloatVector z = x.neg().max(V_EXP_CLAMP).min(V_EXP_BOUNDED_MAX);
    FloatVector nm = z.fma(V_LOG2E, V_MAGIC);
    FloatVector n = nm.sub(V_MAGIC);
    FloatVector s = nm.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector t = n.fma(V_NEG_LN2_HI, z);
    t = n.fma(V_NEG_LN2_LO, t);
    FloatVector q = t.fma(V_Q4, V_Q3);
    q = q.fma(t, V_Q2);
    q = q.fma(t, V_Q1);
    q = q.fma(t, V_Q0);
    FloatVector e = s.fma(t.mul(t).fma(q, t), s);
    FloatVector f = ONE.div(e.add(ONE));
    return f.blend(ZERO, f.compare(VectorOperators.LT, V_MIN_NORMAL));
  }

  /**
   * tanh x = sign(x)·expm1(2|x|)/(expm1(2|x|) + 2) (11)–(13): exactly odd, exactly ±1 for
   * |x| ≥ 9.01, x itself for |x| &lt; 2^−13 (so tanh(±0) = ±0).
   */
  public static FloatVector tanh(FloatVector x) {
    FloatVector a = x.abs();
    FloatVector ac = a.min(V_TANH_CLAMP);
    FloatVector z = ac.add(ac);
    FloatVector nm = z.fma(V_LOG2E, V_MAGIC);
    FloatVector n = nm.sub(V_MAGIC);
    FloatVector s = nm.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector t = n.fma(V_NEG_LN2_HI, z);
    t = n.fma(V_NEG_LN2_LO, t);
    FloatVector q = t.fma(V_Q4, V_Q3);
    q = q.fma(t, V_Q2);
    q = q.fma(t, V_Q1);
    q = q.fma(t, V_Q0);
    FloatVector em1 = s.fma(t.mul(t).fma(q, t), s.sub(ONE));                     // (12)
    FloatVector r = em1.div(em1.add(TWO));
    r = r.blend(r.neg(), x.compare(VectorOperators.LT, ZERO));
    return r.blend(x, a.compare(VectorOperators.LT, V_TANH_TINY));
  }

  /**
   * GELU, stage 1: the Gaussian factor e^{−x²/2} of x clamped to ±{@link #GELU_CLAMP}, with
   * x² = hi + lo split exactly so that its rounding does not enter the exponential
   * (math/gelu.md (7)). Stage 2 is {@link #gelu(FloatVector, FloatVector)} or
   * {@link #geluGrad(FloatVector, FloatVector)}. (Two stages because the whole GELU is about 50
   * vector operations, more than one compiled loop can hold without boxing: see the class comment.)
   */
  public static FloatVector geluGaussian(FloatVector x) {
    FloatVector xc = x.max(V_NEG_GELU_CLAMP).min(V_GELU_CLAMP);
    FloatVector hi = xc.mul(xc);
    FloatVector lo = xc.fma(xc, hi.neg());
    FloatVector z = hi.mul(NEG_HALF);                                            // ≥ −87.12: no clamp
    FloatVector nm = z.fma(V_LOG2E, V_MAGIC);
    FloatVector n = nm.sub(V_MAGIC);
    FloatVector s = nm.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector t = n.fma(V_NEG_LN2_HI, z);
    t = n.fma(V_NEG_LN2_LO, t);
    FloatVector q = t.fma(V_Q4, V_Q3);
    q = q.fma(t, V_Q2);
    q = q.fma(t, V_Q1);
    q = q.fma(t, V_Q0);
    FloatVector e = s.fma(t.mul(t).fma(q, t), s);
    return lo.mul(NEG_HALF).fma(e, e);
  }

  /**
   * Exact GELU x·Φ(x) (PyTorch's default {@code approximate='none'}) from x and its Gaussian factor
   * {@code gauss = geluGaussian(x)}: math/gelu.md (1)–(9). With m(a) = (1 − Φ(a))·e^{a²/2},
   * Φ(x) = 1 − m(|x|)·gauss for x ≥ 0 and m(|x|)·gauss for x &lt; 0, so the result keeps its relative
   * accuracy on the negative tail. gelu(x) = x above {@link #GELU_CLAMP}; below −GELU_CLAMP the true
   * value is under the smallest normal float and the result is −0.
   */
  public static FloatVector gelu(FloatVector x, FloatVector gauss) {
    FloatVector xc = x.max(V_NEG_GELU_CLAMP).min(V_GELU_CLAMP);
    FloatVector a = xc.abs();
    FloatVector r = ONE.div(a.add(V_K));                                         // (5)–(6)
    FloatVector u = a.sub(V_K).mul(r);
    FloatVector g = u.fma(V_G9, V_G8);
    g = g.fma(u, V_G7);
    g = g.fma(u, V_G6);
    g = g.fma(u, V_G5);
    g = g.fma(u, V_G4);
    g = g.fma(u, V_G3);
    g = g.fma(u, V_G2);
    g = g.fma(u, V_G1);
    g = g.fma(u, V_G0);
    FloatVector tail = xc.mul(g.mul(r)).mul(gauss);                              // (8): x·(1 − Φ(|x|))
    FloatVector y = xc.sub(tail).blend(tail, xc.compare(VectorOperators.LE, ZERO)); // (9); ±0 -> ±0
    y = y.blend(x, x.compare(VectorOperators.GT, V_GELU_CLAMP));
    return y.lanewise(VectorOperators.MUL, ZERO, y.abs().compare(VectorOperators.LT, V_MIN_NORMAL));
  }

  /** Exact GELU in one call: {@code gelu(x, geluGaussian(x))}. */
  public static FloatVector gelu(FloatVector x) { return gelu(x, geluGaussian(x)); }

  /**
   * d gelu/dx = Φ(x) + x·φ(x) = [x ≥ 0] + gauss·(x/√(2π) ∓ m(|x|)) from x and
   * {@code gauss = geluGaussian(x)}: math/gelu.md (10).
   */
  public static FloatVector geluGrad(FloatVector x, FloatVector gauss) {
    FloatVector xc = x.max(V_NEG_GELU_CLAMP).min(V_GELU_CLAMP);
    FloatVector a = xc.abs();
    FloatVector r = ONE.div(a.add(V_K));
    FloatVector u = a.sub(V_K).mul(r);
    FloatVector g = u.fma(V_G9, V_G8);
    g = g.fma(u, V_G7);
    g = g.fma(u, V_G6);
    g = g.fma(u, V_G5);
    g = g.fma(u, V_G4);
    g = g.fma(u, V_G3);
    g = g.fma(u, V_G2);
    g = g.fma(u, V_G1);
    g = g.fma(u, V_G0);
    FloatVector m = g.mul(r);
    FloatVector v = xc.mul(V_INV_SQRT_2PI);
    var neg = xc.compare(VectorOperators.LT, ZERO);
    FloatVector base = ONE.blend(ZERO, neg);
    FloatVector y = gauss.fma(v.sub(m).blend(v.add(m), neg), base);
    y = y.blend(base, x.abs().compare(VectorOperators.GT, V_GELU_CLAMP));          // 1 or 0 beyond the clamp
    return y.blend(ZERO, y.abs().compare(VectorOperators.LT, V_MIN_NORMAL));
  }

  /** d gelu/dx in one call: {@code geluGrad(x, geluGaussian(x))}. */
  public static FloatVector geluGrad(FloatVector x) { return geluGrad(x, geluGaussian(x)); }

  /**
   * erf(t): t·E(t²) for |t| ≤ {@link #ERF_SMALL}, else ±(1 − 2·m(√2|t|)·e^{−t²}); exactly ±1
   * beyond about ±3.9. math/gelu.md (11)–(12).
   */
  public static FloatVector erf(FloatVector x) {
    FloatVector xc = x.max(V_NEG_ERF_CLAMP).min(V_ERF_CLAMP);
    FloatVector a = xc.abs();
    FloatVector sq = xc.mul(xc);
    FloatVector p = sq.fma(V_E5, V_E4);
    p = p.fma(sq, V_E3);
    p = p.fma(sq, V_E2);
    p = p.fma(sq, V_E1);
    p = p.fma(sq, V_E0);
    FloatVector small = xc.mul(p);
    // e^{−t²} with t² = sq + lo exact
    FloatVector lo = xc.fma(xc, sq.neg());
    FloatVector z = sq.neg().max(V_EXP_CLAMP);
    FloatVector nm = z.fma(V_LOG2E, V_MAGIC);
    FloatVector n = nm.sub(V_MAGIC);
    FloatVector s = nm.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector t = n.fma(V_NEG_LN2_HI, z);
    t = n.fma(V_NEG_LN2_LO, t);
    FloatVector q = t.fma(V_Q4, V_Q3);
    q = q.fma(t, V_Q2);
    q = q.fma(t, V_Q1);
    q = q.fma(t, V_Q0);
    FloatVector e = s.fma(t.mul(t).fma(q, t), s);
    e = e.blend(ZERO, e.compare(VectorOperators.LT, V_MIN_NORMAL));
    e = lo.neg().fma(e, e);
    // erfc(a) = 2·m(√2 a)·e^{−a²}
    FloatVector b = a.mul(V_SQRT2);
    FloatVector r = ONE.div(b.add(V_K));
    FloatVector u = b.sub(V_K).mul(r);
    FloatVector g = u.fma(V_G9, V_G8);
    g = g.fma(u, V_G7);
    g = g.fma(u, V_G6);
    g = g.fma(u, V_G5);
    g = g.fma(u, V_G4);
    g = g.fma(u, V_G3);
    g = g.fma(u, V_G2);
    g = g.fma(u, V_G1);
    g = g.fma(u, V_G0);
    FloatVector large = g.mul(r).mul(NEG_TWO).fma(e, ONE);
    large = large.blend(large.neg(), xc.compare(VectorOperators.LT, ZERO));
    return large.blend(small, a.compare(VectorOperators.LE, V_ERF_SMALL));
  }
}
