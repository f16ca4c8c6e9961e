package dev.sequor.kernel;

/**
 * The one place GEMM/GEMV tests say how far two mathematically equal float results may differ when
 * they are NOT computed by the same FMA chain (e.g. linearity, or {@link Gemv#wx}'s dot products).
 */
final class GemmTolerance {
  private GemmTolerance() {}

  /** float epsilon (2^-23). */
  static final double EPS = Math.ulp(1f);

  /**
   * Bound for two k-term float sums of products whose absolute values add up to {@code absSum}:
   * each ordering's rounding error is at most about k·eps·absSum (Higham, recursive summation), so
   * twice that plus a little for the final rounding.
   */
  static double dot(int k, double absSum) { return (2.0 * k + 4) * EPS * absSum + Float.MIN_NORMAL; }
}
