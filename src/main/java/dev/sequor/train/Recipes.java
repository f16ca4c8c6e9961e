package dev.sequor.train;

import dev.sequor.model.GptSpec;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.Models;
import dev.sequor.model.RecurrentSpec;

/**
 * Default sizes and training settings per architecture: small enough that a default run takes
 * about a minute on a laptop-class CPU. The gpt recipe is nanoGPT's {@code shakespeare_char} at its
 * CPU size (4 layers, 4 heads, width 128, context 64, batch 12): AdamW β = (0.9, 0.99), weight decay
 * 0.1 on matrices only, 100 warm-up steps, cosine decay to lr/10, clipping at 1, dropout 0.2, no bias,
 * tied embeddings; its N(0, 0.02) initialisation with residual projections scaled by 1/√(2·layers) is the
 * architecture's own.
 */
public final class Recipes {
  private Recipes() {}

  /** The architecture {@code train} uses when none is given. */
  public static final String DEFAULT_ARCH = "gpt";

  /** The default model of {@code arch}. */
  public static ModelSpec spec(String arch) {
    return switch (arch) {
      case "gpt" -> new GptSpec(128, 4, 4, 64, false, true);
      case "lstm", "gru" -> new RecurrentSpec(arch, "tanh", 64, 256, 2);
      case "rnn" -> new RecurrentSpec(arch, "tanh", 64, 256, 2);
      default -> throw new IllegalArgumentException("unknown arch '" + arch + "' (expected one of " + String.join(", ", Models.ARCHS) + ")");
    };
  }

  /** The default training settings of {@code arch}. */
  public static TrainConfig config(String arch) {
    return switch (arch) {
      case "gpt" -> new TrainConfig(1000, 12, 64, 1e-3, 1e-4, 100, "adamw", 0.9f, 0.99f, 1e-8f, 0.9f, 0.1f, 1.0, 0.2f, 1337,
          false, 250, 96, 500);
      case "lstm", "gru" -> new TrainConfig(600, 32, 64, 2e-3, 2e-4, 100, "adam", 0.9f, 0.999f, 1e-8f, 0.9f, 0f, 1.0, 0f, 1337,
          true, 200, 64, 500);
      case "rnn" -> new TrainConfig(800, 32, 64, 1e-3, 1e-4, 100, "adam", 0.9f, 0.999f, 1e-8f, 0.9f, 0f, 1.0, 0f, 1337,
          true, 200, 64, 500);
      default -> throw new IllegalArgumentException("unknown arch '" + arch + "' (expected one of " + String.join(", ", Models.ARCHS) + ")");
    };
  }
}
