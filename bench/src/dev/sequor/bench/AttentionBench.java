package dev.sequor.bench;

import dev.sequor.attention.MultiHeadAttention;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** Causal multi-head self-attention (fused QKV + output projection), forward and backward per (B, T, C, heads). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AttentionBench {
  /** batch x seq x d_model x heads */
  @Param({"1x64x128x4", "8x64x128x4", "4x128x256x8"})
  String shape;

  int batch, t, c, heads, n;
  MultiHeadAttention mha;
  float[] p, g, x, out, qkv, yh, probs, dout, dx, dqkv, dyh, dP, dS;

  @Setup
  public void setup() {
    String[] s = shape.split("x");
    batch = Integer.parseInt(s[0]); t = Integer.parseInt(s[1]); c = Integer.parseInt(s[2]); heads = Integer.parseInt(s[3]);
    n = batch * t;
    int size = 4 * c * c + 4 * c;
    mha = new MultiHeadAttention(c, heads, 0, 3 * c * c, 3 * c * c + 3 * c, 4 * c * c + 3 * c);
    SplittableRandom rng = new SplittableRandom(1);
    p = fill(rng, size, 0.05); g = new float[size];
    x = fill(rng, n * c, 1); dout = fill(rng, n * c, 1);
    out = new float[n * c]; qkv = new float[3 * n * c]; yh = new float[n * c];
    probs = new float[MultiHeadAttention.probsSize(batch, heads, t)];
    dx = new float[n * c]; dqkv = new float[3 * n * c]; dyh = new float[n * c]; dP = new float[t * t]; dS = new float[t * t];
    forward();
  }

  static float[] fill(SplittableRandom rng, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * scale);
    return a;
  }

  @Benchmark
  public float[] forward() {
    mha.forward(out, 0, qkv, 0, yh, 0, probs, 0, t * t, null, 0, null, 0, x, 0, p, true, null, batch, t, 0f, null);
    return out;
  }

  @Benchmark
  public float[] backward() {
    mha.backward(dx, 0, g, dqkv, 0, dyh, 0, dP, 0, dS, 0, dout, 0, x, 0, qkv, 0, yh, 0, probs, 0, null, 0, null, 0, p, true, null, batch, t);
    return dx;
  }
}
