package dev.sequor.cli.bench;

import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.WorkerPool;

/** {@code gemm}: square C += A·B (nn) at n = 256..2048, on one thread and on all of them. */
final class GemmQuickBench implements QuickBench {
  private static final int[] SIZES = {256, 512, 1024, 2048};
  /**
   * Warm-up size: past the in-place-B row limit (so the packing path the timed sizes take gets
   * compiled) yet small enough that the first, interpreted calls finish quickly.
   */
  private static final int WARM = 192;

  @Override
  public String name() { return "gemm"; }

  @Override
  public void run(BenchReport report) {
    int saved = WorkerPool.threads();
    try {
      warmUp(report.maxThreads());
      for (int n : SIZES) {
        float[] a = Timing.randomArray(n * n, 1), b = Timing.randomArray(n * n, 2), c = new float[n * n];
        for (int t : Timing.threadCounts(report.maxThreads())) {
          WorkerPool.setThreads(t);
          double seconds = Timing.secondsPerCall(() -> Gemm.nn(c, 0, n, a, 0, n, b, 0, n, n, n, n),
              n >= 2048 ? 1.0 : n >= 512 ? 0.6 : 0.3, 7, 0.05);
          report.emit(BenchReport.record(name()).put("m", n).put("n", n).put("k", n).put("threads", t)
              .put("gflops", 2.0 * n * n * n / seconds / 1e9));
        }
      }
    } finally {
      WorkerPool.setThreads(saved);
    }
  }

  /** Gets the kernels and the threaded path compiled before anything is timed. */
  static void warmUp(int maxThreads) {
    float[] a = Timing.randomArray(WARM * WARM, 5), b = Timing.randomArray(WARM * WARM, 6), c = new float[WARM * WARM];
    for (int t : Timing.threadCounts(maxThreads)) {
      WorkerPool.setThreads(t);
      Timing.secondsPerCall(() -> Gemm.nn(c, 0, WARM, a, 0, WARM, b, 0, WARM, WARM, WARM, WARM), 1.0, 1, 0.02);
    }
  }
}
