package dev.sequor.experiments;

import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelSpec;
import java.util.List;

/**
 * notes/03-lstm.md and 04-attention.md: after n key–value pairs, recall the value of a queried key.
 * Each architecture trains once on a mix of n (uniform in 1 … max) and is then scored per n on
 * held-out sequences: at a fixed state size, does accuracy fall as n grows?
 */
final class Recall implements Experiment {
  static final int KEYS = 32, QUERIES = 4, EMBED = 32, HIDDEN = 128;
  static final long SEED = 0x4EC411L;

  @Override public String name() { return "recall"; }

  @Override
  public String summary() {
    return "Associative recall: accuracy of a queried key's value vs the number n of key-value pairs shown (K=" + KEYS
        + " keys), for RNN/GRU/LSTM at the same hidden size and a small GPT, one training run each over mixed n.";
  }

  @Override
  public Result run(Context ctx) {
    int slots = ctx.quick() ? 8 : 32;
    int[] ns = ctx.quick() ? new int[] {1, 2, 4, 8} : new int[] {1, 2, 4, 8, 16, 24, 32};
    Fit.Budget budget = ctx.quick() ? new Fit.Budget(200, 32, 0, 20, 1.0) : new Fit.Budget(1500, 32, 0, 100, 1.0);
    int evalSeqs = ctx.quick() ? 64 : 256;
    RecallTask task = new RecallTask(KEYS, 1, slots, slots, QUERIES);
    List<ModelSpec> specs = List.of(Arch.recurrent("rnn", EMBED, HIDDEN, 1), Arch.recurrent("gru", EMBED, HIDDEN, 1),
        Arch.recurrent("lstm", EMBED, HIDDEN, 1), Arch.gpt(64, 4, 2, task.seq()));

    String[] cols = new String[specs.size() + 1];
    cols[0] = "n";
    for (int i = 0; i < specs.size(); i++) cols[i + 1] = Arch.label(specs.get(i));
    Table acc = new Table("recall", "Accuracy (%) of the queried value, chance " + Table.f(100.0 / KEYS, 1) + "%", cols);
    Table models = new Table("recall-models", "Models", "model", "parameters", "learning rate", "final training loss (nats)");
    double[][] y = new double[specs.size()][ns.length];
    double[] x = new double[ns.length];
    for (int j = 0; j < ns.length; j++) x[j] = ns[j];
    for (int i = 0; i < specs.size(); i++) {
      ModelSpec spec = specs.get(i);
      LanguageModel m = Arch.build(spec, task.vocab(), SEED + i);
      double l = Fit.train(m, task, budget.withLr(Delay.lr(spec)), SEED * 31, ctx.progress(), Arch.label(spec));
      models.row(Arch.label(spec), Arch.params(spec, task.vocab()), Delay.lr(spec), Table.f(l, 4));
      for (int j = 0; j < ns.length; j++) {
        y[i][j] = 100 * Accuracy.of(m, task.withPairs(ns[j]), evalSeqs, SEED * 17 + ns[j]);
        ctx.progress().accept(Arch.label(spec) + " n=" + ns[j] + ": accuracy " + Table.f(y[i][j], 1) + "%");
      }
    }
    for (int j = 0; j < ns.length; j++) {
      Object[] row = new Object[cols.length];
      row[0] = ns[j];
      for (int i = 0; i < specs.size(); i++) row[i + 1] = Table.f(y[i][j], 1);
      acc.row(row);
    }
    SvgPlot plot = SvgPlot.lines("Associative recall after n key-value pairs", "pairs shown n", "accuracy (%)")
        .xTicks(x).yRange(0, 100).reference(100.0 / KEYS, "chance");
    for (int i = 0; i < specs.size(); i++) plot.series(Arch.label(specs.get(i)), x, y[i], Arch.color(specs.get(i).arch()));
    return new Result().table(acc).table(models).figure("recall", plot.svg())
        .remark("One training run per model: " + budget.steps() + " steps x batch " + budget.batch() + " sequences of "
            + task.seq() + " tokens, n uniform in 1.." + slots + " (padded to " + slots + " pair slots), " + QUERIES
            + " queries per sequence; Adam, warm-up " + budget.warmup() + ", cosine to lr/10, clip " + budget.clip() + ".")
        .remark("Accuracy over the " + QUERIES + " queries of each of " + evalSeqs + " held-out sequences per n.");
  }
}
