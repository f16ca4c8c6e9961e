package dev.sequor.transformer;

import dev.sequor.attention.ScaledDotProductAttention;
import dev.sequor.kernel.CausalAttention;
import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.WorkerPool;
import dev.sequor.train.GradClip;
import dev.sequor.train.Optimizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Where one training step of nanoGPT's CPU recipe model goes (d_model 128, 4 layers, 4 heads, context
 * 64, batch 12, no bias, tied, dropout 0, AdamW): the median time per phase of
 * {@link Gpt#forwardBackward} over many steps (summed over layers), plus zeroing, clipping and AdamW,
 * then the GEMM shapes of one layer timed alone with their GFLOPS. Run on the test classpath with
 * {@code -Dsequor.profile.gpt=true --add-modules jdk.incubator.vector}; args: [steps] [threads].
 * With {@code -Dsequor.profile.cpu=true} (and threads 1) every time is the thread's CPU time.
 */
public final class GptStepProfile {
  public static void main(String[] args) {
    if (!StepPhases.ON) throw new IllegalStateException("run with -Dsequor.profile.gpt=true");
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    if (args.length > 1) WorkerPool.setThreads(Integer.parseInt(args[1]));
    int batch = 12, t = 64, vocab = 65, n = batch * t;
    Gpt gpt = new Gpt(new GptConfig(128, 4, 4, 64, false, true, 0f), vocab);
    gpt.initialize(new SplittableRandom(1));
    Optimizer opt = Optimizer.create("adamw", gpt.params(), 0.9f, 0.99f, 1e-8f, 0f, 0.1f);
    int[] in = new int[n], tg = new int[n];
    SplittableRandom r = new SplittableRandom(2);
    int phases = StepPhases.NAMES.length, extra = 3; // zero grad, clip, adamw
    long[][] perStep = new long[phases + extra + 1][steps];
    int warm = 50;
    for (int s = -warm; s < steps; s++) {
      for (int i = 0; i < n; i++) { in[i] = r.nextInt(vocab); tg[i] = r.nextInt(vocab); }
      StepPhases.reset();
      long t0 = StepPhases.now();
      gpt.params().zeroGrad();
      long t1 = StepPhases.now();
      StepPhases.start();
      gpt.forwardBackward(in, tg, batch, t, null, null);
      long t2 = StepPhases.now();
      GradClip.clip(gpt.params(), 1.0);
      long t3 = StepPhases.now();
      opt.step(1e-4f);
      long t4 = StepPhases.now();
      if (s < 0) continue;
      for (int p = 0; p < phases; p++) perStep[p][s] = StepPhases.NANOS[p];
      perStep[phases][s] = t1 - t0;
      perStep[phases + 1][s] = t3 - t2;
      perStep[phases + 2][s] = t4 - t3;
      perStep[phases + 3][s] = t4 - t0;
    }
    System.out.printf(Locale.ROOT, "threads %d, %d steps of %d tokens; median %s ms per step (phases summed over layers)%n",
        WorkerPool.threads(), steps, n, StepPhases.CPU ? "CPU" : "wall");
    double sum = 0;
    for (int p = 0; p < phases + extra; p++) {
      String name = p < phases ? StepPhases.NAMES[p] : new String[] {"zero grad", "clip", "adamw"}[p - phases];
      double ms = median(perStep[p]) / 1e6;
      sum += ms;
      System.out.printf(Locale.ROOT, "  %-18s %7.3f%n", name, ms);
    }
    double total = median(perStep[phases + extra]) / 1e6;
    System.out.printf(Locale.ROOT, "  %-18s %7.3f  (sum of medians %.3f) -> %.0f tokens/s%n", "step", total, sum, n / total * 1e3);
    gemms(n);
  }

  // the GEMM shapes of one step, each timed alone
  private static void gemms(int n) {
    System.out.println("GEMMs of one layer / the head, timed alone (median):");
    int c = 128, v = 65;
    String[] names = {"c_attn", "attn c_proj", "c_fc", "mlp c_proj", "head"};
    int[][] io = {{c, 3 * c}, {c, c}, {c, 4 * c}, {4 * c, c}, {c, v}};
    for (int i = 0; i < names.length; i++) {
      int in = io[i][0], out = io[i][1];
      float[] x = rand(n * in), w = rand(out * in), y = new float[n * out], dx = new float[n * in], dw = new float[out * in];
      report(names[i] + " fwd nt", 2.0 * n * in * out, () -> Gemm.nt(y, 0, out, x, 0, in, w, 0, in, n, out, in));
      report(names[i] + " dx nn", 2.0 * n * in * out, () -> Gemm.nn(dx, 0, in, y, 0, out, w, 0, in, n, in, out));
      report(names[i] + " dW tn", 2.0 * n * in * out, () -> Gemm.tn(dw, 0, in, y, 0, out, x, 0, in, out, in, n));
    }
    // attention of one layer: batch·heads (T,T) products of head width 32, as the per-head kernel calls
    int bh = 48, t = 64, hd = 32, c3 = 3 * c;
    float[] qkv = rand(n * c3), yh = new float[n * c], probs = new float[bh * t * t];
    report("SDPA per head fwd (48 heads)", 2.0 * bh * (t * t * hd) * 2, () -> {
      for (int b = 0; b < 12; b++)
        for (int h = 0; h < 4; h++) {
          int rows = b * t * c3;
          ScaledDotProductAttention.forward(yh, b * t * c + h * hd, c, probs, (b * 4 + h) * t * t, null, 0, null, 0,
              qkv, rows + h * hd, c3, qkv, rows + c + h * hd, c3, qkv, rows + 2 * c + h * hd, c3, true, 0, null, 0, t, t, hd);
        }
    });
    float[] dqkv = new float[n * c3];
    // causal: about half the products of the full (T,T) ones counted above
    report("fused causal fwd (48 heads)", 2.0 * bh * (t * t * hd) * 2, () ->
        CausalAttention.forward(yh, 0, c, probs, 0, null, 0, null, 0, qkv, 0, 12, 4, t, hd));
    report("fused causal bwd (48 heads)", 2.0 * bh * (t * t * hd) * 4, () ->
        CausalAttention.backward(dqkv, 0, false, yh, 0, c, qkv, 0, probs, 0, null, 0, null, 0, 12, 4, t, hd));
  }

  private static void report(String name, double flops, Runnable r) {
    long[] ns = new long[60];
    for (int i = 0; i < 20; i++) r.run();
    for (int i = 0; i < ns.length; i++) {
      long t0 = StepPhases.now();
      r.run();
      ns[i] = StepPhases.now() - t0;
    }
    double med = median(ns);
    System.out.printf(Locale.ROOT, "  %-26s %8.1f us %6.1f GFLOPS%n", name, med / 1e3, flops / med);
  }

  private static float[] rand(int size) {
    SplittableRandom r = new SplittableRandom(size);
    float[] a = new float[size];
    for (int i = 0; i < size; i++) a[i] = (float) r.nextGaussian();
    return a;
  }

  private static double median(long[] xs) {
    long[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
