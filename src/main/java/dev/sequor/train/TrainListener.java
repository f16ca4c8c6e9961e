package dev.sequor.train;

import dev.sequor.eval.Evaluation;
import java.nio.file.Path;

/** What a running {@link Trainer} reports; every method is optional. The CLI prints from these. */
public interface TrainListener {
  /** Progress after one optimizer step. */
  record Step(
      // steps completed in the run (1-based after the first)
      long step,
      // steps of the whole run
      long steps,
      // the step's mean training loss, nats per character
      double loss,
      // the step's learning rate
      double lr,
      // global gradient norm before clipping
      double gradNorm,
      // training throughput since this session started, tokens (characters) per second
      double tokensPerSecond,
      // seconds spent training in this session
      double elapsedSeconds,
      // estimated seconds to the last step
      double etaSeconds) {}

  /** Called once before the first step. */
  default void started(Trainer trainer) {}

  /** Called after every step; returning false stops the run after this step (nothing extra is saved). */
  default boolean step(Step s) { return true; }

  /** A periodic validation estimate after {@code step} steps. */
  default void validated(long step, double valLoss) {}

  /** A checkpoint (and its sidecar) was written after {@code step} steps. */
  default void saved(long step, Path checkpoint) {}

  /** The final validation on the whole held-out split, after the last step. */
  default void finished(Evaluation validation) {}
}
