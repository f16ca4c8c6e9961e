package dev.sequor.experiments;

import dev.sequor.eval.Evaluation;
import dev.sequor.model.ModelSpec;
import dev.sequor.train.Recipes;
import dev.sequor.train.TextData;
import dev.sequor.train.TrainConfig;
import dev.sequor.train.TrainListener;
import dev.sequor.train.TrainResult;
import dev.sequor.train.Trainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * notes/05-transformer.md: the four architectures as character-level language models of one text,
 * each with about the same number of parameters, trained by Sequor's own {@link Trainer} with its
 * per-architecture recipe ({@link Recipes}: optimizer, learning rate, warm-up, clipping; truncated
 * BPTT with carried state for the recurrent ones) on the same number of tokens, then evaluated on the
 * whole held-out 10% ({@code dev.sequor.eval.Evaluator}).
 */
final class CharLm implements Experiment {
  static final int BATCH = 32, SEQ = 64;

  @Override public String name() { return "char-lm"; }

  @Override
  public String summary() {
    return "Validation loss of RNN, GRU, LSTM and GPT (about 0.8-0.9M parameters each) trained on the same number of"
        + " characters of a text (--data, e.g. tinyshakespeare.txt) with their own recipes.";
  }

  /** The models: the shipped lstm and gpt recipes, and rnn / gru widened to about the same parameter count. */
  static List<ModelSpec> models() {
    return List.of(Arch.recurrent("rnn", 64, 512, 2), Arch.recurrent("gru", 64, 296, 2), Recipes.spec("lstm"), Recipes.spec("gpt"));
  }

  @Override
  public Result run(Context ctx) throws Exception {
    if (ctx.data() == null)
      throw new IllegalArgumentException("char-lm needs a text corpus: --data PATH (e.g. ../shared/data/tinyshakespeare.txt)");
    if (!Files.isRegularFile(ctx.data()))
      throw new IllegalArgumentException("char-lm: corpus " + ctx.data() + " does not exist (pass --data PATH to a text file,"
          + " e.g. tinyshakespeare.txt)");
    String text = Files.readString(ctx.data(), StandardCharsets.UTF_8);
    TextData data = TextData.of(text);
    int steps = ctx.quick() ? 60 : 500, evalEvery = steps / 10;
    List<ModelSpec> specs = models();

    Table res = new Table("char-lm", "Validation loss after " + steps + " steps x " + BATCH + " x " + SEQ + " = "
        + (long) steps * BATCH * SEQ + " training characters", "model", "parameters", "optimizer, lr", "train loss (last step)",
        "val loss (nats/char)", "val bits/char", "tokens/s (machine-dependent, not comparable across rows)");
    List<double[]> curves = new ArrayList<>();
    double[] x = new double[steps / evalEvery + 1];
    for (int i = 0; i < x.length; i++) x[i] = (double) i * evalEvery * BATCH * SEQ / 1e6;
    for (ModelSpec spec : specs) {
      String arch = spec.arch();
      TrainConfig cfg = Recipes.config(arch).toBuilder().steps(steps).batch(BATCH).seq(SEQ).dropout(0f).evalEvery(evalEvery)
          .evalWindows(64).saveEvery(0).warmup(Math.min(100, steps / 10)).build();
      Trainer trainer = Trainer.start(spec, cfg, data, Arch.FACTORY);
      double[] curve = new double[x.length];
      curve[0] = trainer.estimateValLoss();
      String label = Arch.label(spec);
      TrainResult r = trainer.run(new TrainListener() {
        @Override public void validated(long step, double valLoss) {
          curve[(int) (step / evalEvery)] = valLoss;
          ctx.progress().accept(label + " step " + step + " val " + Table.f(valLoss, 4));
        }
      });
      curve[x.length - 1] = trainer.estimateValLoss();
      curves.add(curve);
      Evaluation val = r.validation();
      ctx.progress().accept(label + ": val " + Table.f(val.loss(), 4) + " (" + Table.f(r.seconds(), 0) + " s training)");
      res.row(label, trainer.model().params().size(), cfg.optimizer() + " " + cfg.lr(), Table.f(r.lastLoss(), 4),
          Table.f(val.loss(), 4), Table.f(val.bpc(), 3), Table.f(r.tokensPerSecond(), 0));
    }
    SvgPlot plot = SvgPlot.lines("Character-level LM, same training characters", "training characters (millions)",
        "validation loss estimate (nats/char)");
    for (int i = 0; i < specs.size(); i++) plot.series(Arch.label(specs.get(i)), x, curves.get(i), Arch.color(specs.get(i).arch()));
    String[] curveCols = new String[specs.size() + 1];
    curveCols[0] = "training characters";
    for (int i = 0; i < specs.size(); i++) curveCols[i + 1] = Arch.label(specs.get(i));
    Table curve = new Table("char-lm-curve", "Validation estimate (64 fixed windows, nats/char) during training", curveCols);
    for (int j = 0; j < x.length; j++) {
      Object[] row = new Object[curveCols.length];
      row[0] = (long) j * evalEvery * BATCH * SEQ;
      for (int i = 0; i < specs.size(); i++) row[i + 1] = Table.f(curves.get(i)[j], 4);
      curve.row(row);
    }
    return new Result().table(res).table(curve).figure("char-lm", plot.svg())
        .remark("Corpus: " + ctx.data().getFileName() + ", " + text.length() + " characters, vocabulary " + data.vocab().size()
            + "; the first 90% train, the last 10% validate (val loss: the whole held-out split, Evaluator).")
        .remark("Recipes of dev.sequor.train.Recipes with batch " + BATCH + ", window " + SEQ + ", dropout 0, warm-up "
            + Math.min(100, steps / 10) + " and cosine decay over the run; the curve is the trainer's periodic estimate on 64 fixed"
            + " validation windows.");
  }
}
