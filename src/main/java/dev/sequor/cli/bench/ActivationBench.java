package dev.sequor.cli.bench;

import dev.sequor.kernel.Activations;
import dev.sequor.kernel.ref.DoubleMath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Quick benches {@code sigmoid}, {@code tanh}, {@code exp}, {@code gelu}: throughput of the array
 * kernel ({@link Activations}, SIMD unless {@code -Dsequor.scalar=true}) and its maximum error against
 * a double-precision reference over a sweep of the whole float range. One line per size:
 * {@code {"bench":"sigmoid","n":…,"ns_per_elem":…,"max_ulp":…}}.
 *
 * <p>n = 4096 keeps input and output in L1; n = 2^20 (8 MB) streams from memory. ns_per_elem is the
 * median over repeated timed batches. max_ulp is measured at every 509th bit pattern of all 2^32
 * (about 8.4 million floats of every class: ±0, denormals, normals, ±Inf, NaN) plus every float
 * step of a dense grid on [−20, 20], in ulps of the float format at the exact value
 * ({@link DoubleMath#ulpError}; results flushed to zero where the exact value is below the smallest
 * normal count as exact).
 */
public final class ActivationBench implements QuickBench {
  /** The benchmarked functions: name, kernel, double reference. */
  enum Fn {
    SIGMOID("sigmoid", Activations::sigmoid, DoubleMath::sigmoid),
    TANH("tanh", Activations::tanh, DoubleMath::tanh),
    EXP("exp", Activations::exp, DoubleMath::exp),
    GELU("gelu", Activations::gelu, DoubleMath::gelu);

    final String name;
    final Kernel kernel;
    final DoubleUnaryOperator ref;

    Fn(String name, Kernel kernel, DoubleUnaryOperator ref) {
      this.name = name;
      this.kernel = kernel;
      this.ref = ref;
    }
  }

  interface Kernel { void apply(float[] out, int outOff, float[] x, int xOff, int n); }

  private static final int[] SIZES = {4096, 1 << 20};
  private static final int SWEEP_STRIDE = 509;
  private static final long TARGET_BATCH_NANOS = 20_000_000;
  private static final int BATCHES = 15;

  private final Fn fn;

  private ActivationBench(Fn fn) { this.fn = fn; }

  /** The four benches, in the order a full run executes them. */
  public static List<QuickBench> all() {
    List<QuickBench> list = new ArrayList<>();
    for (Fn f : Fn.values()) list.add(new ActivationBench(f));
    return list;
  }

  @Override
  public String name() { return fn.name; }

  @Override
  public void run(BenchReport report) {
    double maxUlp = maxUlp(fn);
    for (int n : SIZES)
      report.emit(BenchReport.record(fn.name).put("n", n).put("ns_per_elem", nsPerElem(fn, n)).put("max_ulp", maxUlp));
  }

  /** Median ns per element over timed batches, after a warm-up of the same length. */
  static double nsPerElem(Fn fn, int n) {
    SplittableRandom rnd = new SplittableRandom(n);
    float[] x = new float[n], y = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextGaussian() * 4);
    int reps = 1;
    long t;
    do { // size the batch to about TARGET_BATCH_NANOS (this also warms the JIT up)
      reps *= 2;
      long t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) fn.kernel.apply(y, 0, x, 0, n);
      t = System.nanoTime() - t0;
    } while (t < TARGET_BATCH_NANOS);
    double[] perElem = new double[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
      long t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) fn.kernel.apply(y, 0, x, 0, n);
      perElem[b] = (System.nanoTime() - t0) / ((double) reps * n);
    }
    Arrays.sort(perElem);
    return perElem[BATCHES / 2];
  }

  /** Maximum error in ulps over the sweep described in the class comment. */
  static double maxUlp(Fn fn) {
    int chunk = 1 << 16;
    float[] x = new float[chunk], y = new float[chunk];
    double worst = 0;
    long total = (1L << 32) / SWEEP_STRIDE;
    for (long k = 0; k < total; k += chunk) {
      int m = (int) Math.min(chunk, total - k);
      for (int i = 0; i < m; i++) x[i] = Float.intBitsToFloat((int) ((k + i) * SWEEP_STRIDE));
      worst = Math.max(worst, chunkError(fn, x, y, m));
    }
    int dense = 1 << 20;
    for (int k = 0; k < dense; k += chunk) {
      for (int i = 0; i < chunk; i++) x[i] = -20f + 40f * (k + i) / dense;
      worst = Math.max(worst, chunkError(fn, x, y, chunk));
    }
    return worst;
  }

  private static double chunkError(Fn fn, float[] x, float[] y, int m) {
    fn.kernel.apply(y, 0, x, 0, m);
    double worst = 0;
    for (int i = 0; i < m; i++) worst = Math.max(worst, DoubleMath.ulpError(y[i], fn.ref.applyAsDouble(x[i])));
    return worst;
  }
}
