package dev.sequor.kernel;

import dev.sequor.kernel.ref.DoubleMath;

/**
 * Every numeric tolerance of the element-wise kernel tests, in one place, with the reason for each.
 * Error bounds of the float approximations are measured against double-precision references in ulps
 * of the float result ({@link DoubleMath#ulpError}).
 */
final class Tolerances {
  private Tolerances() {}

  /** One unit of float round-off, 2^−24. */
  static final double U = 0x1p-24;

  /** The target for exp, σ and tanh over the whole float range (math/activations.md (8)). */
  static final double EXP_SIGMOID_TANH_ULPS = 4;
  /** erf: the measured maximum (about 2.3 ulp) with margin (math/gelu.md (13)). */
  static final double ERF_ULPS = 4;
  /** GELU: the measured maximum (about 5 ulp on the negative tail) with margin (math/gelu.md (13)). */
  static final double GELU_ULPS = 6;
  /** GELU': where |x| ≤ 13 (the derivative is then above 1e-36); measured max in math/gelu.md (13). */
  static final double GELU_GRAD_ULPS = 16;

  /** The error of y in ulps of the float format at the exact value ref. */
  static double ulps(float y, double ref) { return DoubleMath.ulpError(y, ref); }

  /**
   * Relative tolerance of a float sum of n terms against the exact sum, relative to Σ|terms|: the
   * classical bound γ_n ≈ n·u for recursive summation, which also covers lane-wise partial sums.
   */
  static double forSum(int n) { return (n + 2) * U; }

  /**
   * Tolerance for one softmax probability p of a row of n: the row sum's relative error forSum(n),
   * plus a few roundings of the exponential and the scaling (absolute, since p ≤ 1).
   */
  static double softmaxProb(int n, double p) { return (forSum(n) + 8 * U) * Math.max(p, U); }

  /**
   * Finite-difference gradient checks: central differences of a double-precision reference, step h,
   * compared with the float kernel's gradient: float round-off in the kernel (relative ~1e-6 of the
   * gradient's scale) dominates the O(h²) truncation error.
   */
  static double gradient(double scale) { return 2e-4 * Math.max(scale, 1e-3); }
}
