package dev.sequor.kernel.ref;

/**
 * Scalar reference twins of {@link dev.sequor.kernel.simd.SimdActivations}: plain loops over
 * {@link ScalarMath}, the same operations per element, hence bit-identical results.
 */
public final class RefActivations {
  private RefActivations() {}

  public static void exp(float[] out, int outOff, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) out[outOff + i] = ScalarMath.exp(x[xOff + i]);
  }

  public static void sigmoid(float[] out, int outOff, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) out[outOff + i] = ScalarMath.sigmoid(x[xOff + i]);
  }

  // dx += dy·y(1−y); math/activations.md (14)
  public static void sigmoidBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    for (int i = 0; i < n; i++) {
      float s = y[yOff + i];
      dx[dxOff + i] = Math.fma(dy[dyOff + i] * s, 1f - s, dx[dxOff + i]);
    }
  }

  public static void tanh(float[] out, int outOff, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) out[outOff + i] = ScalarMath.tanh(x[xOff + i]);
  }

  // dx += dy·(1 − y²); math/activations.md (15)
  public static void tanhBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    for (int i = 0; i < n; i++) {
      float t = y[yOff + i];
      dx[dxOff + i] = Math.fma(dy[dyOff + i], Math.fma(-t, t, 1f), dx[dxOff + i]);
    }
  }

  public static void relu(float[] out, int outOff, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      out[outOff + i] = v <= 0f ? 0f : v;
    }
  }

  public static void reluBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    for (int i = 0; i < n; i++) if (y[yOff + i] > 0f) dx[dxOff + i] += dy[dyOff + i];
  }

  public static void gelu(float[] out, int outOff, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) out[outOff + i] = ScalarMath.gelu(x[xOff + i]);
  }

  public static void geluBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
    for (int i = 0; i < n; i++) dx[dxOff + i] = Math.fma(dy[dyOff + i], ScalarMath.geluGrad(x[xOff + i]), dx[dxOff + i]);
  }
}
