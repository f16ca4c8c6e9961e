package dev.sequor.model;

import dev.sequor.tensor.ParamStore;
import java.util.SplittableRandom;

/**
 * A next-token model over a vocabulary of {@link #vocabSize()} tokens: what training, evaluation,
 * sampling and checkpoints see of every architecture ("rnn", "gru", "lstm", "gpt").
 *
 * <p>Token batches are row-major (batch, seq) int arrays: {@code inputs[b*seq + t]} predicts
 * {@code targets[b*seq + t]}.
 */
public interface LanguageModel {
  /** "rnn", "gru", "lstm" or "gpt": the checkpoint's {@code arch}. */
  String arch();

  int vocabSize();

  /** Parameters under their checkpoint names and shapes. */
  ParamStore params();

  /** The checkpoint's {@code config} JSON object, e.g. {@code {"embed":64,"hidden":128,"layers":2}}. */
  String configJson();

  /**
   * State carried between consecutive windows of the same B streams (truncated BPTT), or null when
   * the architecture carries none (GPT). Passing null to the methods below starts from zero state.
   */
  default Carry newCarry(int batch) { return null; }

  /**
   * Training step on (batch, seq) windows: forward, then backward of the mean cross-entropy over all
   * batch·seq predictions, <b>accumulating</b> into {@code params().grad}. Dropout (if configured)
   * draws from {@code rng}; a null rng disables dropout. If {@code carry} is non-null, the windows
   * continue from its state and it is updated to the state after them (gradients do not flow into
   * it). Returns the mean loss in nats.
   */
  double forwardBackward(int[] inputs, int[] targets, int batch, int seq, Carry carry, SplittableRandom rng);

  /** Sum of cross-entropy (nats) over all batch·seq predictions, no gradient, no dropout. */
  double lossSum(int[] inputs, int[] targets, int batch, int seq, Carry carry);

  /** A new generation stream starting from an empty context (zero state / empty cache). */
  TokenStream openStream();

  /** Opaque carried state; see {@link #newCarry}. */
  interface Carry {}
}
