package dev.sequor.bench;

import dev.sequor.kernel.PackedMatrix;
import dev.sequor.kernel.WorkerPool;
import dev.sequor.kernel.ref.RefGemm;
import dev.sequor.kernel.simd.SimdGemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * SIMD GEMM against its scalar reference on square sizes (odd ones included: edge tiles), for the
 * three variants. {@code -p threads=2} measures the pool. Example:
 * {@code -Djmh.args="GemmBench -p op=nt -p size=257"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBench {
  @Param({"nn", "nt", "tn"})
  String op;

  @Param({"63", "256", "257", "512"})
  int size;

  @Param({"1"})
  int threads;

  float[] a, b, c;

  @Setup
  public void setup() {
    WorkerPool.setThreads(threads);
    Random rnd = new Random(1);
    a = new float[size * size];
    b = new float[size * size];
    c = new float[size * size];
    for (int i = 0; i < a.length; i++) { a[i] = rnd.nextFloat() - 0.5f; b[i] = rnd.nextFloat() - 0.5f; }
  }

  @Benchmark
  public float[] simd() {
    int n = size;
    switch (op) {
      case "nn" -> SimdGemm.nn(c, 0, n, a, 0, n, b, 0, n, n, n, n);
      case "nt" -> SimdGemm.nt(c, 0, n, a, 0, n, b, 0, n, n, n, n);
      default -> SimdGemm.tn(c, 0, n, a, 0, n, b, 0, n, n, n, n);
    }
    return c;
  }

  @Benchmark
  public float[] reference() {
    int n = size;
    switch (op) {
      case "nn" -> RefGemm.nn(c, 0, n, a, 0, n, b, 0, n, n, n, n);
      case "nt" -> RefGemm.nt(c, 0, n, a, 0, n, b, 0, n, n, n, n);
      default -> RefGemm.tn(c, 0, n, a, 0, n, b, 0, n, n, n, n);
    }
    return c;
  }

  /**
   * Skinny products of a recurrent step: x (m, H) · Wᵀ with W (4H, H), per call (nt, packing W each
   * time) and with W packed once ({@link PackedMatrix}).
   */
  @State(Scope.Thread)
  public static class Skinny {
    @Param({"1", "8", "32"})
    int m;

    @Param({"256", "1024"})
    int hidden;

    @Param({"1"})
    int threads;

    float[] x, w, y;
    PackedMatrix packed;

    @Setup
    public void setup() {
      WorkerPool.setThreads(threads);
      Random rnd = new Random(2);
      x = new float[m * hidden];
      w = new float[4 * hidden * hidden];
      y = new float[m * 4 * hidden];
      for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat() - 0.5f;
      for (int i = 0; i < w.length; i++) w[i] = rnd.nextFloat() - 0.5f;
      packed = PackedMatrix.ofTransposed(w, 0, hidden, 4 * hidden, hidden);
    }
  }

  @Benchmark
  public float[] skinnyNt(Skinny s) {
    SimdGemm.nt(s.y, 0, 4 * s.hidden, s.x, 0, s.hidden, s.w, 0, s.hidden, s.m, 4 * s.hidden, s.hidden);
    return s.y;
  }

  @Benchmark
  public float[] skinnyPacked(Skinny s) {
    dev.sequor.kernel.Gemm.nn(s.y, 0, 4 * s.hidden, s.x, 0, s.hidden, s.packed, s.m);
    return s.y;
  }

  @Benchmark
  public float[] skinnyReference(Skinny s) {
    RefGemm.nt(s.y, 0, 4 * s.hidden, s.x, 0, s.hidden, s.w, 0, s.hidden, s.m, 4 * s.hidden, s.hidden);
    return s.y;
  }
}
