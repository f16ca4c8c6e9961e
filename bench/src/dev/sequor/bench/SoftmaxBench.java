package dev.sequor.bench;

import dev.sequor.kernel.ref.RefCrossEntropy;
import dev.sequor.kernel.ref.RefSoftmax;
import dev.sequor.kernel.simd.SimdCrossEntropy;
import dev.sequor.kernel.simd.SimdSoftmax;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Row softmax (plain, causal, backward, log-softmax) and fused cross-entropy: SIMD vs reference.
 * Shapes: attention scores (T×T: 64, 256), char-level logits (rows×65) and an odd width.
 *
 * <p>{@code ./mvnw -q -Pjmh test-compile exec:exec -Djmh.args="SoftmaxBench -f 1 -wi 3 -i 5"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SoftmaxBench {
  /** rows x cols */
  @Param({"64x64", "256x256", "512x65", "77x1023"})
  String shape;

  int rows, cols;
  float[] x, y, dy, dx;
  int[] targets;

  @Setup
  public void setup() {
    String[] p = shape.split("x");
    rows = Integer.parseInt(p[0]);
    cols = Integer.parseInt(p[1]);
    SplittableRandom rnd = new SplittableRandom(2);
    x = new float[rows * cols];
    dy = new float[rows * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * 3);
      dy[i] = (float) rnd.nextGaussian();
    }
    y = new float[rows * cols];
    dx = new float[rows * cols];
    targets = new int[rows];
    for (int r = 0; r < rows; r++) targets[r] = rnd.nextInt(cols);
    RefSoftmax.rows(y, 0, x, 0, rows, cols);
  }

  @Benchmark public float[] rowsSimd() { SimdSoftmax.rows(dx, 0, x, 0, rows, cols); return dx; }
  @Benchmark public float[] rowsRef() { RefSoftmax.rows(dx, 0, x, 0, rows, cols); return dx; }
  @Benchmark public float[] causalSimd() { SimdSoftmax.rowsCausal(dx, 0, x, 0, rows, cols, Math.max(0, cols - rows)); return dx; }
  @Benchmark public float[] causalRef() { RefSoftmax.rowsCausal(dx, 0, x, 0, rows, cols, Math.max(0, cols - rows)); return dx; }
  @Benchmark public float[] backwardSimd() { SimdSoftmax.backward(dx, 0, y, 0, dy, 0, rows, cols); return dx; }
  @Benchmark public float[] backwardRef() { RefSoftmax.backward(dx, 0, y, 0, dy, 0, rows, cols); return dx; }
  @Benchmark public float[] logRowsSimd() { SimdSoftmax.logRows(dx, 0, x, 0, rows, cols); return dx; }
  @Benchmark public float[] logRowsRef() { RefSoftmax.logRows(dx, 0, x, 0, rows, cols); return dx; }
  @Benchmark public double crossEntropySimd() { return SimdCrossEntropy.forwardBackward(dx, 0, x, 0, targets, 0, rows, cols, 1f / rows); }
  @Benchmark public double crossEntropyRef() { return RefCrossEntropy.forwardBackward(dx, 0, x, 0, targets, 0, rows, cols, 1f / rows); }
}
