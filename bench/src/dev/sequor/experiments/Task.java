package dev.sequor.experiments;

import java.util.SplittableRandom;

/**
 * A synthetic sequence task: fixed-length token sequences with next-token targets, some of whose
 * positions are scored (the ones the task is about; the others are filler the model may or may not
 * predict).
 */
interface Task {
  /** Tokens 0 … vocab−1. */
  int vocab();

  /** Positions per sequence, T. */
  int seq();

  /** Writes one sequence's inputs and targets into {@code in[off, off+T)}, {@code tg[off, off+T)}. */
  void sample(SplittableRandom rng, int[] in, int[] tg, int off);

  /** Whether the prediction at position t counts towards accuracy. */
  boolean scored(int t);
}
