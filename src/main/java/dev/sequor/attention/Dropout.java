package dev.sequor.attention;

import java.util.SplittableRandom;

/**
 * Inverted dropout as {@code nn.Dropout} in training: each element is zeroed with probability p and
 * the survivors scaled by 1/(1−p), so the expectation is unchanged and evaluation is the identity.
 * The mask (0 or 1/(1−p) per element) is kept for the backward pass, which is the same product.
 */
public final class Dropout {
  private Dropout() {}

  // mask (n) = 0 with probability p, else 1/(1−p)
  public static void fillMask(float[] mask, int off, int n, float p, SplittableRandom rng) {
    if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
    float keep = 1f / (1f - p);
    for (int i = 0; i < n; i++) mask[off + i] = rng.nextFloat() < p ? 0f : keep;
  }

  // x (n) *= mask (n); the forward and, on gradients, the backward
  public static void apply(float[] x, int xOff, float[] mask, int mOff, int n) {
    for (int i = 0; i < n; i++) x[xOff + i] *= mask[mOff + i];
  }
}
