package dev.sequor.kernel;

import dev.sequor.kernel.ref.RefActivations;
import dev.sequor.kernel.simd.SimdActivations;

/**
 * Element-wise activations on flat arrays and their backward passes from saved values.
 * Forward: {@code out[i] = f(x[i])}; out may be x itself (same array and offset), but must not
 * overlap it otherwise. Backward <b>accumulates</b>: {@code dx[i] += dy[i] · f'(…)}.
 *
 * <p>The approximations (exp, σ, tanh ≤ 4 ulp over the whole float range with exact saturation; exact
 * erf-based GELU) are derived in {@code math/activations.md} and {@code math/gelu.md}; for use inside
 * fused loops see {@link dev.sequor.kernel.simd.VectorMath} and {@link dev.sequor.kernel.ref.ScalarMath}.
 * SIMD and reference paths ({@link Engine#SCALAR}) give bit-identical results.
 */
public final class Activations {
  private Activations() {}

  // out (n) = exp(x (n)); math/activations.md (1)–(7)
  public static void exp(float[] out, int outOff, float[] x, int xOff, int n) {
    unary(out, outOff, x, xOff, n);
    if (Engine.SCALAR) RefActivations.exp(out, outOff, x, xOff, n);
    else SimdActivations.exp(out, outOff, x, xOff, n);
  }

  // out (n) = σ(x (n)); math/activations.md (9)–(10)
  public static void sigmoid(float[] out, int outOff, float[] x, int xOff, int n) {
    unary(out, outOff, x, xOff, n);
    if (Engine.SCALAR) RefActivations.sigmoid(out, outOff, x, xOff, n);
    else SimdActivations.sigmoid(out, outOff, x, xOff, n);
  }

  // dx (n) += dy · y(1−y), y = σ(x) saved from the forward; math/activations.md (14)
  public static void sigmoidBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    backward(dx, dxOff, "y", y, yOff, dy, dyOff, n);
    if (Engine.SCALAR) RefActivations.sigmoidBackward(dx, dxOff, y, yOff, dy, dyOff, n);
    else SimdActivations.sigmoidBackward(dx, dxOff, y, yOff, dy, dyOff, n);
  }

  // out (n) = tanh(x (n)); math/activations.md (11)–(13)
  public static void tanh(float[] out, int outOff, float[] x, int xOff, int n) {
    unary(out, outOff, x, xOff, n);
    if (Engine.SCALAR) RefActivations.tanh(out, outOff, x, xOff, n);
    else SimdActivations.tanh(out, outOff, x, xOff, n);
  }

  // dx (n) += dy · (1 − y²), y = tanh(x) saved from the forward; math/activations.md (15)
  public static void tanhBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    backward(dx, dxOff, "y", y, yOff, dy, dyOff, n);
    if (Engine.SCALAR) RefActivations.tanhBackward(dx, dxOff, y, yOff, dy, dyOff, n);
    else SimdActivations.tanhBackward(dx, dxOff, y, yOff, dy, dyOff, n);
  }

  // out (n) = max(x, 0); NaN stays NaN
  public static void relu(float[] out, int outOff, float[] x, int xOff, int n) {
    unary(out, outOff, x, xOff, n);
    if (Engine.SCALAR) RefActivations.relu(out, outOff, x, xOff, n);
    else SimdActivations.relu(out, outOff, x, xOff, n);
  }

  // dx (n) += dy · [y > 0], y = relu(x) saved from the forward
  public static void reluBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    backward(dx, dxOff, "y", y, yOff, dy, dyOff, n);
    if (Engine.SCALAR) RefActivations.reluBackward(dx, dxOff, y, yOff, dy, dyOff, n);
    else SimdActivations.reluBackward(dx, dxOff, y, yOff, dy, dyOff, n);
  }

  // out (n) = gelu(x) = x·Φ(x), exact erf form (PyTorch approximate='none'); math/gelu.md (1)–(9)
  public static void gelu(float[] out, int outOff, float[] x, int xOff, int n) {
    unary(out, outOff, x, xOff, n);
    if (Engine.SCALAR) RefActivations.gelu(out, outOff, x, xOff, n);
    else SimdActivations.gelu(out, outOff, x, xOff, n);
  }

  // dx (n) += dy · gelu'(x); GELU's derivative needs the input x, not the output; math/gelu.md (10)
  public static void geluBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
    backward(dx, dxOff, "x", x, xOff, dy, dyOff, n);
    if (Engine.SCALAR) RefActivations.geluBackward(dx, dxOff, x, xOff, dy, dyOff, n);
    else SimdActivations.geluBackward(dx, dxOff, x, xOff, dy, dyOff, n);
  }

  private static void unary(float[] out, int outOff, float[] x, int xOff, int n) {
    Checks.nonNegative("n", n);
    Checks.span("out", out, outOff, n);
    Checks.span("x", x, xOff, n);
  }

  private static void backward(float[] dx, int dxOff, String savedName, float[] saved, int savedOff,
      float[] dy, int dyOff, int n) {
    Checks.nonNegative("n", n);
    Checks.span("dx", dx, dxOff, n);
    Checks.span(savedName, saved, savedOff, n);
    Checks.span("dy", dy, dyOff, n);
  }
}
