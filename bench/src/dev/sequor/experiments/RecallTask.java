package dev.sequor.experiments;

import java.util.SplittableRandom;

/**
 * Associative recall. A sequence shows n key–value pairs (distinct keys, random values), each pair as
 * one token, then a separator, then {@code queries} queries {@code q a}: a key token whose next token
 * must be that key's value. The prediction at each query key is scored. The pairs are padded at the
 * front to {@code slots}, so every sequence has the same length and the queries the same positions.
 *
 * <p>One token per pair makes retrieval a single lookup — find the pair whose key matches the query —
 * which one attention layer can do; with key and value as separate tokens an attention model also
 * has to learn to link each value to the key before it (an "induction head", Olsson et al. 2022), a
 * second mechanism that small models pick up only after long training. A recurrent model has to
 * hold all n associations in its state either way.
 *
 * <p>Tokens: query keys 0…K−1, pairs K + k·K + v, values K + K² + v, separator K + K² + K, padding
 * one more. Chance accuracy is 1/K; a model that remembers only the last pair scores about
 * 1/n + (1 − 1/n)/K.
 *
 * @param keys     K, distinct keys and values; ≥ maxPairs
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

  @Override public int vocab() { return keys + keys * keys + keys + 2; }

  private int separator() { return keys + keys * keys + keys; }

  private int length() { return slots + 1 + 2 * queries; }

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
    for (int i = 0; i < slots - n; i++) seq[pos++] = separator() + 1;
    for (int i = 0; i < n; i++) {
      value[perm[i]] = rng.nextInt(keys);
      seq[pos++] = keys + perm[i] * keys + value[perm[i]];
    }
    seq[pos++] = separator();
    for (int q = 0; q < queries; q++) {
      int k = perm[rng.nextInt(n)];
      seq[pos++] = k;
      seq[pos++] = keys + keys * keys + value[k];
    }
    for (int t = 0; t < seq.length - 1; t++) {
      in[off + t] = seq[t];
      tg[off + t] = seq[t + 1];
    }
  }

  @Override
  public boolean scored(int t) { return t > slots && (t - slots - 1) % 2 == 0; }
}
