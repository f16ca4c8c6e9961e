package dev.sequor.experiments;

import dev.sequor.model.LanguageModel;
import dev.sequor.model.RecurrentSpec;
import dev.sequor.rnn.CellType;
import dev.sequor.rnn.RecurrentConfig;
import dev.sequor.rnn.RecurrentParams;
import dev.sequor.rnn.RecurrentStack;
import dev.sequor.rnn.RecurrentWorkspace;
import dev.sequor.tensor.ParamStore;
import dev.sequor.tensor.ParamTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * notes/01-rnn.md … 03-lstm.md: how the gradient of a loss at the last step T depends on the input
 * k steps back, for the three recurrent cells at the same hidden size — at PyTorch's default
 * initialisation and after training on the delay task (the models, seeds and settings of
 * {@code delay} at d = {@link #TRAINED_DELAY}, with four times its steps). Measured with the stack's own backward pass
 * ({@link RecurrentStack#backward}, which returns ∂L/∂x): L_T = u·h_T for a fixed random unit vector u,
 * so nothing but the recurrence is measured. Also the gated cells' direct paths: the LSTM's
 * ∂c_T/∂c_k = Π f_t (math/lstm-backward.md) and the GRU's ∂h_T/∂h_k ⊇ Π z_t (math/gru-backward.md).
 */
final class GradientFlow implements Experiment {
  static final int TRAINED_DELAY = 16, STEPS = 100, BATCH = 32;
  static final int[] DISTANCES = {0, 1, 2, 4, 8, 12, 16, 20, 24, 32, 48, 64, 99};

  @Override public String name() { return "gradient-flow"; }

  @Override
  public String summary() {
    return "Relative norm of dL_T/dx_k vs distance T-k for RNN/GRU/LSTM (H=" + Delay.HIDDEN + ", LSTM also with forget bias 1),"
        + " at initialisation and after training on delay d=" + TRAINED_DELAY + "; and the gates' direct paths (LSTM prod f_t, GRU prod z_t).";
  }

  /** What one model's measurement gives, per distance 0 … STEPS−1. */
  record Flow(double[] relGrad, double[] gatePath) {}

  @Override
  public Result run(Context ctx) {
    // the recurrent models of Delay, with their seeds (model i from Delay.SEED + i)
    List<Contender> all = Delay.models();
    List<Contender> cells = all.stream().filter(c -> c.spec() instanceof RecurrentSpec).toList();
    // four times the delay experiment's budget: long enough for some cells to leave the plateau at chance
    Fit.Budget budget = ctx.quick() ? new Fit.Budget(150, 32, 0, 20, 1.0) : new Fit.Budget(2400, 32, 0, 50, 1.0);
    DelayTask task = new DelayTask(Delay.SYMBOLS, TRAINED_DELAY, Delay.SEQ);
    List<Flow> init = new ArrayList<>(), trained = new ArrayList<>();
    Table models = new Table("gradient-flow-models", "The trained models (delay d=" + TRAINED_DELAY + ", " + budget.steps() + " steps)",
        "model", "accuracy on the delay task (%)", "final training loss (nats)");
    for (Contender c : cells) {
      RecurrentSpec spec = (RecurrentSpec) c.spec();
      LanguageModel m = c.build(Delay.SYMBOLS, Delay.SEED + all.indexOf(c));
      init.add(measure(m, spec));
      double loss = Fit.train(m, task, budget.withLr(c.lr()), Delay.SEED * 31 + TRAINED_DELAY, ctx.progress(), c.label());
      double acc = Accuracy.of(m, task, ctx.quick() ? 64 : 256, Delay.SEED * 17 + TRAINED_DELAY);
      models.row(c.label(), Table.f(100 * acc, 1), Table.f(loss, 4));
      trained.add(measure(m, spec));
    }

    String[] gradCols = new String[1 + 2 * cells.size()];
    gradCols[0] = "T-k";
    for (int i = 0; i < cells.size(); i++) {
      gradCols[1 + i] = cells.get(i).label() + " init";
      gradCols[1 + cells.size() + i] = cells.get(i).label() + " trained";
    }
    Table grads = new Table("gradient-flow", "Relative gradient norm mean_b |dL_T/dx_k| / mean_b |dL_T/dx_T| at distance T-k", gradCols);
    List<Integer> gated = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) if (init.get(i).gatePath != null) gated.add(i);
    String[] gateCols = new String[1 + 2 * gated.size()];
    gateCols[0] = "T-k";
    for (int j = 0; j < gated.size(); j++) {
      Contender c = cells.get(gated.get(j));
      String g = c.arch().equals("lstm") ? " prod f" : " prod z";
      gateCols[1 + 2 * j] = c.label() + g + " init";
      gateCols[2 + 2 * j] = c.label() + g + " trained";
    }
    Table gates = new Table("gradient-flow-gates",
        "Direct path through the gates: mean over units and sequences of the product of f (LSTM) or z (GRU) over the last T-k steps", gateCols);
    for (int dist : DISTANCES) {
      Object[] row = new Object[gradCols.length];
      row[0] = dist;
      for (int i = 0; i < cells.size(); i++) {
        row[1 + i] = Table.e(init.get(i).relGrad[dist]);
        row[1 + cells.size() + i] = Table.e(trained.get(i).relGrad[dist]);
      }
      grads.row(row);
      Object[] grow = new Object[gateCols.length];
      grow[0] = dist;
      for (int j = 0; j < gated.size(); j++) {
        grow[1 + 2 * j] = Table.e(init.get(gated.get(j)).gatePath[dist]);
        grow[2 + 2 * j] = Table.e(trained.get(gated.get(j)).gatePath[dist]);
      }
      gates.row(grow);
    }

    double[] x = new double[STEPS];
    for (int d = 0; d < STEPS; d++) x[d] = d;
    SvgPlot g = SvgPlot.lines("Gradient reaching the input k steps back (H=" + Delay.HIDDEN + ")", "distance T-k (steps)",
        "|dL_T/dx_k| relative to k = T").logY();
    SvgPlot f = SvgPlot.lines("Direct path through the gates (prod f: LSTM, prod z: GRU)", "distance T-k (steps)",
        "mean product of gates").logY();
    for (int i = 0; i < cells.size(); i++) {
      Contender c = cells.get(i);
      g.dashed(c.shortName() + " init", x, init.get(i).relGrad, c.color());
      g.series(c.shortName() + " trained", x, trained.get(i).relGrad, c.color());
      if (init.get(i).gatePath != null) {
        f.dashed(c.shortName() + " init", x, init.get(i).gatePath, c.color());
        f.series(c.shortName() + " trained", x, trained.get(i).gatePath, c.color());
      }
    }
    return new Result().table(grads).table(gates).table(models).figure("gradient-flow", g.svg()).figure("gradient-flow-gates", f.svg())
        .remark("L_T = u . h_T with u a fixed random unit vector; " + BATCH + " sequences of " + STEPS
            + " random symbols through the model's own embedding; norms averaged over the sequences.")
        .remark("Trained: the delay experiment's models, seeds and settings at d=" + TRAINED_DELAY + ", for " + budget.steps()
            + " steps x batch " + budget.batch() + " x window " + Delay.SEQ + " (four times the delay experiment's budget).");
  }

  /** Runs the model's recurrent layer on random symbols and measures the gradient of u·h_T at every input. */
  static Flow measure(LanguageModel lm, RecurrentSpec spec) {
    ParamStore src = lm.params();
    int e = spec.embed(), h = spec.hidden();
    CellType cell = CellType.of(spec.cell(), spec.nonlinearity());
    RecurrentConfig cfg = RecurrentConfig.of(cell, e, h, 1);
    ParamStore.Builder b = ParamStore.builder();
    RecurrentParams rp = RecurrentParams.declare(b, "rnn.", cfg);
    ParamStore store = b.build();
    for (ParamTensor t : store.tensors()) System.arraycopy(src.value, src.get(t.name()).offset(), store.value, t.offset(), t.size());
    int embed = src.get("embed.weight").offset();

    SplittableRandom rng = new SplittableRandom(0x6F10L);
    float[] x = new float[STEPS * BATCH * e];
    for (int r = 0; r < STEPS * BATCH; r++) System.arraycopy(src.value, embed + rng.nextInt(lm.vocabSize()) * e, x, r * e, e);
    float[] u = new float[h];
    double norm = 0;
    for (int j = 0; j < h; j++) { u[j] = (float) rng.nextGaussian(); norm += u[j] * u[j]; }
    for (int j = 0; j < h; j++) u[j] /= (float) Math.sqrt(norm);

    RecurrentStack stack = new RecurrentStack(rp);
    RecurrentWorkspace ws = stack.newWorkspace(STEPS, BATCH);
    stack.forward(ws, store.value, x, 0, null, STEPS, null, 0, null, 0, null);
    float[] dy = new float[STEPS * BATCH * h], dx = new float[STEPS * BATCH * e];
    for (int s = 0; s < BATCH; s++) System.arraycopy(u, 0, dy, ((STEPS - 1) * BATCH + s) * h, h);
    stack.backward(ws, store.value, store.grad, dy, 0, null, 0, null, 0, dx, 0, null, 0, null, 0);

    double[] rel = new double[STEPS];
    for (int dist = 0; dist < STEPS; dist++) {
      int t = STEPS - 1 - dist;
      double sum = 0;
      for (int s = 0; s < BATCH; s++) {
        double sq = 0;
        for (int i = 0; i < e; i++) { double v = dx[(t * BATCH + s) * e + i]; sq += v * v; }
        sum += Math.sqrt(sq);
      }
      rel[dist] = sum / BATCH;
    }
    double base = rel[0];
    for (int d = 0; d < STEPS; d++) rel[d] /= base;
    double[] gate = cell == CellType.LSTM || cell == CellType.GRU ? gatePath(store.value, rp, cell, x, ws.output(), e, h) : null;
    return new Flow(rel, gate);
  }

  /**
   * Mean over units and sequences of Π_{t=T−dist}^{T−1} g_t, g = the LSTM's forget gate f (gate block 1
   * of [i|f|g|o]) or the GRU's update gate z (block 1 of [r|z|n]), recomputed from the inputs and the
   * saved outputs h_{t−1} (h_{−1} = 0): g_t = σ(W_i x_t + b_i + W_h h_{t−1} + b_h) on that block's rows.
   */
  static double[] gatePath(float[] p, RecurrentParams rp, CellType cell, float[] x, float[] out, int e, int h) {
    int wIh = rp.weightIh(0, 0), wHh = rp.weightHh(0, 0), bIh = rp.biasIh(0, 0), bHh = rp.biasHh(0, 0);
    double[] gates = new double[STEPS * BATCH * h];
    for (int t = 0; t < STEPS; t++)
      for (int s = 0; s < BATCH; s++)
        for (int j = 0; j < h; j++) {
          int row = h + j; // block 1: f for the LSTM, z for the GRU
          double a = p[bIh + row] + p[bHh + row];
          for (int i = 0; i < e; i++) a += (double) p[wIh + row * e + i] * x[(t * BATCH + s) * e + i];
          if (t > 0) for (int i = 0; i < h; i++) a += (double) p[wHh + row * h + i] * out[((t - 1) * BATCH + s) * h + i];
          gates[(t * BATCH + s) * h + j] = 1 / (1 + Math.exp(-a));
        }
    double[] path = new double[STEPS];
    double[] prod = new double[BATCH * h];
    java.util.Arrays.fill(prod, 1);
    path[0] = 1;
    for (int dist = 1; dist < STEPS; dist++) {
      int t = STEPS - dist;
      double sum = 0;
      for (int k = 0; k < BATCH * h; k++) { prod[k] *= gates[t * BATCH * h + k]; sum += prod[k]; }
      path[dist] = sum / (BATCH * h);
    }
    return path;
  }
}
