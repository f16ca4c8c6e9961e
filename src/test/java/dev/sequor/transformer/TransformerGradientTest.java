package dev.sequor.transformer;

import dev.sequor.kernel.Activations;
import dev.sequor.kernel.LayerNorm;
import dev.sequor.tensor.ParamStore;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Central-difference checks of layer norm, GELU, the MLP, a whole block and the whole decoder. */
class TransformerGradientTest {
  @ParameterizedTest(name = "bias={0}")
  @CsvSource({"true", "false"})
  void layerNorm(boolean bias) {
    SplittableRandom rng = new SplittableRandom(1);
    int rows = 3, c = 7;
    float[] x = GradCheck.random(rng, rows * c, 2), w = GradCheck.random(rng, c, 1.5), b = bias ? GradCheck.random(rng, c, 1) : null;
    float[] r = GradCheck.random(rng, rows * c, 1), out = new float[rows * c], mean = new float[rows], rstd = new float[rows];
    DoubleSupplier loss = () -> {
      LayerNorm.forward(out, 0, mean, 0, rstd, 0, x, 0, w, 0, b, 0, rows, c, 1e-5f);
      return GradCheck.dot(out, 0, r, rows * c);
    };
    loss.getAsDouble();
    float[] dx = new float[rows * c], dw = new float[c], db = bias ? new float[c] : null;
    LayerNorm.backward(dx, 0, dw, 0, db, 0, r, 0, x, 0, w, 0, mean, 0, rstd, 0, rows, c);
    GradCheck.check("layernorm dx", x, 0, dx, 0, x.length, loss);
    GradCheck.check("layernorm dweight", w, 0, dw, 0, c, loss);
    if (bias) GradCheck.check("layernorm dbias", b, 0, db, 0, c, loss);
  }

  @Test
  void gelu() {
    int n = 41;
    float[] x = new float[n], r = GradCheck.random(new SplittableRandom(2), n, 1), out = new float[n];
    for (int i = 0; i < n; i++) x[i] = -4f + 8f * i / (n - 1) + 0.013f; // −4..4, avoiding exact 0
    DoubleSupplier loss = () -> { Activations.gelu(out, 0, x, 0, n); return GradCheck.dot(out, 0, r, n); };
    float[] dx = new float[n];
    Activations.geluBackward(dx, 0, x, 0, r, 0, n);
    GradCheck.check("gelu dx", x, 0, dx, 0, n, loss);
  }

  @ParameterizedTest(name = "C={0} bias={1}")
  @CsvSource({"6, true", "5, false"})
  void mlp(int c, boolean bias) {
    SplittableRandom rng = new SplittableRandom(3);
    ParamStore.Builder b = ParamStore.builder();
    Mlp mlp = Mlp.declare(b, "mlp.", c, bias);
    ParamStore ps = b.build();
    int n = 3, h = 4 * c;
    RowJobs jobs = new RowJobs();
    System.arraycopy(GradCheck.random(rng, ps.size(), 0.5), 0, ps.value, 0, ps.size());
    float[] u = GradCheck.random(rng, n * c, 1.5), r = GradCheck.random(rng, n * c, 1);
    float[] out = new float[n * c], fc = new float[n * h], ge = new float[n * h], grad = new float[n * h];
    DoubleSupplier loss = () -> { mlp.forward(out, 0, fc, 0, ge, 0, grad, 0, u, 0, ps.value, n, jobs); return GradCheck.dot(out, 0, r, n * c); };
    loss.getAsDouble();
    float[] du = new float[n * c];
    mlp.backward(du, 0, ps.grad, new float[n * h], 0, new float[n * h], 0, r, 0, u, 0, grad, 0, ge, 0, ps.value, n, jobs);
    GradCheck.check("mlp du", u, 0, du, 0, u.length, loss);
    GradCheck.check("mlp dparams", ps.value, 0, ps.grad, 0, ps.size(), loss);
  }

  @ParameterizedTest(name = "C={0} heads={1} bias={2}")
  @CsvSource({"10, 5, true", "8, 2, false"})
  void block(int c, int heads, boolean bias) {
    SplittableRandom rng = new SplittableRandom(4);
    GptConfig cfg = new GptConfig(c, heads, 1, 4, bias, true, 0f);
    ParamStore.Builder pb = ParamStore.builder();
    Block block = Block.declare(pb, 0, cfg);
    ParamStore ps = pb.build();
    for (int i = 0; i < ps.size(); i++) ps.value[i] = (float) ((rng.nextDouble() * 2 - 1) * 0.5);
    for (var t : ps.tensors()) if (t.name().endsWith("ln_1.weight") || t.name().endsWith("ln_2.weight"))
      for (int i = 0; i < t.size(); i++) ps.value[t.offset() + i] += 1f;
    int batch = 2, t = 4, n = batch * t;
    GptLayout lay = new GptLayout(cfg, 3, batch, t, true, false);
    RowJobs jobs = new RowJobs();
    float[] a = new float[lay.actSize], w = new float[lay.workSize];
    float[] x = GradCheck.random(rng, n * c, 1.5), r = GradCheck.random(rng, n * c, 1);
    DoubleSupplier loss = () -> {
      System.arraycopy(x, 0, a, lay.res[0], n * c);
      block.normalizeInput(jobs, a, lay, 0, ps.value, GptLayout.NONE, 0);
      block.forward(a, lay, 0, ps.value, 0f, null, jobs);
      dev.sequor.kernel.Vec.add(a, lay.res[1], a, lay.mid[0], a, lay.mlpOut[0], n * c); // the caller's residual
      return GradCheck.dot(a, lay.res[1], r, n * c);
    };
    loss.getAsDouble();
    System.arraycopy(r, 0, w, lay.dRes, n * c);
    block.backward(w, a, lay, 0, ps.value, ps.grad, false, jobs);
    float[] dx = java.util.Arrays.copyOfRange(w, lay.dRes, lay.dRes + n * c);
    GradCheck.check("block dx", x, 0, dx, 0, x.length, loss);
    GradCheck.check("block dparams", ps.value, 0, ps.grad, 0, ps.size(), loss);
  }

  @ParameterizedTest(name = "bias={0} tied={1} dropout={2}")
  @CsvSource({"true, true, 0", "false, false, 0", "true, false, 0.2"})
  void decoder(boolean bias, boolean tied, float dropout) {
    GptConfig cfg = new GptConfig(8, 2, 2, 4, bias, tied, dropout);
    int vocab = 5, batch = 2, t = 4, n = batch * t;
    Gpt gpt = new Gpt(cfg, vocab);
    gpt.initialize(new SplittableRandom(5));
    // nanoGPT's 0.02 init makes gradients tiny; widen the weights so every path matters
    SplittableRandom rng = new SplittableRandom(6);
    float[] v = gpt.params().value;
    for (int i = 0; i < v.length; i++) v[i] += (float) ((rng.nextDouble() * 2 - 1) * 0.4);
    int[] in = new int[n], tg = new int[n];
    for (int i = 0; i < n; i++) { in[i] = rng.nextInt(vocab); tg[i] = rng.nextInt(vocab); }
    // with dropout, every evaluation draws the same masks from a freshly seeded generator
    DoubleSupplier loss = dropout > 0
        ? () -> gpt.forwardBackward(in, tg, batch, t, null, new SplittableRandom(7))
        : () -> gpt.lossSum(in, tg, batch, t, null) / n;
    gpt.params().zeroGrad();
    gpt.forwardBackward(in, tg, batch, t, null, dropout > 0 ? new SplittableRandom(7) : null);
    float[] analytic = gpt.params().grad.clone();
    GradCheck.check("decoder dparams", v, 0, analytic, 0, v.length, loss);
  }
}
