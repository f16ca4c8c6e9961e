package dev.sequor.train;

import dev.sequor.tensor.ParamStore;
import java.util.Map;

/**
 * Updates a {@link ParamStore}'s values from its gradients. Implementations keep their per-element
 * state in flat arrays laid out like the store, so that the state can be saved and restored
 * (the {@code --resume} sidecar) and a resumed run continues bit for bit.
 */
public interface Optimizer {
  /** "adamw", "adam" or "sgd". */
  String name();

  /** One update with learning rate {@code lr} from {@code params.grad}. */
  void step(float lr);

  /** Updates taken so far (Adam's bias correction counts them). */
  long steps();

  /** The per-element state arrays by name (live views, the layout of the store). */
  Map<String, float[]> state();

  /** Restores {@link #steps()} and the state arrays saved from an optimizer of the same kind and size. */
  void restore(long steps, Map<String, float[]> state);

  /** Builds the optimizer {@code name} ("adamw", "adam", "sgd") over {@code params}. */
  static Optimizer create(String name, ParamStore params, float beta1, float beta2, float eps, float momentum, float weightDecay) {
    return switch (name) {
      case "adamw" -> new Adam(params, beta1, beta2, eps, weightDecay, true);
      case "adam" -> new Adam(params, beta1, beta2, eps, weightDecay, false);
      case "sgd" -> new SgdMomentum(params, momentum, weightDecay);
      default -> throw new IllegalArgumentException("unknown optimizer '" + name + "' (adamw, adam or sgd)");
    };
  }
}
