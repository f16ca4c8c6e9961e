package dev.sequor.kernel.simd;

import static dev.sequor.kernel.simd.VectorMath.F;

import dev.sequor.kernel.ref.ScalarMath;
import jdk.incubator.vector.FloatVector;

/**
 * GELU and its derivative from one evaluation of the Gaussian factor per block (twin of
 * {@link dev.sequor.kernel.ref.RefGeluWithGrad}), with {@link VectorMath#gelu(FloatVector, FloatVector)}
 * and {@link VectorMath#geluGrad(FloatVector, FloatVector)} themselves, so the outputs equal
 * {@link SimdActivations#gelu} and the factor {@link SimdActivations#geluBackward} applies, bit for
 * bit. math/gelu.md (1)–(10)
 */
public final class SimdGeluWithGrad {
  private SimdGeluWithGrad() {}

  private static final int L = F.length();
  /** Elements per stage: the Gaussian factors of one block stay in L1 (as SimdActivations.gelu). */
  private static final int BLOCK = 512;
  private static final ThreadLocal<float[]> GAUSS = ThreadLocal.withInitial(() -> new float[BLOCK]);

  private static final FloatVector ZERO = FloatVector.zero(F);

  // out (n) = gelu(x), grad (n) = gelu'(x)
  public static void forward(float[] out, int outOff, float[] grad, int gradOff, float[] x, int xOff, int n) {
    int vn = n - n % L;
    float[] gauss = GAUSS.get();
    for (int b = 0; b < vn; b += BLOCK) {
      int m = Math.min(BLOCK, vn - b);
      // one small method per loop, as SimdActivations: each compiled loop stays small
      gaussians(gauss, x, xOff + b, m);
      values(out, outOff + b, x, xOff + b, gauss, m);
      grads(grad, gradOff + b, x, xOff + b, gauss, m);
    }
    for (int i = vn; i < n; i++) {
      float xi = x[xOff + i];
      out[outOff + i] = ScalarMath.gelu(xi);
      grad[gradOff + i] = ScalarMath.geluGrad(xi);
    }
  }

  private static void gaussians(float[] gauss, float[] x, int xOff, int m) {
    for (int i = 0; i < m; i += L) VectorMath.geluGaussian(FloatVector.fromArray(F, x, xOff + i)).intoArray(gauss, i);
  }

  private static void values(float[] out, int outOff, float[] x, int xOff, float[] gauss, int m) {
    for (int i = 0; i < m; i += L)
      VectorMath.gelu(FloatVector.fromArray(F, x, xOff + i), FloatVector.fromArray(F, gauss, i)).intoArray(out, outOff + i);
  }

  private static void grads(float[] grad, int gradOff, float[] x, int xOff, float[] gauss, int m) {
    for (int i = 0; i < m; i += L)
      VectorMath.geluGrad(FloatVector.fromArray(F, x, xOff + i), FloatVector.fromArray(F, gauss, i)).intoArray(grad, gradOff + i);
  }

  // dx (n) = dy ⊙ grad (overwritten), as fma(dy, grad, +0): a zero product is +0, as in
  // SimdActivations.geluBackward accumulating into a zeroed dx
  public static void backward(float[] dx, int dxOff, float[] grad, int gradOff, float[] dy, int dyOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L)
      FloatVector.fromArray(F, dy, dyOff + i).fma(FloatVector.fromArray(F, grad, gradOff + i), ZERO).intoArray(dx, dxOff + i);
    for (; i < n; i++) dx[dxOff + i] = Math.fma(dy[dyOff + i], grad[gradOff + i], 0f);
  }
}
