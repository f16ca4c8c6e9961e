package dev.sequor.train;

/**
 * Linear warm-up then cosine decay to {@code minLr} at the last step: nanoGPT's {@code get_lr}
 * (math/optimizers.md (schedule)). Step indices are 0-based; decay ends at {@code steps}.
 */
public record LrSchedule(
    // peak learning rate, reached at the end of warm-up
    double lr,
    // floor of the cosine decay (nanoGPT: lr/10)
    double minLr,
    // warm-up steps (linear from lr/(warmup+1))
    int warmup,
    // total steps: the cosine reaches minLr here
    int steps) {

  public LrSchedule {
    if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
    if (!(minLr >= 0 && minLr <= lr)) throw new IllegalArgumentException("minimum learning rate must be in [0, lr], got " + minLr);
    if (warmup < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmup);
    if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
  }

  /** The learning rate of step {@code it} (0-based). */
  public double at(long it) {
    if (it < warmup) return lr * (it + 1) / (warmup + 1);
    if (it >= steps || steps <= warmup) return minLr;
    double ratio = (double) (it - warmup) / (steps - warmup);
    double coeff = 0.5 * (1.0 + Math.cos(Math.PI * ratio));
    return minLr + coeff * (lr - minLr);
  }
}
