package dev.sequor.bench;

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
}
