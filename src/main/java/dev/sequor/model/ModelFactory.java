package dev.sequor.model;

import java.util.SplittableRandom;

/**
 * Turns a checkpoint's {@code arch} + {@code config} into a model: the one seam between the
 * architecture-neutral code (checkpoints, training, evaluation, sampling) and the architectures.
 * {@link Models#STANDARD} knows rnn, gru, lstm and gpt.
 */
public interface ModelFactory {
  /**
   * Validates {@code arch} and its config JSON object (unknown extra fields ignored); throws
   * IllegalArgumentException naming an unknown arch, every missing required field, or a bad value.
   */
  ModelSpec parse(String arch, String configJson);

  /**
   * A new model for {@code spec} over {@code vocabSize} tokens, training with {@code dropout}.
   * With a non-null {@code init} the weights are initialised from it (the architecture's recipe);
   * with null they are left for a checkpoint to fill.
   */
  LanguageModel create(ModelSpec spec, int vocabSize, float dropout, SplittableRandom init);
}
