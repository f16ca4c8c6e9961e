package dev.sequor.bench;

import dev.sequor.cli.bench.BandwidthBench;
import dev.sequor.cli.bench.PeakFmaBench;

import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.Gemv;
import dev.sequor.kernel.WorkerPool;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernel efficiency measured per CPU-second of the measuring thread(s) rather than per wall-clock
 * second: on a machine shared with other jobs, time slicing inflates wall time but not the CPU time
 * the thread actually ran, so the ratios (GEMM / FMA peak, GEMV / read bandwidth, 2-thread / 1-thread
 * work per CPU-second) stay meaningful. {@code bench/pytorch/gemm_cputime.py} measures OpenBLAS the
 * same way. Not a JMH benchmark: run its main, e.g.
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * dev.sequor.bench.CpuTimeGemm} after {@code ./mvnw -q -DskipTests test-compile}.
 */
public final class CpuTimeGemm {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static float sink;

  private CpuTimeGemm() {}

  public static void main(String[] args) {
    WorkerPool.setThreads(1);
    long it = 1_000_000;
    for (int w = 0; w < 5; w++) perCpu(() -> sink += PeakFmaBench.loop(it), 1, 3, 0.05, null);
    double peak = perCpu(() -> sink += PeakFmaBench.loop(it), 2.0 * 12 * S.length() * it, 9, 0.05, null);
    System.out.printf("{\"bench\":\"peak_fma\",\"threads\":1,\"gflops\":%.1f,\"clock\":\"cpu\"}%n", peak);
    String[] ops = {"nn", "nt", "tn"};
    float[] warm = random(192 * 192, 9);
    for (String op : ops) perCpu(() -> gemm(op, warm, warm, warm, 192), 1, 20, 0.05, null);
    for (int n : new int[] {256, 512, 1024, 2048}) {
      float[] a = random(n * n, 1), b = random(n * n, 2), c = new float[n * n];
      for (String op : ops) {
        perCpu(() -> gemm(op, c, a, b, n), 1, 2, 0.2, null);
        double g = perCpu(() -> gemm(op, c, a, b, n), 2.0 * n * n * n, 7, 0.1, null);
        System.out.printf("{\"bench\":\"gemm\",\"op\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"threads\":1,\"gflops\":%.1f,\"of_peak\":%.3f,\"clock\":\"cpu\"}%n",
            op, n, n, n, g, g / peak);
      }
    }
    for (int h : new int[] {128, 256, 512, 1024}) {
      int rows = 4 * h, cols = h;
      float[] w = random(rows * cols, 3), x = random(rows, 4), y = new float[rows];
      double bytes = 4.0 * rows * cols;
      Runnable read = () -> sink += BandwidthBench.sum(w), wx = () -> Gemv.wx(y, 0, w, 0, cols, x, 0, rows, cols);
      Runnable wtx = () -> Gemv.wtx(y, 0, w, 0, cols, x, 0, rows, cols);
      for (Runnable r : new Runnable[] {read, wx, wtx}) perCpu(r, 1, 5, 0.1, null);
      double bw = perCpu(read, bytes, 9, 0.05, null), gx = perCpu(wx, bytes, 9, 0.05, null), gt = perCpu(wtx, bytes, 9, 0.05, null);
      System.out.printf("{\"bench\":\"gemv\",\"rows\":%d,\"cols\":%d,\"threads\":1,\"read_gb_per_s\":%.1f,\"wx_gb_per_s\":%.1f,\"wx_of_read\":%.2f,\"wtx_gb_per_s\":%.1f,\"wtx_of_read\":%.2f,\"clock\":\"cpu\"}%n",
          rows, cols, bw, gx, gx / bw, gt, gt / bw);
    }
    // Two threads: work per CPU-second summed over the caller and the worker (waiting included).
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    WorkerPool.setThreads(threads);
    for (String op : ops) perCpu(() -> gemm(op, warm, warm, warm, 192), 1, 20, 0.05, null);
    long[] ids = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("sequor-worker") || t == Thread.currentThread())
        .mapToLong(Thread::threadId).toArray();
    for (int n : new int[] {512, 1024, 2048}) {
      float[] a = random(n * n, 1), b = random(n * n, 2), c = new float[n * n];
      perCpu(() -> gemm("nn", c, a, b, n), 1, 2, 0.2, ids);
      double g = perCpu(() -> gemm("nn", c, a, b, n), 2.0 * n * n * n, 7, 0.2, ids);
      System.out.printf("{\"bench\":\"gemm\",\"op\":\"nn\",\"m\":%d,\"n\":%d,\"k\":%d,\"threads\":%d,\"gflops_per_cpu\":%.1f,\"clock\":\"cpu\"}%n",
          n, n, n, threads, g);
    }
  }

  /** Median over {@code reps} of units per CPU-nanosecond of the given threads (null: this thread). */
  static double perCpu(Runnable body, double units, int reps, double minSeconds, long[] threadIds) {
    double[] g = new double[reps];
    for (int r = 0; r < reps; r++) {
      long t = cpu(threadIds);
      int calls = 0;
      do {
        body.run();
        calls++;
      } while (cpu(threadIds) - t < minSeconds * 1e9);
      g[r] = units * calls / (cpu(threadIds) - t);
    }
    Arrays.sort(g);
    return g[reps / 2];
  }

  private static long cpu(long[] ids) {
    if (ids == null) return MX.getCurrentThreadCpuTime();
    long s = 0;
    for (long id : ids) s += MX.getThreadCpuTime(id);
    return s;
  }

  static void gemm(String op, float[] c, float[] a, float[] b, int n) {
    switch (op) {
      case "nn" -> Gemm.nn(c, 0, n, a, 0, n, b, 0, n, n, n, n);
      case "nt" -> Gemm.nt(c, 0, n, a, 0, n, b, 0, n, n, n, n);
      default -> Gemm.tn(c, 0, n, a, 0, n, b, 0, n, n, n, n);
    }
  }

  static float[] random(int n, long seed) {
    Random rnd = new Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = rnd.nextFloat() - 0.5f;
    return a;
  }
}
