package dev.sequor.kernel;

import dev.sequor.kernel.ref.RefGeluWithGrad;
import dev.sequor.kernel.simd.SimdGeluWithGrad;

/**
 * Exact (erf) GELU for training: the forward also saves the derivative gelu'(x), sharing the work
 * both need (the Gaussian factor and the Mills-ratio polynomial, math/gelu.md), so the backward is
 * one product instead of a second evaluation. Values are bit-identical to {@link Activations#gelu}
 * and to the factor {@link Activations#geluBackward} applies; SIMD and scalar paths agree bit for bit.
 */
public final class GeluWithGrad {
  private GeluWithGrad() {}

  // out (n) = gelu(x), grad (n) = gelu'(x); math/gelu.md (1)–(10)
  public static void forward(float[] out, int outOff, float[] grad, int gradOff, float[] x, int xOff, int n) {
    Checks.nonNegative("n", n);
    Checks.span("out", out, outOff, n);
    Checks.span("grad", grad, gradOff, n);
    Checks.span("x", x, xOff, n);
    if (Engine.SCALAR) RefGeluWithGrad.forward(out, outOff, grad, gradOff, x, xOff, n);
    else SimdGeluWithGrad.forward(out, outOff, grad, gradOff, x, xOff, n);
  }

  // dx (n) = dy ⊙ grad, OVERWRITING dx (unlike Activations' backward passes, which accumulate)
  public static void backward(float[] dx, int dxOff, float[] grad, int gradOff, float[] dy, int dyOff, int n) {
    Checks.nonNegative("n", n);
    Checks.span("dx", dx, dxOff, n);
    Checks.span("grad", grad, gradOff, n);
    Checks.span("dy", dy, dyOff, n);
    if (Engine.SCALAR) RefGeluWithGrad.backward(dx, dxOff, grad, gradOff, dy, dyOff, n);
    else SimdGeluWithGrad.backward(dx, dxOff, grad, gradOff, dy, dyOff, n);
  }
}
