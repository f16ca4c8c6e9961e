package dev.sequor.kernel;

import java.util.SplittableRandom;

/** Shapes and random data shared by the element-wise kernel tests. */
final class Fixtures {
  private Fixtures() {}

  /** Lanes of the engine's float species on this machine (16 with AVX-512). */
  static final int L = dev.sequor.kernel.simd.VectorMath.F.length();

  /** The sizes {1, L−1, L, L+1, 2L+1, 207, 1024}. */
  static int[] sizes() { return new int[] {1, L - 1, L, L + 1, 2 * L + 1, 207, 1024}; }

  /** Gaussian values times scale. */
  static float[] gaussian(SplittableRandom rnd, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextGaussian() * scale);
    return a;
  }

  /**
   * Inputs covering every region of the activations: special values, saturation boundaries, and
   * uniformly spread logs of magnitudes from 1e-40 to 1e38 of both signs.
   */
  static float[] wideRange(SplittableRandom rnd, int n) {
    float[] specials = {0f, -0f, 1e-30f, -1e-30f, 1e-40f, -1e-40f, 1f, -1f, 88f, -88f, 88.72283f, 88.72284f,
        -87.33654f, -87.33655f, 9.01f, -9.01f, 17.33f, -17.33f, 13.5f, -13.5f, 1e30f, -1e30f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      if (i < specials.length) a[i] = specials[i];
      else if (i % 3 == 0) a[i] = (float) (rnd.nextGaussian() * 10);
      else a[i] = (float) ((rnd.nextBoolean() ? 1 : -1) * Math.pow(10, rnd.nextDouble(-40, 38.5)));
    }
    return a;
  }

  /** Copies with a leading offset of pad elements (tests offsets, and that nothing outside is touched). */
  static float[] padded(float[] a, int pad, float fill) {
    float[] b = new float[a.length + 2 * pad];
    java.util.Arrays.fill(b, fill);
    System.arraycopy(a, 0, b, pad, a.length);
    return b;
  }
}
