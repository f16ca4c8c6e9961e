package dev.sequor.experiments;

import dev.sequor.model.LanguageModel;
import dev.sequor.tensor.ParamStore;
import dev.sequor.train.Adam;
import dev.sequor.train.GradClip;
import dev.sequor.train.LrSchedule;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The training loop of the synthetic tasks, the same for every architecture: Adam (PyTorch's
 * arithmetic, no weight decay), linear warm-up then cosine decay to lr/10 (nanoGPT's schedule),
 * global-norm clipping, no dropout, a fresh zero state for every window. Batches are a function of
 * (seed, step) alone, so a run is reproducible bit for bit.
 */
final class Fit {
  private Fit() {}

  /**
   * What every model of an experiment gets.
   *
   * @param steps  optimizer steps
   * @param batch  sequences per step
   * @param lr     peak learning rate
   * @param warmup linear warm-up steps
   * @param clip   global gradient-norm limit
   */
  record Budget(int steps, int batch, double lr, int warmup, double clip) {
    Budget withLr(double v) { return new Budget(steps, batch, v, warmup, clip); }
  }

  /**
   * Trains {@code m} on {@code task}, sequences drawn from {@code seed}; returns the mean training
   * loss over the last tenth of the steps.
   */
  static double train(LanguageModel m, Task task, Budget b, long seed, Consumer<String> progress, String label) {
    ParamStore p = m.params();
    Adam adam = new Adam(p, 0.9f, 0.999f, 1e-8f, 0f, false);
    LrSchedule schedule = new LrSchedule(b.lr(), b.lr() / 10, b.warmup(), b.steps());
    int t = task.seq();
    int[] in = new int[b.batch() * t], tg = new int[b.batch() * t];
    double tail = 0;
    int tailSteps = Math.max(1, b.steps() / 10);
    long t0 = System.nanoTime();
    for (int step = 0; step < b.steps(); step++) {
      SplittableRandom rng = rng(seed, step);
      for (int s = 0; s < b.batch(); s++) task.sample(rng, in, tg, s * t);
      p.zeroGrad();
      double loss = m.forwardBackward(in, tg, b.batch(), t, null, null);
      double norm = GradClip.clip(p, b.clip());
      if (!Double.isFinite(loss) || !Double.isFinite(norm))
        throw new IllegalStateException(label + ": diverged at step " + step + " (loss " + loss + ", gradient norm " + norm + ")");
      adam.step((float) schedule.at(step));
      if (step >= b.steps() - tailSteps) tail += loss;
      if (progress != null && ((step + 1) % Math.max(1, b.steps() / 4) == 0))
        progress.accept(String.format(Locale.ROOT, "%s step %d/%d loss %.4f (%.0f s)", label, step + 1, b.steps(), loss,
            (System.nanoTime() - t0) / 1e9));
    }
    return tail / tailSteps;
  }

  /** The generator of step {@code step} of a run seeded with {@code seed} (SplitMix64-mixed, so nearby seeds differ). */
  static SplittableRandom rng(long seed, long step) { return new SplittableRandom(mix(mix(seed) + step)); }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
