package dev.sequor.bench;

import dev.sequor.kernel.Gemm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GemmBench {
  @Param({"64"})
  int n;
  float[] a, b, c;

  @Setup
  public void setup() { a = new float[n * n]; b = new float[n * n]; c = new float[n * n]; }

  @Benchmark
  public float[] nn() { Gemm.nn(c, 0, n, a, 0, n, b, 0, n, n, n, n); return c; }
}
