package dev.sequor.eval;

import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelSpec;

/**
 * Evaluation semantics (public, the CLI's {@code eval}): a model that carries state (rnn, gru,
 * lstm) reads the whole text as one stream from zero state and predicts characters 1…N−1 from
 * 0…N−2; a block model (gpt, context T) reads consecutive non-overlapping blocks, block i taking
 * characters [iT, iT+T) as input and [iT+1, iT+T] as targets, for i = 0 … ⌊(N−1)/T⌋ − 1. The result
 * is the mean natural-log cross-entropy over all predictions, summed in a fixed order.
 */
public final class Evaluator {
  private Evaluator() {}

  /** Stream chunk length: one lossSum call per chunk, state carried between chunks. */
  static final int STREAM_CHUNK = 512;
  /** Blocks per lossSum call for block models. */
  static final int BLOCKS_PER_CALL = 16;

  /** Evaluates {@code model} (described by {@code spec}) on {@code tokens}. */
  public static Evaluation evaluate(LanguageModel model, ModelSpec spec, int[] tokens) {
    int t = spec.blockLength();
    return t > 0 ? blocks(model, tokens, t) : stream(model, tokens);
  }

  private static Evaluation stream(LanguageModel model, int[] tokens) {
    int n = tokens.length;
    if (n < 2) throw new IllegalArgumentException("text of " + n + " characters has nothing to predict (2 or more needed)");
    LanguageModel.Carry carry = model.newCarry(1);
    if (carry == null) throw new IllegalArgumentException(model.arch() + " carries no state; it is evaluated in blocks");
    int[] in = new int[STREAM_CHUNK], tg = new int[STREAM_CHUNK];
    double sum = 0;
    int predictions = n - 1;
    for (int start = 0; start < predictions; start += STREAM_CHUNK) {
      int len = Math.min(STREAM_CHUNK, predictions - start);
      if (len < STREAM_CHUNK) {
        in = new int[len];
        tg = new int[len];
      }
      System.arraycopy(tokens, start, in, 0, len);
      System.arraycopy(tokens, start + 1, tg, 0, len);
      sum += model.lossSum(in, tg, 1, len, carry);
    }
    return Evaluation.of(sum, predictions);
  }

  private static Evaluation blocks(LanguageModel model, int[] tokens, int t) {
    int n = tokens.length;
    int blocks = (n - 1) / t;
    if (blocks < 1)
      throw new IllegalArgumentException("text of " + n + " characters is shorter than one block of " + t + " + 1 characters");
    double sum = 0;
    int[] in = new int[Math.min(blocks, BLOCKS_PER_CALL) * t], tg = new int[in.length];
    for (int b0 = 0; b0 < blocks; b0 += BLOCKS_PER_CALL) {
      int nb = Math.min(BLOCKS_PER_CALL, blocks - b0);
      if (nb * t != in.length) {
        in = new int[nb * t];
        tg = new int[nb * t];
      }
      for (int b = 0; b < nb; b++) {
        System.arraycopy(tokens, (b0 + b) * t, in, b * t, t);
        System.arraycopy(tokens, (b0 + b) * t + 1, tg, b * t, t);
      }
      sum += model.lossSum(in, tg, nb, t, null);
    }
    return Evaluation.of(sum, (long) blocks * t);
  }
}
