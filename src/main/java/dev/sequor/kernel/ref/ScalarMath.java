package dev.sequor.kernel.ref;

/**
 * Scalar activation functions, the twins of {@link dev.sequor.kernel.simd.VectorMath}, usable inside
 * fused scalar loops (tails and the reference path). PLACEHOLDER accuracy: plain java.lang.Math
 * until the polynomial approximations land.
 */
public final class ScalarMath {
  private ScalarMath() {}

  public static float exp(float x) { return (float) Math.exp(x); }

  public static float sigmoid(float x) { return (float) (1.0 / (1.0 + Math.exp(-x))); }

  public static float tanh(float x) { return (float) Math.tanh(x); }

  /** Exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)) (PyTorch's default, approximate='none'). */
  public static float gelu(float x) { return (float) (0.5 * x * (1.0 + erf(x / Math.sqrt(2.0)))); }

  /** d gelu / dx = Φ(x) + x·φ(x). */
  public static float geluGrad(float x) {
    double cdf = 0.5 * (1.0 + erf(x / Math.sqrt(2.0)));
    double pdf = Math.exp(-0.5 * (double) x * x) / Math.sqrt(2.0 * Math.PI);
    return (float) (cdf + x * pdf);
  }

  /** erf in double precision (Abramowitz–Stegun 7.1.26 is too coarse; this is a series/continued fraction). */
  public static double erf(double x) {
    double ax = Math.abs(x);
    double r;
    if (ax < 2.5) {
      // Maclaurin series: erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
      double term = ax, sum = ax, x2 = ax * ax;
      for (int n = 1; n < 80; n++) {
        term *= -x2 / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
      }
      r = 2.0 / Math.sqrt(Math.PI) * sum;
    } else if (ax < 27) {
      // continued fraction for erfc, evaluated bottom-up (Lentz not needed at this depth)
      double f = 0;
      for (int n = 60; n >= 1; n--) f = (n / 2.0) / (ax + f);
      r = 1.0 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
    } else {
      r = 1.0;
    }
    return x < 0 ? -r : r;
  }
}
