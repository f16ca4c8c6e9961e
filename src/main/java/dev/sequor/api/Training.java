package dev.sequor.api;

import dev.sequor.model.ModelFactory;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.Models;
import dev.sequor.train.Recipes;
import dev.sequor.train.TextData;
import dev.sequor.train.TrainConfig;
import dev.sequor.train.TrainListener;
import dev.sequor.train.TrainResult;
import dev.sequor.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A training run being set up: starts from the architecture's defaults ({@link Recipes}); change
 * the model's sizes with {@link #model}, the training settings with {@link #configure}, then
 * {@link #run()}.
 */
public final class Training {
  private final String text;
  private ModelSpec spec;
  private TrainConfig config;
  private ModelFactory factory = Models.STANDARD;
  private Path saveTo;
  private TrainListener listener;

  Training(String arch, String text) {
    this.text = text;
    this.spec = Recipes.spec(arch);
    this.config = Recipes.config(arch);
  }

  /** The model to train (its arch should match; a gpt trains on windows of its context). */
  public Training model(ModelSpec spec) {
    this.spec = spec;
    if (spec.blockLength() > 0) config = config.toBuilder().seq(spec.blockLength()).build();
    return this;
  }

  /** Adjusts the training settings, e.g. {@code c -> c.steps(500).lr(3e-3)}. */
  public Training configure(UnaryOperator<TrainConfig.Builder> change) {
    this.config = change.apply(config.toBuilder()).build();
    return this;
  }

  /** Saves checkpoints (and resume sidecars) to {@code path}. */
  public Training saveTo(Path path) {
    this.saveTo = path;
    return this;
  }

  /** Receives progress (steps, validation estimates, saves); optional. */
  public Training listener(TrainListener listener) {
    this.listener = listener;
    return this;
  }

  /** Builds models with {@code factory} instead of the shipped architectures. */
  public Training factory(ModelFactory factory) {
    this.factory = factory;
    return this;
  }

  public ModelSpec spec() { return spec; }

  public TrainConfig config() { return config; }

  /** Trains; the result holds the trained model ({@code CharModel.of(result.checkpoint())}) and its validation loss. */
  public TrainResult run() throws IOException {
    return Trainer.start(spec, config, TextData.of(text), factory).saveTo(saveTo).run(listener);
  }
}
