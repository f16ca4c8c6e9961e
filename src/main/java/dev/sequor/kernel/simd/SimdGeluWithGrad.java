package dev.sequor.kernel.simd;

import static dev.sequor.kernel.simd.VectorMath.F;

import dev.sequor.kernel.ref.ScalarMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * GELU and its derivative in one pass (twin of {@link dev.sequor.kernel.ref.RefGeluWithGrad}): the
 * Gaussian factor and the Mills-ratio polynomial are computed once for both. The operations are
 * those of {@link VectorMath#gelu(FloatVector, FloatVector)} and
 * {@link VectorMath#geluGrad(FloatVector, FloatVector)}, so the outputs equal
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
  private static final FloatVector ONE = FloatVector.broadcast(F, 1f);
  private static final FloatVector V_K = FloatVector.broadcast(F, VectorMath.GELU_K);
  private static final FloatVector V_G0 = FloatVector.broadcast(F, VectorMath.G0);
  private static final FloatVector V_G1 = FloatVector.broadcast(F, VectorMath.G1);
  private static final FloatVector V_G2 = FloatVector.broadcast(F, VectorMath.G2);
  private static final FloatVector V_G3 = FloatVector.broadcast(F, VectorMath.G3);
  private static final FloatVector V_G4 = FloatVector.broadcast(F, VectorMath.G4);
  private static final FloatVector V_G5 = FloatVector.broadcast(F, VectorMath.G5);
  private static final FloatVector V_G6 = FloatVector.broadcast(F, VectorMath.G6);
  private static final FloatVector V_G7 = FloatVector.broadcast(F, VectorMath.G7);
  private static final FloatVector V_G8 = FloatVector.broadcast(F, VectorMath.G8);
  private static final FloatVector V_G9 = FloatVector.broadcast(F, VectorMath.G9);
  private static final FloatVector V_GELU_CLAMP = FloatVector.broadcast(F, VectorMath.GELU_CLAMP);
  private static final FloatVector V_NEG_GELU_CLAMP = FloatVector.broadcast(F, -VectorMath.GELU_CLAMP);
  private static final FloatVector V_INV_SQRT_2PI = FloatVector.broadcast(F, VectorMath.INV_SQRT_2PI);
  private static final FloatVector V_MIN_NORMAL = FloatVector.broadcast(F, VectorMath.MIN_NORMAL);

  // out (n) = gelu(x), grad (n) = gelu'(x)
  public static void forward(float[] out, int outOff, float[] grad, int gradOff, float[] x, int xOff, int n) {
    int vn = n - n % L;
    float[] gauss = GAUSS.get();
    for (int b = 0; b < vn; b += BLOCK) {
      int m = Math.min(BLOCK, vn - b);
      for (int i = 0; i < m; i += L) VectorMath.geluGaussian(FloatVector.fromArray(F, x, xOff + b + i)).intoArray(gauss, i);
      for (int i = 0; i < m; i += L) both(out, outOff + b + i, grad, gradOff + b + i, FloatVector.fromArray(F, x, xOff + b + i),
          FloatVector.fromArray(F, gauss, i));
    }
    for (int i = vn; i < n; i++) {
      float xi = x[xOff + i];
      out[outOff + i] = ScalarMath.gelu(xi);
      grad[gradOff + i] = ScalarMath.geluGrad(xi);
    }
  }

  private static void both(float[] out, int o, float[] grad, int go, FloatVector x, FloatVector gauss) {
    FloatVector xc = x.max(V_NEG_GELU_CLAMP).min(V_GELU_CLAMP);
    FloatVector a = xc.abs();
    FloatVector r = ONE.div(a.add(V_K));                                         // gelu.md (5)–(6)
    FloatVector u = a.sub(V_K).mul(r);
    FloatVector g = u.fma(V_G9, V_G8);
    g = g.fma(u, V_G7);
    g = g.fma(u, V_G6);
    g = g.fma(u, V_G5);
    g = g.fma(u, V_G4);
    g = g.fma(u, V_G3);
    g = g.fma(u, V_G2);
    g = g.fma(u, V_G1);
    g = g.fma(u, V_G0);
    FloatVector m = g.mul(r);
    // gelu (8)–(9)
    FloatVector tail = xc.mul(m).mul(gauss);
    FloatVector y = xc.sub(tail).blend(tail, xc.compare(VectorOperators.LE, ZERO));
    y = y.blend(x, x.compare(VectorOperators.GT, V_GELU_CLAMP));
    y.lanewise(VectorOperators.MUL, ZERO, y.abs().compare(VectorOperators.LT, V_MIN_NORMAL)).intoArray(out, o);
    // gelu' (10)
    FloatVector v = xc.mul(V_INV_SQRT_2PI);
    var neg = xc.compare(VectorOperators.LT, ZERO);
    FloatVector base = ONE.blend(ZERO, neg);
    FloatVector d = gauss.fma(v.sub(m).blend(v.add(m), neg), base);
    d = d.blend(base, x.abs().compare(VectorOperators.GT, V_GELU_CLAMP));
    d.blend(ZERO, d.abs().compare(VectorOperators.LT, V_MIN_NORMAL)).intoArray(grad, go);
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
