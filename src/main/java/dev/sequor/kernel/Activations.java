package dev.sequor.kernel;

import dev.sequor.kernel.ref.ScalarMath;

/**
 * Element-wise activations on flat arrays and their backward passes from saved values.
 * Forward: {@code out[i] = f(x[i])} (out may alias x). Backward <b>accumulates</b>:
 * {@code dx[i] += dy[i] · f'(…)}. PLACEHOLDER: scalar loops until the SIMD kernels land.
 */
public final class Activations {
  private Activations() {}

  // out (n) = exp(x (n))
  public static void exp(float[] out, int outOff, float[] x, int xOff, int n) {
    Checks.span("out", out, outOff, n);
    Checks.span("x", x, xOff, n);
    for (int i = 0; i < n; i++) out[outOff + i] = ScalarMath.exp(x[xOff + i]);
  }

  // out (n) = σ(x (n))
  public static void sigmoid(float[] out, int outOff, float[] x, int xOff, int n) {
    Checks.span("out", out, outOff, n);
    Checks.span("x", x, xOff, n);
    for (int i = 0; i < n; i++) out[outOff + i] = ScalarMath.sigmoid(x[xOff + i]);
  }

  // dx (n) += dy · y(1−y), y = σ(x) saved from the forward
  public static void sigmoidBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    Checks.span("dx", dx, dxOff, n);
    Checks.span("y", y, yOff, n);
    Checks.span("dy", dy, dyOff, n);
    for (int i = 0; i < n; i++) {
      float s = y[yOff + i];
      dx[dxOff + i] += dy[dyOff + i] * s * (1f - s);
    }
  }

  // out (n) = tanh(x (n))
  public static void tanh(float[] out, int outOff, float[] x, int xOff, int n) {
    Checks.span("out", out, outOff, n);
    Checks.span("x", x, xOff, n);
    for (int i = 0; i < n; i++) out[outOff + i] = ScalarMath.tanh(x[xOff + i]);
  }

  // dx (n) += dy · (1 − y²), y = tanh(x) saved from the forward
  public static void tanhBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    Checks.span("dx", dx, dxOff, n);
    Checks.span("y", y, yOff, n);
    Checks.span("dy", dy, dyOff, n);
    for (int i = 0; i < n; i++) {
      float t = y[yOff + i];
      dx[dxOff + i] += dy[dyOff + i] * (1f - t * t);
    }
  }

  // out (n) = max(x, 0)
  public static void relu(float[] out, int outOff, float[] x, int xOff, int n) {
    Checks.span("out", out, outOff, n);
    Checks.span("x", x, xOff, n);
    for (int i = 0; i < n; i++) out[outOff + i] = Math.max(x[xOff + i], 0f);
  }

  // dx (n) += dy · [y > 0], y = relu(x) saved from the forward
  public static void reluBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    Checks.span("dx", dx, dxOff, n);
    Checks.span("y", y, yOff, n);
    Checks.span("dy", dy, dyOff, n);
    for (int i = 0; i < n; i++) if (y[yOff + i] > 0f) dx[dxOff + i] += dy[dyOff + i];
  }

  // out (n) = gelu(x), exact erf form
  public static void gelu(float[] out, int outOff, float[] x, int xOff, int n) {
    Checks.span("out", out, outOff, n);
    Checks.span("x", x, xOff, n);
    for (int i = 0; i < n; i++) out[outOff + i] = ScalarMath.gelu(x[xOff + i]);
  }

  // dx (n) += dy · gelu'(x); GELU's derivative needs the input x, not the output
  public static void geluBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
    Checks.span("dx", dx, dxOff, n);
    Checks.span("x", x, xOff, n);
    Checks.span("dy", dy, dyOff, n);
    for (int i = 0; i < n; i++) dx[dxOff + i] += dy[dyOff + i] * ScalarMath.geluGrad(x[xOff + i]);
  }
}
