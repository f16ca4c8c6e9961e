package dev.sequor.experiments;

import java.util.SplittableRandom;

/**
 * Associative recall. A sequence shows n key–value pairs {@code k1 v1 … kn vn} (distinct keys, random
 * values), a separator, then {@code queries} queries {@code q a}: a key that was shown, followed by
 * its value. The prediction at each query key is scored: it must be that key's value. The pairs are
 * padded at the front to {@code slots} pairs, so every sequence has the same length and the queries
 * the same positions. Layout (tokens): keys 0…K−1, values K…2K−1, separator 2K, padding 2K+1.
 * Chance accuracy is 1/K; a model that remembers only the last pair it saw scores about 1/n + (1 − 1/n)/K.
 *
 * @param keys     K, distinct keys (and values); ≥ maxPairs
 * @param minPairs fewest pairs a sequence shows
 * @param maxPairs most pairs a sequence shows (n is uniform in [minPairs, maxPairs])
 * @param slots    pair slots of the layout (≥ maxPairs); the unused ones are padding
 * @param queries  queries per sequence
 */
record RecallTask(int keys, int minPairs, int maxPairs, int slots, int queries) implements Task {
  RecallTask {
    if (minPairs < 1 || minPairs > maxPairs || maxPairs > slots || maxPairs > keys)
      throw new IllegalArgumentException("pairs must satisfy 1 <= " + minPairs + " <= " + maxPairs + " <= keys " + keys
          + " and slots " + slots);
  }

  /** The same layout with exactly n pairs. */
  RecallTask withPairs(int n) { return new RecallTask(keys, n, n, slots, queries); }

  @Override public int vocab() { return 2 * keys + 2; }

  private int length() { return 2 * slots + 1 + 2 * queries; }

  @Override public int seq() { return length() - 1; }

  @Override
  public void sample(SplittableRandom rng, int[] in, int[] tg, int off) {
    int n = minPairs + rng.nextInt(maxPairs - minPairs + 1);
    int[] seq = new int[length()];
    int[] perm = new int[keys], value = new int[keys];
    for (int i = 0; i < keys; i++) perm[i] = i;
    for (int i = 0; i < n; i++) { // partial Fisher–Yates: n distinct keys
      int j = i + rng.nextInt(keys - i);
      int tmp = perm[i]; perm[i] = perm[j]; perm[j] = tmp;
    }
    int pos = 0;
    for (int i = 0; i < slots - n; i++) { seq[pos++] = 2 * keys + 1; seq[pos++] = 2 * keys + 1; }
    for (int i = 0; i < n; i++) {
      value[perm[i]] = rng.nextInt(keys);
      seq[pos++] = perm[i];
      seq[pos++] = keys + value[perm[i]];
    }
    seq[pos++] = 2 * keys;
    for (int q = 0; q < queries; q++) {
      int k = perm[rng.nextInt(n)];
      seq[pos++] = k;
      seq[pos++] = keys + value[k];
    }
    for (int t = 0; t < seq.length - 1; t++) {
      in[off + t] = seq[t];
      tg[off + t] = seq[t + 1];
    }
  }

  @Override
  public boolean scored(int t) {
    int first = 2 * slots + 1;
    return t >= first && (t - first) % 2 == 0;
  }
}
