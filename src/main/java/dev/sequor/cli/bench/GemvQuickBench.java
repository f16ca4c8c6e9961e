package dev.sequor.cli.bench;

import dev.sequor.kernel.Gemv;
import dev.sequor.kernel.PackedMatrix;
import dev.sequor.kernel.WorkerPool;

/**
 * {@code gemv}: y += W·x with W (4H, H), the gate pre-activations of a batch-1 LSTM step, for
 * H = 128..1024 (W from 256 KB, in L2, to 16 MB, in L3), on one thread and on all of them. W is
 * reused across calls as in a recurrent loop; {@code gb_per_s} counts the bytes of W, x and y.
 * Two layouts of W: row-major ({@link Gemv#wx(float[], int, float[], int, int, float[], int, int, int)},
 * the fields), then packed once ({@link Gemv#wx(float[], int, PackedMatrix, float[], int)}, how
 * the streaming models hold their weights), whose lines carry {@code "layout":"packed"} and, on one
 * thread, {@code "read_gb_per_s"}: a plain read of row-major W (the same bytes), timed in batches
 * alternating with the product's, so that the ratio of the two sees the same state of the caches (from
 * L3, W's speed depends on what the other jobs on the machine keep there, and that drifts between the
 * {@code bandwidth} lines and these).
 */
final class GemvQuickBench implements QuickBench {
  private static final int[] HIDDEN = {128, 256, 512, 1024};
  private float sink;

  @Override
  public String name() { return "gemv"; }

  @Override
  public void run(BenchReport report) {
    int saved = WorkerPool.threads();
    try {
      for (int h : HIDDEN) {
        int rows = 4 * h, cols = h;
        float[] w = Timing.randomArray(rows * cols, 3), x = Timing.randomArray(cols, 4), y = new float[rows];
        PackedMatrix packed = PackedMatrix.ofTransposed(w, 0, cols, rows, cols);
        double bytes = 4.0 * ((double) rows * cols + rows + cols);
        Runnable rowMajor = () -> Gemv.wx(y, 0, w, 0, cols, x, 0, rows, cols);
        Runnable packedWx = () -> Gemv.wx(y, 0, packed, x, 0);
        // A first, untimed warm-up of this shape: on a loaded machine C2 can take seconds to compile a
        // kernel path, and the interpreted vector code meanwhile runs a thousand times slower yet steadily.
        WorkerPool.setThreads(1);
        Timing.secondsPerCall(rowMajor, 0.5, 1, 0.03);
        for (boolean isPacked : new boolean[] {false, true})
          for (int t : Timing.threadCounts(report.maxThreads())) {
            WorkerPool.setThreads(t);
            boolean paired = isPacked && t == 1;
            double[] s = paired ? Timing.pairedSecondsPerCall(packedWx, () -> sink += BandwidthBench.sum(w), 0.5, 7, 0.03)
                : new double[] {Timing.secondsPerCall(isPacked ? packedWx : rowMajor, 0.5, 7, 0.03)};
            BenchReport.Record r = BenchReport.record(name()).put("rows", rows).put("cols", cols).put("threads", t);
            if (isPacked) r.put("layout", "packed");
            r.put("gflops", 2.0 * rows * cols / s[0] / 1e9).put("gb_per_s", bytes / s[0] / 1e9);
            if (paired) r.put("read_gb_per_s", 4.0 * rows * cols / s[1] / 1e9);
            report.emit(r);
          }
      }
    } finally {
      WorkerPool.setThreads(saved);
    }
  }
}
