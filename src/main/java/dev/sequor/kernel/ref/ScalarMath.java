package dev.sequor.kernel.ref;

import static dev.sequor.kernel.simd.VectorMath.*;

/**
 * Scalar activation functions, the twins of {@link dev.sequor.kernel.simd.VectorMath}: the same IEEE
 * operations in the same order (same range reduction, same polynomials, {@link Math#fma}), so a
 * scalar result equals the corresponding SIMD lane bit for bit. Usable inside fused scalar loops
 * (SIMD tails and the reference path). Derivations and error bounds: {@code math/activations.md},
 * {@code math/gelu.md}; equation numbers below refer to those files.
 */
public final class ScalarMath {
  private ScalarMath() {}

  /** 2^n from the magic sum MAGIC_BIASED + n, whose low mantissa bits hold n + 127 (4). */
  private static float pow2(float nm) { return Float.intBitsToFloat(Float.floatToRawIntBits(nm) << 23); }

  /** t + t²·Q(t) ≈ expm1(t) for |t| ≤ ln2/2 (5). */
  private static float expm1Reduced(float t) {
    float q = Math.fma(t, Q4, Q3);
    q = Math.fma(q, t, Q2);
    q = Math.fma(q, t, Q1);
    q = Math.fma(q, t, Q0);
    return Math.fma(t * t, q, t);
  }

  /** e^x for x ≤ 88.37 without the final flush: (2)–(6). */
  private static float expCore(float xc) {
    float nm = Math.fma(xc, LOG2E, MAGIC_BIASED);
    float n = nm - MAGIC_BIASED;
    float t = Math.fma(n, -LN2_HI, xc);
    t = Math.fma(n, -LN2_LO, t);
    float s = pow2(nm);
    return Math.fma(s, expm1Reduced(t), s);
  }

  /** e^x over the whole float range; +Inf above 88.72283, 0 where e^x is below the smallest normal. */
  public static float exp(float x) {
    float xc = Math.max(x, EXP_CLAMP);
    float nm = Math.fma(xc, LOG2E, MAGIC_BIASED);
    float n = nm - MAGIC_BIASED;
    boolean top = nm == MAGIC_N128;
    float s = pow2(top ? nm - 1f : nm);
    float t = Math.fma(n, -LN2_HI, xc);
    t = Math.fma(n, -LN2_LO, t);
    float y = Math.fma(s, expm1Reduced(t), s);
    if (top) y = y + y;
    if (y < MIN_NORMAL) y = 0f;
    return x > EXP_MAX ? Float.POSITIVE_INFINITY : y;
  }

  /** e^x for x ≤ 88.3, bit-identical to {@link #exp} there (softmax arguments); e^88.3 above. */
  public static float expBounded(float x) {
    float y = expCore(Math.min(Math.max(x, EXP_CLAMP), EXP_BOUNDED_MAX));
    return y < MIN_NORMAL ? 0f : y;
  }

  /** σ(x) = 1/(1 + e^{−x}); exactly 1 above x ≈ 17.3, exactly 0 below x ≈ −87.34. (9)–(10) */
  public static float sigmoid(float x) {
    float e = expCore(Math.min(Math.max(-x, EXP_CLAMP), EXP_BOUNDED_MAX));
    float f = 1f / (e + 1f);
    return f < MIN_NORMAL ? 0f : f;
  }

  /** tanh x; exactly odd, exactly ±1 for |x| ≥ 9.01, x itself for |x| &lt; 2^−13 (tanh(±0) = ±0). (11)–(13) */
  public static float tanh(float x) {
    float a = Math.abs(x);
    float ac = Math.min(a, TANH_CLAMP);
    float z = ac + ac;
    float nm = Math.fma(z, LOG2E, MAGIC_BIASED);
    float n = nm - MAGIC_BIASED;
    float s = pow2(nm);
    float t = Math.fma(n, -LN2_HI, z);
    t = Math.fma(n, -LN2_LO, t);
    float em1 = Math.fma(s, expm1Reduced(t), s - 1f);
    float r = em1 / (em1 + 2f);
    if (x < 0f) r = -r;
    return a < TANH_TINY ? x : r;
  }

  /** GELU stage 1: e^{−x²/2} of x clamped to ±13.2, x² = hi + lo split exactly (gelu.md (7)). */
  public static float geluGaussian(float x) {
    float xc = Math.min(Math.max(x, -GELU_CLAMP), GELU_CLAMP);
    float hi = xc * xc;
    float lo = Math.fma(xc, xc, -hi);
    float e = expCore(hi * -0.5f);
    return Math.fma(lo * -0.5f, e, e);
  }

  /** m(a) = G((a − K)/(a + K))/(a + K) (gelu.md (5)–(6)). */
  private static float mills(float a) {
    float r = 1f / (a + GELU_K);
    float u = (a - GELU_K) * r;
    float g = Math.fma(u, G9, G8);
    g = Math.fma(g, u, G7);
    g = Math.fma(g, u, G6);
    g = Math.fma(g, u, G5);
    g = Math.fma(g, u, G4);
    g = Math.fma(g, u, G3);
    g = Math.fma(g, u, G2);
    g = Math.fma(g, u, G1);
    g = Math.fma(g, u, G0);
    return g * r;
  }

  /** GELU stage 2 from x and gauss = geluGaussian(x) (gelu.md (8)–(9)). */
  public static float gelu(float x, float gauss) {
    float xc = Math.min(Math.max(x, -GELU_CLAMP), GELU_CLAMP);
    float tail = (xc * mills(Math.abs(xc))) * gauss;
    float y = xc <= 0f ? tail : xc - tail;
    if (x > GELU_CLAMP) y = x;
    return Math.abs(y) < MIN_NORMAL ? y * 0f : y;
  }

  /** Exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)) (PyTorch's default, approximate='none'). gelu.md (1)–(9) */
  public static float gelu(float x) { return gelu(x, geluGaussian(x)); }

  /** d gelu/dx from x and gauss = geluGaussian(x) (gelu.md (10)). */
  public static float geluGrad(float x, float gauss) {
    float xc = Math.min(Math.max(x, -GELU_CLAMP), GELU_CLAMP);
    float m = mills(Math.abs(xc));
    float v = xc * INV_SQRT_2PI;
    boolean neg = xc < 0f;
    float base = neg ? 0f : 1f;
    float y = Math.fma(gauss, neg ? v + m : v - m, base);
    if (Math.abs(x) > GELU_CLAMP) y = base;
    return Math.abs(y) < MIN_NORMAL ? 0f : y;
  }

  /** d gelu / dx = Φ(x) + x·φ(x). gelu.md (10) */
  public static float geluGrad(float x) { return geluGrad(x, geluGaussian(x)); }

  /** erf(x) in float; exactly ±1 beyond about ±3.9. gelu.md (11)–(12) */
  public static float erf(float x) {
    float xc = Math.min(Math.max(x, -ERF_CLAMP), ERF_CLAMP);
    float a = Math.abs(xc);
    float sq = xc * xc;
    float p = Math.fma(sq, E5, E4);
    p = Math.fma(p, sq, E3);
    p = Math.fma(p, sq, E2);
    p = Math.fma(p, sq, E1);
    p = Math.fma(p, sq, E0);
    float small = xc * p;
    float lo = Math.fma(xc, xc, -sq);
    float e = expCore(Math.max(-sq, EXP_CLAMP));
    if (e < MIN_NORMAL) e = 0f;
    e = Math.fma(-lo, e, e);
    float large = Math.fma(mills(a * SQRT2) * -2f, e, 1f);
    if (xc < 0f) large = -large;
    return a <= ERF_SMALL ? small : large;
  }

  /** erf in double precision; see {@link DoubleMath#erf}. */
  public static double erf(double x) { return DoubleMath.erf(x); }
}
