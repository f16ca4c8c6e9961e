package dev.sequor.bench;

import dev.sequor.kernel.ref.RefLayerNorm;
import dev.sequor.kernel.simd.SimdLayerNorm;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Layer norm forward and backward, SIMD vs reference, over GPT widths (C = 128, 384, 768) and an odd
 * one (C = 77), for 256 rows.
 *
 * <p>{@code ./mvnw -q -Pjmh test-compile exec:exec -Djmh.args="LayerNormBench -f 1 -wi 3 -i 5"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LayerNormBench {
  @Param({"77", "128", "384", "768"})
  int c;

  final int rows = 256;
  float[] x, out, mean, rstd, w, b, dout, dx, dw, db;

  @Setup
  public void setup() {
    SplittableRandom rnd = new SplittableRandom(3);
    x = new float[rows * c];
    dout = new float[rows * c];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
      dout[i] = (float) rnd.nextGaussian();
    }
    w = new float[c];
    b = new float[c];
    for (int i = 0; i < c; i++) w[i] = 1f + 0.1f * (float) rnd.nextGaussian();
    out = new float[rows * c];
    dx = new float[rows * c];
    dw = new float[c];
    db = new float[c];
    mean = new float[rows];
    rstd = new float[rows];
    RefLayerNorm.forward(out, 0, mean, 0, rstd, 0, x, 0, w, 0, b, 0, rows, c, 1e-5f);
  }

  @Benchmark public float[] forwardSimd() { SimdLayerNorm.forward(out, 0, mean, 0, rstd, 0, x, 0, w, 0, b, 0, rows, c, 1e-5f); return out; }
  @Benchmark public float[] forwardRef() { RefLayerNorm.forward(out, 0, mean, 0, rstd, 0, x, 0, w, 0, b, 0, rows, c, 1e-5f); return out; }
  @Benchmark public float[] backwardSimd() { SimdLayerNorm.backward(dx, 0, dw, 0, db, 0, dout, 0, x, 0, w, 0, mean, 0, rstd, 0, rows, c); return dx; }
  @Benchmark public float[] backwardRef() { RefLayerNorm.backward(dx, 0, dw, 0, db, 0, dout, 0, x, 0, w, 0, mean, 0, rstd, 0, rows, c); return dx; }
}
