package dev.sequor.bench;

import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.PackedMatrix;
import dev.sequor.kernel.WorkerPool;
import dev.sequor.kernel.ref.RefGemm;
import dev.sequor.kernel.simd.SimdGemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Skinny products of a recurrent step: x (m, H) · Wᵀ with W (4H, H): per call through nt (which
 * transposes W into panels every time), with W packed once ({@link PackedMatrix}), and the reference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmSkinnyBench {
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

  @Benchmark
  public float[] nt() {
    SimdGemm.nt(y, 0, 4 * hidden, x, 0, hidden, w, 0, hidden, m, 4 * hidden, hidden);
    return y;
  }

  @Benchmark
  public float[] packed() {
    Gemm.nn(y, 0, 4 * hidden, x, 0, hidden, packed, m);
    return y;
  }

  @Benchmark
  public float[] reference() {
    RefGemm.nt(y, 0, 4 * hidden, x, 0, hidden, w, 0, hidden, m, 4 * hidden, hidden);
    return y;
  }
}
