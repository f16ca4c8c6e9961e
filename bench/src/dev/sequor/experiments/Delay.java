package dev.sequor.experiments;

import dev.sequor.model.GptSpec;
import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelSpec;
import java.util.List;

/**
 * notes/01-rnn.md … 04-attention.md: can a model output the letter it saw d steps earlier? Each
 * architecture trains from scratch for every d with the same budget (steps × batch × window) and is
 * scored on held-out windows at the positions t ≥ d.
 */
final class Delay implements Experiment {
  static final int SYMBOLS = 8, SEQ = 64, EMBED = 16, HIDDEN = 128;
  static final long SEED = 0xDE1A7L;

  @Override public String name() { return "delay"; }

  @Override
  public String summary() {
    return "Accuracy of outputting the symbol seen d steps earlier (K=" + SYMBOLS + " symbols, window " + SEQ
        + ") vs d, for RNN/GRU/LSTM at the same hidden size and a small GPT, same training budget.";
  }

  /** The models compared: the recurrent cells at one hidden size, and a two-layer GPT whose context is the window. */
  static List<ModelSpec> models() {
    return List.of(Arch.recurrent("rnn", EMBED, HIDDEN, 1), Arch.recurrent("gru", EMBED, HIDDEN, 1),
        Arch.recurrent("lstm", EMBED, HIDDEN, 1), Arch.gpt(64, 4, 2, SEQ));
  }

  /** The learning rate of an architecture (the same for every task of these experiments). */
  static double lr(ModelSpec spec) { return spec instanceof GptSpec ? 1e-3 : 3e-3; }

  @Override
  public Result run(Context ctx) {
    int[] delays = ctx.quick() ? new int[] {2, 8, 32} : new int[] {1, 2, 4, 8, 16, 32};
    Fit.Budget budget = ctx.quick() ? new Fit.Budget(150, 32, 0, 20, 1.0) : new Fit.Budget(600, 32, 0, 50, 1.0);
    int evalSeqs = ctx.quick() ? 64 : 256;
    List<ModelSpec> specs = models();

    String[] cols = new String[specs.size() + 1];
    cols[0] = "d";
    for (int i = 0; i < specs.size(); i++) cols[i + 1] = Arch.label(specs.get(i));
    Table acc = new Table("delay", "Accuracy (%) at positions t ≥ d, chance " + Table.f(100.0 / SYMBOLS, 1) + "%", cols);
    Table loss = new Table("delay-train-loss", "Final training loss (nats, mean of the last 10% of steps; includes the unpredictable t < d)", cols);
    double[][] y = new double[specs.size()][delays.length];
    double[] x = new double[delays.length];
    for (int di = 0; di < delays.length; di++) {
      int d = delays[di];
      x[di] = d;
      DelayTask task = new DelayTask(SYMBOLS, d, SEQ);
      Object[] accRow = new Object[cols.length], lossRow = new Object[cols.length];
      accRow[0] = d;
      lossRow[0] = d;
      for (int i = 0; i < specs.size(); i++) {
        ModelSpec spec = specs.get(i);
        LanguageModel m = Arch.build(spec, SYMBOLS, SEED + i);
        double l = Fit.train(m, task, budget.withLr(lr(spec)), SEED * 31 + d, ctx.progress(), Arch.label(spec) + " d=" + d);
        double a = Accuracy.of(m, task, evalSeqs, SEED * 17 + d);
        ctx.progress().accept(Arch.label(spec) + " d=" + d + ": accuracy " + Table.f(100 * a, 1) + "%");
        y[i][di] = 100 * a;
        accRow[i + 1] = Table.f(100 * a, 1);
        lossRow[i + 1] = Table.f(l, 4);
      }
      acc.row(accRow);
      loss.row(lossRow);
    }
    Table params = new Table("delay-models", "Models", "model", "parameters", "learning rate");
    for (ModelSpec s : specs) params.row(Arch.label(s), Arch.params(s, SYMBOLS), lr(s));

    SvgPlot plot = SvgPlot.lines("Delay task: output the symbol seen d steps earlier", "delay d (steps)", "accuracy (%)")
        .logX().xTicks(x).yRange(0, 100).reference(100.0 / SYMBOLS, "chance");
    for (int i = 0; i < specs.size(); i++) plot.series(Arch.label(specs.get(i)), x, y[i], Arch.color(specs.get(i).arch()));
    return new Result().table(acc).table(loss).table(params).figure("delay", plot.svg())
        .remark("Budget per model and delay: " + budget.steps() + " steps x batch " + budget.batch() + " x window " + SEQ
            + " tokens; Adam, warm-up " + budget.warmup() + ", cosine to lr/10, clip " + budget.clip() + ".")
        .remark("Accuracy over the positions t >= d of " + evalSeqs + " held-out windows.");
  }
}
