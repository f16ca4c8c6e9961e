package dev.sequor.experiments;

import java.util.SplittableRandom;

/**
 * Delayed recall of a stream: the input is a uniformly random string over {@code symbols} letters and
 * the target at position t is the input at t − d. Positions t ≥ d are scored; for t < d the target is
 * a letter from before the window, which no model can know (every architecture pays the same ln K
 * there). Chance accuracy is 1/symbols. To succeed a model must hold the last d letters at all times:
 * a recurrent model in its state, an attention model by looking back exactly d positions.
 *
 * @param symbols alphabet size K
 * @param delay   d
 * @param seq     window length T (> d)
 */
record DelayTask(int symbols, int delay, int seq) implements Task {
  DelayTask {
    if (delay < 1 || delay >= seq) throw new IllegalArgumentException("delay " + delay + " must be in [1, " + seq + ")");
  }

  @Override public int vocab() { return symbols; }

  @Override
  public void sample(SplittableRandom rng, int[] in, int[] tg, int off) {
    for (int t = 0; t < delay; t++) tg[off + t] = rng.nextInt(symbols);
    for (int t = 0; t < seq; t++) {
      in[off + t] = rng.nextInt(symbols);
      if (t >= delay) tg[off + t] = in[off + t - delay];
    }
  }

  @Override public boolean scored(int t) { return t >= delay; }
}
