package dev.sequor.kernel.ref;

import static dev.sequor.kernel.simd.VectorMath.*;

/**
 * Scalar activation functions, the twins of {@link dev.sequor.kernel.simd.VectorMath}: the same IEEE
 * operations in the same order (same range reduction, same polynomials, {@link Math#fma}), so a
 * scalar result equals the corresponding SIMD lane bit for bit. Usable inside fused scalar loops
 * (SIMD tails and the reference path). Derivations: {@code math/activations.md}, {@code math/gelu.md}.
 */
public final class ScalarMath {
  private ScalarMath() {}

  /** e^x over the whole float range; +Inf above 88.72283, 0 where e^x is below the smallest normal. */
  public static float exp(float x) {
    float xc = x < EXP_CLAMP ? EXP_CLAMP : x;
    float nm = Math.fma(xc, LOG2E, MAGIC_BIASED);
    float n = nm - MAGIC_BIASED;
    boolean top = nm == MAGIC_BIASED + 128f;
    float s = pow2(top ? nm - 1f : nm);
    float t = Math.fma(n, -LN2_HI, xc);
    t = Math.fma(n, -LN2_LO, t);
    float y = Math.fma(s, expm1Reduced(t), s);
    if (top) y *= 2f;
    if (y < MIN_NORMAL) y = 0f;
    return x > EXP_MAX ? Float.POSITIVE_INFINITY : y;
  }

  /** e^x for x ≤ 88.37, bit-identical to {@link #exp} there (softmax/sigmoid arguments). */
  public static float expBounded(float x) {
    float xc = x < EXP_CLAMP ? EXP_CLAMP : x;
    float nm = Math.fma(xc, LOG2E, MAGIC_BIASED);
    float n = nm - MAGIC_BIASED;
    float s = pow2(nm);
    float t = Math.fma(n, -LN2_HI, xc);
    t = Math.fma(n, -LN2_LO, t);
    float y = Math.fma(s, expm1Reduced(t), s);
    return y < MIN_NORMAL ? 0f : y;
  }

  private static float pow2(float nm) { return Float.intBitsToFloat(Float.floatToRawIntBits(nm) << 23); }

  private static float expm1Reduced(float t) {
    float q = Math.fma(t, Q4, Q3);
    q = Math.fma(q, t, Q2);
    q = Math.fma(q, t, Q1);
    q = Math.fma(q, t, Q0);
    return Math.fma(t * t, q, t);
  }

  /** σ(x) = 1/(1 + e^{−x}); exactly 0 below x ≈ −87.34, exactly 1 above x ≈ 17.3. */
  public static float sigmoid(float x) {
    float z = Float.intBitsToFloat(Float.floatToRawIntBits(x) | 0x80000000);
    float e = expBounded(z);
    float f = e / (e + 1f);
    return x > 0f ? 1f - f : f;
  }

  /** tanh x; exactly ±1 for |x| > 9.0109, tanh(±0) = ±0. */
  public static float tanh(float x) {
    int bits = Float.floatToRawIntBits(x);
    float a = Float.intBitsToFloat(bits & 0x7fffffff);
    float z = a + a;
    float nm = Math.fma(z, LOG2E, MAGIC_BIASED);
    float n = nm - MAGIC_BIASED;
    float s = pow2(nm);
    float t = Math.fma(n, -LN2_HI, z);
    t = Math.fma(n, -LN2_LO, t);
    float em1 = Math.fma(s, expm1Reduced(t), s - 1f);
    float r = em1 / (em1 + 2f);
    if (a > TANH_SAT) r = 1f;
    return Float.intBitsToFloat(Float.floatToRawIntBits(r) | (bits & 0x80000000));
  }

  private static float expHalfSquareNeg(float x) {
    float hi = x * x;
    float lo = Math.fma(x, x, -hi);
    float e = expBounded(hi * -0.5f);
    return Math.fma(lo * -0.5f, e, e);
  }

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

  /** Exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)) (PyTorch's default, approximate='none'). */
  public static float gelu(float x) {
    float a = Math.abs(x);
    float e = expHalfSquareNeg(x);
    float xm = x * mills(a);
    float tail = xm * e;
    boolean neg = x < 0f;
    float y = neg ? tail : x - tail;
    if (a > GELU_SAT) y = neg ? 0f : x;
    if (Math.abs(y) < MIN_NORMAL) y = Float.intBitsToFloat(Float.floatToRawIntBits(x) & 0x80000000);
    return y;
  }

  /** d gelu / dx = Φ(x) + x·φ(x). */
  public static float geluGrad(float x) {
    float a = Math.abs(x);
    float e = expHalfSquareNeg(x);
    float m = mills(a);
    float v = x * INV_SQRT_2PI;
    boolean neg = x < 0f;
    float w = neg ? v + m : v - m;
    float base = neg ? 0f : 1f;
    float y = Math.fma(e, w, base);
    if (a > GELU_SAT) y = base;
    if (Math.abs(y) < MIN_NORMAL) y = 0f;
    return y;
  }

  /** erf(t) in float; exactly ±1 for |t| > 4. */
  public static float erf(float t) {
    int bits = Float.floatToRawIntBits(t);
    float a = Float.intBitsToFloat(bits & 0x7fffffff);
    float s = t * t;
    float p = Math.fma(s, E5, E4);
    p = Math.fma(p, s, E3);
    p = Math.fma(p, s, E2);
    p = Math.fma(p, s, E1);
    p = Math.fma(p, s, E0);
    float small = a * p;
    float lo = Math.fma(a, a, -s);
    float e = expBounded(-s);
    e = Math.fma(-lo, e, e);
    float m2 = mills(a * SQRT2) * -2f;
    float large = Math.fma(m2, e, 1f);
    float r = a <= ERF_SMALL ? small : large;
    if (a > ERF_SAT) r = 1f;
    return Float.intBitsToFloat(Float.floatToRawIntBits(r) | (bits & 0x80000000));
  }

  /** erf in double precision; see {@link DoubleMath#erf}. */
  public static double erf(double x) { return DoubleMath.erf(x); }
}
