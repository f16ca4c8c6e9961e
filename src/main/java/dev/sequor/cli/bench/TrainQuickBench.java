package dev.sequor.cli.bench;

import dev.sequor.model.GptSpec;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.Models;
import dev.sequor.model.RecurrentSpec;
import dev.sequor.train.Recipes;
import dev.sequor.train.TextData;
import dev.sequor.train.TrainConfig;
import dev.sequor.train.TrainListener;
import dev.sequor.train.Trainer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@code bench train}: training throughput (tokens per second) of whole optimizer steps — windows,
 * forward, backward, clipping, update — through the real {@link Trainer}, on a random text of 65
 * characters. Two configurations: a 2-layer LSTM(512) with embedding 512, batch 32, seq 64, Adam;
 * and nanoGPT's CPU recipe model (d_model 128, 4 layers, 4 heads, context 64, batch 12, AdamW,
 * dropout 0).
 * The figure is the median step time after JIT warm-up (a number of steps and at least
 * {@link #MIN_WARMUP_SECONDS}).
 */
public final class TrainQuickBench implements QuickBench {
  @Override
  public String name() { return "train"; }

  @Override
  public void run(BenchReport report) throws Exception {
    TextData data = TextData.of(randomText(65, 20_000, 7));

    ModelSpec lstm = new RecurrentSpec("lstm", "tanh", 512, 512, 2);
    TrainConfig lc = Recipes.config("lstm").toBuilder().batch(32).seq(64).optimizer("adam").steps(1000).evalEvery(0).saveEvery(0).build();
    double lstmTps = measure(lstm, lc, data, 8, 8);
    report.emit(BenchReport.record("train").put("arch", "lstm").put("hidden", 512).put("layers", 2).put("batch", 32).put("seq", 64)
        .put("tokens_per_s", lstmTps));

    ModelSpec gpt = new GptSpec(128, 4, 4, 64, false, true);
    // dropout 0: the target recipe's setting, and PyTorch's in bench/pytorch/train.py throughput
    TrainConfig gc = Recipes.config("gpt").toBuilder().batch(12).seq(64).dropout(0f).steps(1000).evalEvery(0).saveEvery(0).build();
    double gptTps = measure(gpt, gc, data, 15, 40);
    report.emit(BenchReport.record("train").put("arch", "gpt").put("d_model", 128).put("layers", 4).put("heads", 4).put("context", 64)
        .put("batch", 12).put("tokens_per_s", gptTps));
  }

  /**
   * JIT warm-up lasts at least this long as well as the given number of steps: on a loaded machine the
   * compiler threads get little CPU and the first steps run partly interpreted for several seconds
   * (measured at load 6: the LSTM's steps took 4–6 s, then ~1 s, reaching steady state after ~14 steps).
   */
  static final double MIN_WARMUP_SECONDS = 6;

  /** Median tokens/s over {@code measured} steps after at least {@code warmup} steps and MIN_WARMUP_SECONDS. */
  static double measure(ModelSpec spec, TrainConfig cfg, TextData data, int warmup, int measured) throws Exception {
    Trainer t = Trainer.start(spec, cfg, data, Models.STANDARD);
    double[] seconds = new double[measured];
    t.run(new TrainListener() {
      double last;
      long warmSteps = -1; // steps of warm-up, once over

      @Override
      public boolean step(Step s) {
        if (warmSteps < 0 && s.step() >= warmup && s.elapsedSeconds() >= MIN_WARMUP_SECONDS) warmSteps = s.step();
        else if (warmSteps >= 0) seconds[(int) (s.step() - warmSteps - 1)] = s.elapsedSeconds() - last;
        last = s.elapsedSeconds();
        return warmSteps < 0 || s.step() < warmSteps + measured;
      }
    });
    Arrays.sort(seconds);
    return cfg.batch() * (double) cfg.seq() / seconds[measured / 2];
  }

  static String randomText(int distinct, int length, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < distinct; i++) sb.append((char) ('!' + i)); // every character occurs
    while (sb.length() < length) sb.append((char) ('!' + r.nextInt(distinct)));
    return sb.toString();
  }
}
