package dev.sequor.api;

import dev.sequor.model.ModelFactory;
import dev.sequor.model.Models;
import dev.sequor.train.TrainListener;
import dev.sequor.train.TrainResult;
import dev.sequor.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The library's front door: the same capabilities as the command line, as plain calls that return
 * values and throw exceptions (they never print).
 *
 * <pre>{@code
 * TrainResult run = Sequor.training("lstm", text).configure(c -> c.steps(300)).saveTo(path).run();
 * CharModel model = Sequor.load(path);
 * model.sample("ROMEO:", 200, new SamplingOptions(0.8, 40, 0.95, 42), System.out::print);
 * }</pre>
 */
public final class Sequor {
  private Sequor() {}

  /** Loads a checkpoint (a safetensors file written by Sequor or exported from PyTorch). */
  public static CharModel load(Path checkpoint) throws IOException { return CharModel.load(checkpoint); }

  /** Sets up training a model of {@code arch} ("rnn", "gru", "lstm", "gpt") on {@code text} with the arch's defaults. */
  public static Training training(String arch, String text) { return new Training(arch, text); }

  /** Continues the run saved at {@code checkpoint} exactly where it stopped; {@code text} must be the same. */
  public static TrainResult resume(Path checkpoint, String text, TrainListener listener) throws IOException {
    return resume(checkpoint, text, listener, Models.STANDARD);
  }

  /** As {@link #resume(Path, String, TrainListener)}, for architectures {@code factory} knows. */
  public static TrainResult resume(Path checkpoint, String text, TrainListener listener, ModelFactory factory) throws IOException {
    return Trainer.resume(checkpoint, text, factory).saveTo(checkpoint).run(listener);
  }
}
