package dev.sequor.experiments;

import dev.sequor.model.LanguageModel;
import dev.sequor.model.RecurrentSpec;
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

  /**
   * The models compared: the recurrent cells at one hidden size (the LSTM also with its forget gates
   * starting open), and a one-layer GPT (one attention layer, one MLP) whose context is the window. Model i is initialised from SEED + i.
   */
  static List<Contender> models() {
    RecurrentSpec lstm = Arch.recurrent("lstm", EMBED, HIDDEN, 1);
    return List.of(Contender.of(Arch.recurrent("rnn", EMBED, HIDDEN, 1)), Contender.of(Arch.recurrent("gru", EMBED, HIDDEN, 1)),
        Contender.of(lstm), Contender.lstmForgetBias(lstm, 1), Contender.of(Arch.gpt(64, 4, 1, SEQ)));
  }

  @Override
  public Result run(Context ctx) {
    int[] delays = ctx.quick() ? new int[] {4, 16} : new int[] {4, 8, 12, 16, 24, 32};
    Fit.Budget budget = ctx.quick() ? new Fit.Budget(150, 32, 0, 20, 1.0) : new Fit.Budget(600, 32, 0, 50, 1.0);
    int evalSeqs = ctx.quick() ? 64 : 256;
    List<Contender> specs = models();

    String[] cols = new String[specs.size() + 1];
    cols[0] = "d";
    for (int i = 0; i < specs.size(); i++) cols[i + 1] = specs.get(i).label();
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
        Contender c = specs.get(i);
        LanguageModel m = c.build(SYMBOLS, SEED + i);
        double l = Fit.train(m, task, budget.withLr(c.lr()), SEED * 31 + d, ctx.progress(), c.label() + " d=" + d);
        double a = Accuracy.of(m, task, evalSeqs, SEED * 17 + d);
        ctx.progress().accept(c.label() + " d=" + d + ": accuracy " + Table.f(100 * a, 1) + "%");
        y[i][di] = 100 * a;
        accRow[i + 1] = Table.f(100 * a, 1);
        lossRow[i + 1] = Table.f(l, 4);
      }
      acc.row(accRow);
      loss.row(lossRow);
    }
    Table params = new Table("delay-models", "Models", "model", "parameters", "learning rate");
    for (Contender c : specs) params.row(c.label(), c.params(SYMBOLS), c.lr());

    SvgPlot plot = SvgPlot.lines("Delay task: output the symbol seen d steps earlier", "delay d (steps)", "accuracy (%)")
        .logX().xTicks(x).yRange(0, 100).reference(100.0 / SYMBOLS, "chance");
    for (int i = 0; i < specs.size(); i++) plot.series(specs.get(i).label(), x, y[i], specs.get(i).color());
    return new Result().table(acc).table(loss).table(params).figure("delay", plot.svg())
        .remark("Budget per model and delay: " + budget.steps() + " steps x batch " + budget.batch() + " x window " + SEQ
            + " tokens; Adam, warm-up " + budget.warmup() + ", cosine to lr/10, clip " + budget.clip() + ".")
        .remark("Accuracy over the positions t >= d of " + evalSeqs + " held-out windows.");
  }
}
