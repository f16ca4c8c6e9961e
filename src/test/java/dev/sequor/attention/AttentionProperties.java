package dev.sequor.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequor.transformer.Compare;
import dev.sequor.transformer.GradCheck;
import dev.sequor.transformer.Tolerances;
import java.util.SplittableRandom;
import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;

/** jqwik properties of scaled dot-product attention. */
class AttentionProperties {
  record Problem(int t, int s, int hd, float[] q, float[] k, float[] v) {}

  private static Problem problem(long seed, int t, int s, int hd, double scale) {
    SplittableRandom rng = new SplittableRandom(seed);
    return new Problem(t, s, hd, GradCheck.random(rng, t * hd, scale), GradCheck.random(rng, s * hd, scale), GradCheck.random(rng, s * hd, 1));
  }

  private static float[] run(Problem p, float[] probs, boolean causal, boolean[] pad) {
    float[] y = new float[p.t() * p.hd()];
    ScaledDotProductAttention.forward(y, 0, p.hd(), probs, 0, null, 0, null, 0, p.q(), 0, p.hd(), p.k(), 0, p.hd(),
        p.v(), 0, p.hd(), causal, causal ? p.s() - p.t() : 0, pad, 0, p.t(), p.s(), p.hd());
    return y;
  }

  @Property(tries = 60)
  void rowsAreNonNegativeAndSumToOne(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int t,
      @ForAll @IntRange(min = 0, max = 6) int extraKeys, @ForAll @IntRange(min = 1, max = 9) int hd,
      @ForAll boolean causal, @ForAll boolean padded) {
    int s = t + extraKeys;
    Problem p = problem(seed, t, s, hd, 4);
    boolean[] pad = null;
    if (padded) { // pad some keys but never the first, so no row is fully masked
      SplittableRandom rng = new SplittableRandom(seed ^ 0x55);
      pad = new boolean[s];
      for (int j = 1; j < s; j++) pad[j] = rng.nextInt(3) == 0;
    }
    float[] probs = new float[t * s];
    run(p, probs, causal, pad);
    for (int r = 0; r < t; r++) {
      double sum = 0;
      for (int j = 0; j < s; j++) {
        float w = probs[r * s + j];
        assertTrue(w >= 0f, "weight " + w + " at (" + r + ", " + j + ")");
        boolean masked = (causal && j > s - t + r) || (pad != null && pad[j]);
        if (masked) assertEquals(0f, w, "masked key must get exactly zero weight");
        sum += w;
      }
      assertEquals(1.0, sum, Tolerances.ROW_SUM_ABS, "row " + r + " sums to 1");
    }
  }

  @Property(tries = 60)
  void causalOutputsIgnoreLaterPositionsBitForBit(@ForAll long seed, @ForAll @IntRange(min = 2, max = 10) int t,
      @ForAll @IntRange(min = 1, max = 8) int hd, @ForAll @IntRange(min = 0, max = 20) int cutSeed) {
    Problem p = problem(seed, t, t, hd, 3);
    int cut = cutSeed % (t - 1); // positions > cut are perturbed
    float[] before = run(p, new float[t * t], true, null);
    SplittableRandom rng = new SplittableRandom(seed + 1);
    for (int r = cut + 1; r < t; r++)
      for (int j = 0; j < hd; j++) {
        p.q()[r * hd + j] += (float) rng.nextGaussian();
        p.k()[r * hd + j] += (float) rng.nextGaussian();
        p.v()[r * hd + j] += (float) rng.nextGaussian();
      }
    float[] after = run(p, new float[t * t], true, null);
    Compare.identical("outputs at positions <= " + cut, java.util.Arrays.copyOf(after, (cut + 1) * hd),
        java.util.Arrays.copyOf(before, (cut + 1) * hd), (cut + 1) * hd);
  }

  @Property(tries = 60)
  void permutingKeysAndValuesTogetherChangesNothing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int t,
      @ForAll @IntRange(min = 1, max = 10) int s, @ForAll @IntRange(min = 1, max = 8) int hd) {
    Problem p = problem(seed, t, s, hd, 3);
    float[] y = run(p, new float[t * s], false, null);
    int[] perm = new int[s];
    for (int j = 0; j < s; j++) perm[j] = j;
    SplittableRandom rng = new SplittableRandom(seed * 3);
    for (int j = s - 1; j > 0; j--) { int o = rng.nextInt(j + 1); int x = perm[j]; perm[j] = perm[o]; perm[o] = x; }
    float[] k2 = new float[s * hd], v2 = new float[s * hd];
    for (int j = 0; j < s; j++) {
      System.arraycopy(p.k(), perm[j] * hd, k2, j * hd, hd);
      System.arraycopy(p.v(), perm[j] * hd, v2, j * hd, hd);
    }
    float[] y2 = run(new Problem(t, s, hd, p.q(), k2, v2), new float[t * s], false, null);
    Compare.close("permuted attention", y2, 0, y, 0, y.length, Tolerances.PERMUTATION_ABS, Tolerances.PERMUTATION_REL);
  }
}
