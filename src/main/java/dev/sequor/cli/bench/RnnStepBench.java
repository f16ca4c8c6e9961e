package dev.sequor.cli.bench;

import dev.sequor.kernel.WorkerPool;
import dev.sequor.rnn.CellType;
import dev.sequor.rnn.RecurrentModel;
import dev.sequor.rnn.RecurrentState;
import dev.sequor.rnn.WeightStorage;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@code rnn_step}: per-step latency of batch-1 streaming inference through the public API
 * ({@link RecurrentState#step}) for RNN (tanh), GRU and LSTM at H = 128, 256, 512, 1024, input size H,
 * one layer, on one thread and on all of them ({@code --threads}: batch-1 steps split across cores when
 * the weights are large enough). Lines: {@code {"bench":"rnn_step","arch":…,"hidden":H,"batch":1,"threads":t,"us_per_step":…}},
 * the median of several timed runs after a warm-up, for float32 weights; then the same with bfloat16
 * weight storage ({@link WeightStorage#BF16}, half the bytes per step), whose lines carry one more
 * field, {@code "weights":"bf16"}.
 */
final class RnnStepBench implements QuickBench {
  static final int[] HIDDEN = {128, 256, 512, 1024};
  static final CellType[] CELLS = {CellType.RNN_TANH, CellType.GRU, CellType.LSTM};
  private static final long WARMUP_MIN_STEPS = 20_000, WARMUP_STEPS_NS = 1_000_000_000L;
  private static final long WARMUP_MIN_NS = 200_000_000L, WARMUP_MAX_NS = 3_000_000_000L, SAMPLE_NS = 30_000_000L;
  private static final int SAMPLES = 7;

  @Override
  public String name() { return "rnn_step"; }

  @Override
  public void run(BenchReport report) {
    int saved = WorkerPool.threads();
    try {
      for (CellType cell : CELLS)
        for (int h : HIDDEN)
          for (WeightStorage storage : WeightStorage.values())
            for (int t : Timing.threadCounts(report.maxThreads())) {
              WorkerPool.setThreads(t);
              double us = measure(cell, h, storage);
              BenchReport.Record r = BenchReport.record(name()).put("arch", cell.arch()).put("hidden", h).put("batch", 1)
                  .put("threads", t);
              // f32 lines keep exactly the fields (bench/compare.sh pairs them with PyTorch's)
              if (storage != WeightStorage.F32) r.put("weights", storage.name().toLowerCase(java.util.Locale.ROOT));
              report.emit(r.put("us_per_step", us));
            }
    } finally {
      WorkerPool.setThreads(saved);
    }
  }

  /** Median microseconds per {@code step(x)} of one stream, f32 weights. */
  static double measure(CellType cell, int hidden) { return measure(cell, hidden, WeightStorage.F32); }

  /** Median microseconds per {@code step(x)} of one stream with weights stored as {@code storage}. */
  static double measure(CellType cell, int hidden, WeightStorage storage) {
    SplittableRandom rng = new SplittableRandom(42);
    RandomRecurrentLayer layer = RandomRecurrentLayer.of(cell, hidden, rng);
    RecurrentModel model = RecurrentModel.of(layer.layout(), layer.values(), storage);
    RecurrentState state = model.newState();
    float[] x = new float[hidden];
    for (int i = 0; i < hidden; i++) x[i] = (float) rng.nextGaussian();
    // warm-up: at least WARMUP_MIN_STEPS steps (until then the JIT may still be interpreting the vector
    // code, hundreds of times slower) or, for slow steps (H = 1024), WARMUP_STEPS_NS (the kernels are the
    // same methods at every H, compiled by the configurations before), and at least WARMUP_MIN_NS, then
    // until a 50 ms slice is no faster than the best before (the JIT has settled); a sample is then
    // SAMPLE_NS worth of steps
    long start = System.nanoTime(), now = start, total = 0;
    double best = Double.POSITIVE_INFINITY, perStepNs = 0;
    while (now - start < WARMUP_MAX_NS) {
      long t0 = System.nanoTime(), n = 0;
      do {
        state.step(x, 0);
        n++;
      } while (System.nanoTime() - t0 < 50_000_000L);
      now = System.nanoTime();
      total += n;
      perStepNs = (now - t0) / (double) n;
      boolean settled = perStepNs > 0.97 * best;
      best = Math.min(best, perStepNs);
      boolean enoughSteps = total >= WARMUP_MIN_STEPS || now - start >= WARMUP_STEPS_NS;
      if (enoughSteps && now - start >= WARMUP_MIN_NS && settled) break;
    }
    perStepNs = Math.min(perStepNs, best);
    long perSample = Math.max(1, (long) (SAMPLE_NS / perStepNs));
    double[] us = new double[SAMPLES];
    for (int s = 0; s < SAMPLES; s++) {
      state.reset();
      long t0 = System.nanoTime();
      for (long i = 0; i < perSample; i++) state.step(x, 0);
      us[s] = (System.nanoTime() - t0) / 1e3 / perSample;
    }
    Arrays.sort(us);
    return us[SAMPLES / 2];
  }
}
