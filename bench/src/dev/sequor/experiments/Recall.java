package dev.sequor.experiments;

import dev.sequor.model.LanguageModel;
import java.util.List;

/**
 * notes/03-lstm.md and 04-attention.md: after n key–value pairs, recall the value of a queried key.
 * Each architecture trains once on a mix of n (uniform in 1 … max) and is then scored per n on
 * held-out sequences: at a fixed state size, does accuracy fall as n grows?
 */
final class Recall implements Experiment {
  static final int KEYS = 16, SLOTS = 16, QUERIES = 16, EMBED = 32, HIDDEN = 128;
  static final long SEED = 0x4EC411L;

  @Override public String name() { return "recall"; }

  @Override
  public String summary() {
    return "Associative recall: accuracy of a queried key's value vs the number n of key-value pairs shown (K=" + KEYS
        + " keys), for RNN/GRU/LSTM at the same hidden size and a one-layer GPT, one training run each over mixed n.";
  }

  @Override
  public Result run(Context ctx) {
    int[] ns = ctx.quick() ? new int[] {1, 4, 16} : new int[] {1, 2, 4, 8, 12, 16};
    Fit.Budget budget = ctx.quick() ? new Fit.Budget(300, 32, 0, 30, 1.0) : new Fit.Budget(2000, 32, 0, 100, 1.0);
    int evalSeqs = ctx.quick() ? 64 : 256;
    RecallTask task = new RecallTask(KEYS, 1, SLOTS, SLOTS, QUERIES);
    List<Contender> specs = List.of(Contender.of(Arch.recurrent("rnn", EMBED, HIDDEN, 1)),
        Contender.of(Arch.recurrent("gru", EMBED, HIDDEN, 1)), Contender.of(Arch.recurrent("lstm", EMBED, HIDDEN, 1)),
        Contender.of(Arch.gpt(64, 4, 1, task.seq())));

    String[] cols = new String[specs.size() + 2];
    cols[0] = "n";
    for (int i = 0; i < specs.size(); i++) cols[i + 1] = specs.get(i).label();
    cols[specs.size() + 1] = "last pair only";
    Table acc = new Table("recall", "Accuracy (%) of the queried value, chance " + Table.f(100.0 / KEYS, 1) + "%", cols);
    Table models = new Table("recall-models", "Models", "model", "parameters", "learning rate", "final training loss (nats)");
    double[][] y = new double[specs.size()][ns.length];
    double[] x = new double[ns.length];
    for (int j = 0; j < ns.length; j++) x[j] = ns[j];
    for (int i = 0; i < specs.size(); i++) {
      Contender c = specs.get(i);
      LanguageModel m = c.build(task.vocab(), SEED + i);
      double l = Fit.train(m, task, budget.withLr(c.lr()), SEED * 31, ctx.progress(), c.label());
      models.row(c.label(), c.params(task.vocab()), c.lr(), Table.f(l, 4));
      for (int j = 0; j < ns.length; j++) {
        y[i][j] = 100 * Accuracy.of(m, task.withPairs(ns[j]), evalSeqs, SEED * 17 + ns[j]);
        ctx.progress().accept(c.label() + " n=" + ns[j] + ": accuracy " + Table.f(y[i][j], 1) + "%");
      }
    }
    double[] lastPair = new double[ns.length];
    for (int j = 0; j < ns.length; j++) {
      lastPair[j] = 100 * lastPairOnly(ns[j]);
      Object[] row = new Object[cols.length];
      row[0] = ns[j];
      for (int i = 0; i < specs.size(); i++) row[i + 1] = Table.f(y[i][j], 1);
      row[specs.size() + 1] = Table.f(lastPair[j], 1);
      acc.row(row);
    }
    SvgPlot plot = SvgPlot.lines("Associative recall after n key-value pairs", "pairs shown n", "accuracy (%)")
        .xTicks(x).yRange(0, 100).reference(100.0 / KEYS, "chance");
    for (int i = 0; i < specs.size(); i++) plot.series(specs.get(i).label(), x, y[i], specs.get(i).color());
    plot.dashed("last pair only", x, lastPair, "#7f7f7f");
    return new Result().table(acc).table(models).figure("recall", plot.svg())
        .remark("One training run per model: " + budget.steps() + " steps x batch " + budget.batch() + " sequences of "
            + task.seq() + " tokens, n uniform in 1.." + SLOTS + " (padded to " + SLOTS + " pair slots, one token per pair), " + QUERIES
            + " queries per sequence; Adam, warm-up " + budget.warmup() + ", cosine to lr/10, clip " + budget.clip() + ".")
        .remark("Accuracy over the " + QUERIES + " queries of each of " + evalSeqs + " held-out sequences per n.")
        .remark("Last pair only: the accuracy of a model that remembers just the most recent pair and guesses otherwise,"
            + " 1/n + (1 - 1/n)/K (computed, not trained).");
  }

  /** Accuracy of remembering only the last of n pairs: right when that pair is queried, else a guess among K values. */
  static double lastPairOnly(int n) { return 1.0 / n + (1 - 1.0 / n) / KEYS; }
}
