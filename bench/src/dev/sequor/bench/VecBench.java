package dev.sequor.bench;

import dev.sequor.kernel.ref.RefVec;
import dev.sequor.kernel.simd.SimdVec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * BLAS-1 helpers, SIMD vs reference, in L1 (1023 floats, odd) and streaming from memory (4M floats).
 *
 * <p>{@code ./mvnw -q -Pjmh test-compile exec:exec -Djmh.args="VecBench -f 1 -wi 3 -i 5"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class VecBench {
  @Param({"1023", "4194304"})
  int n;

  float[] x, y;

  @Setup
  public void setup() {
    SplittableRandom rnd = new SplittableRandom(4);
    x = new float[n];
    y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextGaussian();
      y[i] = (float) rnd.nextGaussian();
    }
  }

  @Benchmark public float[] axpySimd() { SimdVec.axpy(y, 0, 1e-3f, x, 0, n); return y; }
  @Benchmark public float[] axpyRef() { RefVec.axpy(y, 0, 1e-3f, x, 0, n); return y; }
  @Benchmark public double sumSimd() { return SimdVec.sum(x, 0, n); }
  @Benchmark public double sumRef() { return RefVec.sum(x, 0, n); }
  @Benchmark public float dotSimd() { return SimdVec.dot(x, 0, y, 0, n); }
  @Benchmark public float dotRef() { return RefVec.dot(x, 0, y, 0, n); }
  @Benchmark public double sumSquaresSimd() { return SimdVec.sumSquares(x, 0, n); }
  @Benchmark public double sumSquaresRef() { return RefVec.sumSquares(x, 0, n); }
}
