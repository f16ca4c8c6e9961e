package dev.sequor.kernel.ref;

/**
 * Double-precision references of the float activations, used to <em>measure</em> their error (tests
 * and the quick bench's {@code max_ulp}); never used by a kernel. Each is accurate to about 1e-13
 * relative (erfc by series and continued fraction; checked against tabulated values in the tests),
 * far below a float ulp (6e-8).
 */
public final class DoubleMath {
  private DoubleMath() {}

  private static final double SQRT_PI = Math.sqrt(Math.PI);
  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

  public static double exp(double x) { return Math.exp(x); }

  public static double sigmoid(double x) { return 1.0 / (1.0 + Math.exp(-x)); }

  public static double tanh(double x) { return Math.tanh(x); }

  /** erf x: Maclaurin series below 2, 1 − erfc beyond. */
  public static double erf(double x) {
    double a = Math.abs(x);
    double r = a < 2 ? erfSeries(a) : 1 - erfcPositive(a);
    return x < 0 ? -r : r;
  }

  /** erfc x = 1 − erf x with full relative accuracy for large x. */
  public static double erfc(double x) {
    if (Double.isNaN(x)) return x;
    if (x < 0) return 2 - erfc(-x);
    return x < 2 ? 1 - erfSeries(x) : erfcPositive(x);
  }

  // erf x = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1)); |terms| peak near e^{x²} ≤ e^4, so ~14 digits remain
  private static double erfSeries(double a) {
    double term = a, sum = a, x2 = a * a;
    for (int n = 1; n < 200; n++) {
      term *= -x2 / n;
      double add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 2 / SQRT_PI * sum;
  }

  // Laplace's continued fraction erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), x ≥ 2
  private static double erfcPositive(double a) {
    if (a > 27) return 0;
    double f = 0;
    for (int n = 120; n >= 1; n--) f = (n / 2.0) / (a + f);
    return Math.exp(-a * a) / SQRT_PI / (a + f);
  }

  /** Φ(x), the standard normal CDF, with full relative accuracy on the negative tail. */
  public static double normalCdf(double x) { return 0.5 * erfc(-x / Math.sqrt(2)); }

  /** Exact GELU x·Φ(x). */
  public static double gelu(double x) {
    if (x == Double.NEGATIVE_INFINITY) return -0.0;
    return x * normalCdf(x);
  }

  /** d gelu/dx = Φ(x) + x·φ(x). */
  public static double geluGrad(double x) {
    if (Double.isInfinite(x)) return x > 0 ? 1 : 0;
    return normalCdf(x) + x * Math.exp(-0.5 * x * x) / SQRT_2PI;
  }

  /**
   * The error of a float result y against the exact value ref, in units in the last place of the
   * float format at ref (2^(e−23) for ref in [2^e, 2^(e+1)), 2^−149 below the normal range).
   * A result of 0 where |ref| is below the smallest normal float counts as exact (the flush-to-zero
   * contract); NaN against NaN and equal infinities are exact; anything else against NaN or an
   * infinity is infinitely wrong.
   */
  public static double ulpError(float y, double ref) {
    if (Double.isNaN(ref) || Double.isNaN(y)) return Double.isNaN(ref) && Double.isNaN(y) ? 0 : Double.POSITIVE_INFINITY;
    if (Double.isInfinite(ref)) return y == ref ? 0 : Double.POSITIVE_INFINITY;
    if (Float.isInfinite(y)) return y == (float) ref ? 0 : Double.POSITIVE_INFINITY; // ref beyond float's range rounds to ±Inf
    double a = Math.abs(ref);
    if (a < Float.MIN_NORMAL && y == 0f) return 0;
    double ulp = a < Float.MIN_NORMAL ? 0x1p-149 : Math.scalb(1.0, Math.getExponent(a) - 23);
    return Math.abs(y - ref) / ulp;
  }
}
