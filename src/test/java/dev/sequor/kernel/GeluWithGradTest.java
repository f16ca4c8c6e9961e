package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sequor.kernel.ref.RefGeluWithGrad;
import dev.sequor.kernel.simd.SimdGeluWithGrad;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GELU with its saved derivative equals {@link Activations#gelu} and the factor of
 * {@link Activations#geluBackward} bit for bit (so training through it changes no result), on both
 * paths, over ordinary values, the clamps, tiny values, signed zeros and infinities.
 */
class GeluWithGradTest {
  @Test
  void equalsTheActivationsBitForBit() {
    SplittableRandom rng = new SplittableRandom(17);
    float[] special = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, 13.2f, -13.2f, 13.3f, -13.3f, 40f, -40f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.875f, -0.875f, 3f, -3f};
    for (int n : new int[] {1, 15, 16, 17, 513, 1500}) {
      float[] x = new float[n];
      for (int i = 0; i < n; i++) x[i] = i < special.length && n > special.length ? special[i] : (float) (rng.nextGaussian() * 4);
      float[] dy = new float[n];
      for (int i = 0; i < n; i++) dy[i] = (float) rng.nextGaussian();
      float[] ge = new float[n], dx = new float[n];
      Activations.gelu(ge, 0, x, 0, n);
      Activations.geluBackward(dx, 0, x, 0, dy, 0, n);
      float[] out = new float[n], grad = new float[n], dx2 = new float[n], out2 = new float[n], grad2 = new float[n];
      GeluWithGrad.forward(out, 0, grad, 0, x, 0, n);
      GeluWithGrad.backward(dx2, 0, grad, 0, dy, 0, n);
      SimdGeluWithGrad.forward(out2, 0, grad2, 0, x, 0, n);
      float[] ref = new float[n], refGrad = new float[n];
      RefGeluWithGrad.forward(ref, 0, refGrad, 0, x, 0, n);
      for (int i = 0; i < n; i++) {
        String at = "n=" + n + " x=" + x[i];
        assertEquals(Float.floatToRawIntBits(ge[i]), Float.floatToRawIntBits(out[i]), "gelu " + at);
        assertEquals(Float.floatToRawIntBits(dx[i]), Float.floatToRawIntBits(dx2[i]), "dx " + at);
        assertEquals(Float.floatToRawIntBits(ref[i]), Float.floatToRawIntBits(out2[i]), "simd vs scalar gelu " + at);
        assertEquals(Float.floatToRawIntBits(refGrad[i]), Float.floatToRawIntBits(grad2[i]), "simd vs scalar grad " + at);
      }
    }
  }

  @Test
  void spansAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> GeluWithGrad.forward(new float[4], 0, new float[3], 0, new float[4], 0, 4));
    assertThrows(IllegalArgumentException.class, () -> GeluWithGrad.backward(new float[4], 0, new float[4], 1, new float[4], 0, 4));
  }
}
