package dev.sequor.kernel.ref;

/** Scalar twin of {@link dev.sequor.kernel.simd.SimdGeluWithGrad}: the same functions element by element. math/gelu.md */
public final class RefGeluWithGrad {
  private RefGeluWithGrad() {}

  public static void forward(float[] out, int outOff, float[] grad, int gradOff, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) {
      float xi = x[xOff + i], gauss = ScalarMath.geluGaussian(xi);
      out[outOff + i] = ScalarMath.gelu(xi, gauss);
      grad[gradOff + i] = ScalarMath.geluGrad(xi, gauss);
    }
  }

  public static void backward(float[] dx, int dxOff, float[] grad, int gradOff, float[] dy, int dyOff, int n) {
    for (int i = 0; i < n; i++) dx[dxOff + i] = Math.fma(dy[dyOff + i], grad[gradOff + i], 0f); // +0 for a zero product
  }
}
