package dev.sequor.rnn;

import dev.sequor.tensor.ParamStore;
import dev.sequor.kernel.WorkerPool;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/** Random stacks and inputs for the recurrent tests. */
final class TestNets {
  /** Runs body with the pool at {@code threads}, restoring the previous count afterwards. */
  static <T> T atThreads(int threads, Supplier<T> body) {
    int saved = WorkerPool.threads();
    try {
      WorkerPool.setThreads(threads);
      return body.get();
    } finally {
      WorkerPool.setThreads(saved);
    }
  }

  private TestNets() {}

  /** A stack with its own store, initialised with PyTorch's default U(−1/√H, 1/√H). */
  record Net(RecurrentConfig config, RecurrentParams layout, ParamStore store, RecurrentStack stack) {
    float[] p() { return store.value; }
  }

  static Net random(RecurrentConfig config, long seed) {
    ParamStore.Builder b = ParamStore.builder();
    RecurrentParams layout = RecurrentParams.declare(b, "", config);
    ParamStore store = b.build();
    layout.initialize(store.value, new SplittableRandom(seed));
    return new Net(config, layout, store, new RecurrentStack(layout));
  }

  /** n values from N(0, scale²). */
  static float[] gaussian(int n, double scale, SplittableRandom rng) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) (rng.nextGaussian() * scale);
    return x;
  }

  static CellType[] cells() { return CellType.values(); }
}
