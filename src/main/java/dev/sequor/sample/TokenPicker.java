package dev.sequor.sample;

import java.util.SplittableRandom;

/**
 * Draws a token from logits: temperature, then top-k, then top-p (nucleus) truncation, then one
 * uniform draw over the kept tokens in decreasing probability (ties by token index). Workspaces are
 * sized once per vocabulary; no allocation per token.
 */
public final class TokenPicker {
  private final SamplingOptions opts;
  private final SplittableRandom rng;
  private final double[] prob;
  private final int[] order;

  public TokenPicker(int vocab, SamplingOptions opts) {
    this.opts = opts;
    this.rng = new SplittableRandom(opts.seed());
    this.prob = new double[vocab];
    this.order = new int[vocab];
  }

  /** The next token for {@code logits} (vocab). */
  public int pick(float[] logits) {
    int v = prob.length;
    if (opts.temperature() == 0) return argmax(logits);
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < v; i++) max = Math.max(max, logits[i] / opts.temperature());
    if (!Double.isFinite(max)) throw new IllegalStateException("model produced non-finite logits");
    double sum = 0;
    for (int i = 0; i < v; i++) {
      prob[i] = Math.exp(logits[i] / opts.temperature() - max);
      sum += prob[i];
    }
    for (int i = 0; i < v; i++) {
      prob[i] /= sum;
      order[i] = i;
    }
    sortByProbability(v);
    int kept = opts.topK() > 0 ? Math.min(opts.topK(), v) : v;
    if (opts.topP() < 1) {
      double cum = 0;
      for (int i = 0; i < kept; i++) {
        cum += prob[order[i]];
        if (cum >= opts.topP()) {
          kept = i + 1;
          break;
        }
      }
    }
    double total = 0;
    for (int i = 0; i < kept; i++) total += prob[order[i]];
    double u = rng.nextDouble() * total;
    double acc = 0;
    for (int i = 0; i < kept; i++) {
      acc += prob[order[i]];
      if (u < acc) return order[i];
    }
    return order[kept - 1];
  }

  private static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
    return best;
  }

  // insertion sort of order[0..v) by decreasing prob, ties by index: vocabularies are small
  private void sortByProbability(int v) {
    for (int i = 1; i < v; i++) {
      int x = order[i];
      double px = prob[x];
      int j = i - 1;
      while (j >= 0 && (prob[order[j]] < px || (prob[order[j]] == px && order[j] > x))) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }
  }
}
