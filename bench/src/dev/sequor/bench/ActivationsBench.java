package dev.sequor.bench;

import static dev.sequor.kernel.simd.VectorMath.F;

import dev.sequor.kernel.ref.RefActivations;
import dev.sequor.kernel.simd.SimdActivations;
import dev.sequor.kernel.simd.VectorMath;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.openjdk.jmh.annotations.*;

/**
 * Element-wise activations: SIMD kernel vs its scalar reference twin (bit-identical results), plus
 * the JDK's own lanewise EXP/TANH (SVML stubs) as an outside baseline, and an LSTM-style fused gate
 * loop that checks VectorMath still inlines when several functions share one loop.
 *
 * <p>{@code ./mvnw -q -Pjmh test-compile exec:exec -Djmh.args="ActivationsBench -f 1 -wi 3 -i 5"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ActivationsBench {
  @Param({"207", "1024", "65536"})
  int n;

  float[] x, y, dy, dx, c, h;

  @Setup
  public void setup() {
    SplittableRandom rnd = new SplittableRandom(1);
    x = new float[4 * n];
    for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * 4);
    y = new float[4 * n];
    dy = new float[n];
    dx = new float[n];
    c = new float[n];
    h = new float[n];
    for (int i = 0; i < n; i++) dy[i] = (float) rnd.nextGaussian();
    RefActivations.sigmoid(y, 0, x, 0, n);
  }

  @Benchmark public float[] expSimd() { SimdActivations.exp(y, 0, x, 0, n); return y; }
  @Benchmark public float[] expRef() { RefActivations.exp(y, 0, x, 0, n); return y; }
  @Benchmark public float[] sigmoidSimd() { SimdActivations.sigmoid(y, 0, x, 0, n); return y; }
  @Benchmark public float[] sigmoidRef() { RefActivations.sigmoid(y, 0, x, 0, n); return y; }
  @Benchmark public float[] tanhSimd() { SimdActivations.tanh(y, 0, x, 0, n); return y; }
  @Benchmark public float[] tanhRef() { RefActivations.tanh(y, 0, x, 0, n); return y; }
  @Benchmark public float[] geluSimd() { SimdActivations.gelu(y, 0, x, 0, n); return y; }
  @Benchmark public float[] geluRef() { RefActivations.gelu(y, 0, x, 0, n); return y; }
  @Benchmark public float[] geluBackwardSimd() { SimdActivations.geluBackward(dx, 0, x, 0, dy, 0, n); return dx; }
  @Benchmark public float[] geluBackwardRef() { RefActivations.geluBackward(dx, 0, x, 0, dy, 0, n); return dx; }
  @Benchmark public float[] sigmoidBackwardSimd() { SimdActivations.sigmoidBackward(dx, 0, y, 0, dy, 0, n); return dx; }
  @Benchmark public float[] sigmoidBackwardRef() { RefActivations.sigmoidBackward(dx, 0, y, 0, dy, 0, n); return dx; }

  /** Baseline: the JDK's lanewise EXP (SVML stub on x86), not used by the engine. */
  @Benchmark
  public float[] expJdkLanewise() {
    int i = 0;
    for (; i <= n - F.length(); i += F.length())
      FloatVector.fromArray(F, x, i).lanewise(VectorOperators.EXP).intoArray(y, i);
    for (; i < n; i++) y[i] = (float) Math.exp(x[i]);
    return y;
  }

  /** Baseline: the JDK's lanewise TANH (SVML stub on x86), not used by the engine. */
  @Benchmark
  public float[] tanhJdkLanewise() {
    int i = 0;
    for (; i <= n - F.length(); i += F.length())
      FloatVector.fromArray(F, x, i).lanewise(VectorOperators.TANH).intoArray(y, i);
    for (; i < n; i++) y[i] = (float) Math.tanh(x[i]);
    return y;
  }

  /**
   * An LSTM cell's post-GEMM pass over gates (i,f,g,o) laid out as 4 blocks of n: three sigmoids and
   * two tanh per element in one loop. Compare with 3·sigmoidSimd + 2·tanhSimd: equal or faster means
   * VectorMath inlined into the fused loop.
   */
  @Benchmark
  public float[] lstmGatesFused() {
    int i = 0, L = F.length();
    for (; i <= n - L; i += L) {
      FloatVector ig = VectorMath.sigmoid(FloatVector.fromArray(F, x, i));
      FloatVector fg = VectorMath.sigmoid(FloatVector.fromArray(F, x, n + i));
      FloatVector gg = VectorMath.tanh(FloatVector.fromArray(F, x, 2 * n + i));
      FloatVector og = VectorMath.sigmoid(FloatVector.fromArray(F, x, 3 * n + i));
      FloatVector cn = fg.fma(FloatVector.fromArray(F, c, i), ig.mul(gg));
      cn.intoArray(c, i);
      og.mul(VectorMath.tanh(cn)).intoArray(h, i);
    }
    for (; i < n; i++) {
      float ig = dev.sequor.kernel.ref.ScalarMath.sigmoid(x[i]);
      float fg = dev.sequor.kernel.ref.ScalarMath.sigmoid(x[n + i]);
      float gg = dev.sequor.kernel.ref.ScalarMath.tanh(x[2 * n + i]);
      float og = dev.sequor.kernel.ref.ScalarMath.sigmoid(x[3 * n + i]);
      c[i] = Math.fma(fg, c[i], ig * gg);
      h[i] = og * dev.sequor.kernel.ref.ScalarMath.tanh(c[i]);
    }
    return h;
  }
}
