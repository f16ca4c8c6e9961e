package dev.sequor.train;

import java.util.SplittableRandom;

/**
 * Every random stream of a run derives from (seed, purpose, index) alone, so that any step can be
 * reproduced without replaying the ones before it: that is what makes {@code --resume} exact.
 */
final class Seeds {
  private Seeds() {}

  static final long INIT = 0x1A2B3C4DL, DATA = 0x5E6F7081L, DROPOUT = 0x92A3B4C5L, EVAL = 0xD6E7F809L;

  /** A generator for {@code purpose} at {@code index} of the run seeded with {@code seed}. */
  static SplittableRandom rng(long seed, long purpose, long index) {
    return new SplittableRandom(mix(mix(seed ^ mix(purpose)) + index));
  }

  // SplitMix64's finaliser: decorrelates nearby seeds and indices
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
