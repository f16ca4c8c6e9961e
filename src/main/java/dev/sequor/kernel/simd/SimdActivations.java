package dev.sequor.kernel.simd;

import static dev.sequor.kernel.simd.VectorMath.F;

import dev.sequor.kernel.ref.ScalarMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD element-wise activations; twins of {@link dev.sequor.kernel.ref.RefActivations} with identical
 * results bit for bit (each lane runs the same operations as the scalar code; the tails call
 * {@link ScalarMath}). Arguments are validated by the facade {@link dev.sequor.kernel.Activations}.
 */
public final class SimdActivations {
  private SimdActivations() {}

  private static final int L = F.length();

  // out (n) = exp(x (n)); math/activations.md (1)–(7)
  public static void exp(float[] out, int outOff, float[] x, int xOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) VectorMath.exp(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
    for (; i < n; i++) out[outOff + i] = ScalarMath.exp(x[xOff + i]);
  }

  // out (n) = σ(x (n)); math/activations.md (9)–(10)
  public static void sigmoid(float[] out, int outOff, float[] x, int xOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) VectorMath.sigmoid(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
    for (; i < n; i++) out[outOff + i] = ScalarMath.sigmoid(x[xOff + i]);
  }

  // dx (n) += dy · y(1−y), y = σ(x) saved; math/activations.md (14)
  public static void sigmoidBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector s = FloatVector.fromArray(F, y, yOff + i);
      FloatVector g = FloatVector.fromArray(F, dy, dyOff + i).mul(s);
      g.fma(FloatVector.broadcast(F, 1f).sub(s), FloatVector.fromArray(F, dx, dxOff + i)).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      float s = y[yOff + i];
      dx[dxOff + i] = Math.fma(dy[dyOff + i] * s, 1f - s, dx[dxOff + i]);
    }
  }

  // out (n) = tanh(x (n)); math/activations.md (11)–(13)
  public static void tanh(float[] out, int outOff, float[] x, int xOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) VectorMath.tanh(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
    for (; i < n; i++) out[outOff + i] = ScalarMath.tanh(x[xOff + i]);
  }

  // dx (n) += dy · (1 − y²), y = tanh(x) saved; math/activations.md (15)
  public static void tanhBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector t = FloatVector.fromArray(F, y, yOff + i);
      FloatVector d = t.neg().fma(t, FloatVector.broadcast(F, 1f));
      FloatVector.fromArray(F, dy, dyOff + i).fma(d, FloatVector.fromArray(F, dx, dxOff + i)).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      float t = y[yOff + i];
      dx[dxOff + i] = Math.fma(dy[dyOff + i], Math.fma(-t, t, 1f), dx[dxOff + i]);
    }
  }

  // out (n) = max(x, 0) (NaN stays NaN)
  public static void relu(float[] out, int outOff, float[] x, int xOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector v = FloatVector.fromArray(F, x, xOff + i);
      v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      float v = x[xOff + i];
      out[outOff + i] = v <= 0f ? 0f : v;
    }
  }

  // dx (n) += dy · [y > 0], y = relu(x) saved
  public static void reluBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector d = FloatVector.fromArray(F, dx, dxOff + i);
      FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
      d.add(g, FloatVector.fromArray(F, y, yOff + i).compare(VectorOperators.GT, 0f)).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) if (y[yOff + i] > 0f) dx[dxOff + i] += dy[dyOff + i];
  }

  /** GELU runs in two passes over blocks of this many elements (stage 1 into a scratch block). */
  private static final int GELU_BLOCK = 512;

  /** Per-thread scratch for the Gaussian factor: allocated once per thread, then reused. */
  private static final ThreadLocal<float[]> GAUSS = ThreadLocal.withInitial(() -> new float[GELU_BLOCK]);

  // out (n) = gelu(x), exact erf form; math/gelu.md (1)–(9). Two passes per block, see VectorMath.
  public static void gelu(float[] out, int outOff, float[] x, int xOff, int n) {
    int vn = n - n % L;
    float[] gauss = GAUSS.get();
    for (int b = 0; b < vn; b += GELU_BLOCK) {
      int m = Math.min(GELU_BLOCK, vn - b);
      geluGaussian(gauss, x, xOff + b, m);
      geluFromGaussian(out, outOff + b, x, xOff + b, gauss, m);
    }
    for (int i = vn; i < n; i++) out[outOff + i] = ScalarMath.gelu(x[xOff + i]);
  }

  // gauss (m) = e^{−x²/2}, m a multiple of L
  private static void geluGaussian(float[] gauss, float[] x, int xOff, int m) {
    for (int i = 0; i < m; i += L) VectorMath.geluGaussian(FloatVector.fromArray(F, x, xOff + i)).intoArray(gauss, i);
  }

  private static void geluFromGaussian(float[] out, int outOff, float[] x, int xOff, float[] gauss, int m) {
    for (int i = 0; i < m; i += L)
      VectorMath.gelu(FloatVector.fromArray(F, x, xOff + i), FloatVector.fromArray(F, gauss, i)).intoArray(out, outOff + i);
  }

  // dx (n) += dy · gelu'(x), from the input x; math/gelu.md (10). Two passes per block.
  public static void geluBackward(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, int n) {
    int vn = n - n % L;
    float[] gauss = GAUSS.get();
    for (int b = 0; b < vn; b += GELU_BLOCK) {
      int m = Math.min(GELU_BLOCK, vn - b);
      geluGaussian(gauss, x, xOff + b, m);
      geluGradAccumulate(dx, dxOff + b, x, xOff + b, dy, dyOff + b, gauss, m);
    }
    for (int i = vn; i < n; i++) dx[dxOff + i] = Math.fma(dy[dyOff + i], ScalarMath.geluGrad(x[xOff + i]), dx[dxOff + i]);
  }

  private static void geluGradAccumulate(float[] dx, int dxOff, float[] x, int xOff, float[] dy, int dyOff, float[] gauss, int m) {
    for (int i = 0; i < m; i += L) {
      FloatVector g = VectorMath.geluGrad(FloatVector.fromArray(F, x, xOff + i), FloatVector.fromArray(F, gauss, i));
      FloatVector.fromArray(F, dy, dyOff + i).fma(g, FloatVector.fromArray(F, dx, dxOff + i)).intoArray(dx, dxOff + i);
    }
  }
}
