package dev.sequor.cli;

import dev.sequor.eval.Evaluation;
import dev.sequor.model.GptSpec;
import dev.sequor.model.ModelFactory;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.Models;
import dev.sequor.model.RecurrentSpec;
import dev.sequor.train.Corpus;
import dev.sequor.train.Recipes;
import dev.sequor.train.TextData;
import dev.sequor.train.TrainConfig;
import dev.sequor.train.TrainListener;
import dev.sequor.train.TrainResult;
import dev.sequor.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code train}: trains a character-level model and saves it as a checkpoint. */
public final class TrainCommand {
  private TrainCommand() {}

  public static final String HELP = """
      usage: sequor train [options]
        Trains a character-level language model on a UTF-8 text and saves a checkpoint. With no
        options: a small gpt on the notes shipped with Sequor, in about a minute.
        Prints a progress line per --log-every steps, periodic validation, and last `val_loss <value>`
        (mean nats per character on the held-out last 10% of the text).

        --data FILE          training text, UTF-8 (default: the notes shipped with Sequor)
        --arch A             rnn, gru, lstm or gpt (default gpt)
        --out FILE           checkpoint to write (default runs/<arch>-<date>-<time>.safetensors)
        --resume FILE        continue the run saved in FILE exactly where it stopped (needs FILE's
                             .optim.safetensors sidecar and the same text; takes only --data, --out,
                             --log-every)
        --log-every N        progress line every N steps (default: steps/50)
      model, rnn/gru/lstm (defaults 64, 256, 2, tanh):
        --embed E  --hidden H  --layers L  --nonlinearity tanh|relu (rnn only)
      model, gpt (defaults nanoGPT's CPU size: 128, 4, 4, 64, false, true):
        --d-model C  --heads NH  --layers L  --context T  --bias true|false  --tied true|false
      training (defaults per arch; gpt: nanoGPT's shakespeare_char recipe):
        --steps N            optimizer steps (gpt 1000, lstm/gru 600, rnn 800)
        --batch B            windows per step (gpt 12, others 32)
        --seq T              window length, rnn/gru/lstm (64); gpt trains on windows of --context
        --lr X               peak learning rate (gpt 1e-3, lstm/gru 2e-3, rnn 1e-3)
        --min-lr X           end of the cosine decay (default lr/10)
        --warmup N           linear warm-up steps (100)
        --optimizer O        adamw, adam or sgd (gpt adamw, others adam)
        --beta1 X --beta2 X --eps X   Adam's (gpt 0.9, 0.99; others 0.9, 0.999; eps 1e-8)
        --momentum X         SGD momentum (0.9)
        --weight-decay X     on matrices and embeddings only (gpt 0.1, others 0)
        --clip X             global gradient-norm limit, 0 = off (1.0)
        --dropout X          dropout probability (gpt 0.2, others 0)
        --seed S             seeds initialisation, windows and dropout (1337)
        --carry true|false   rnn/gru/lstm: carry the state across consecutive windows (true)
        --eval-every N       validation estimate every N steps, 0 = never (gpt 250, others 200)
        --eval-windows N     windows in that estimate (gpt 96, others 64)
        --save-every N       checkpoint every N steps, 0 = only at the end (500)
      """;

  private static final Set<String> COMMON = Set.of("--data", "--arch", "--out", "--resume", "--log-every");
  private static final Set<String> RECURRENT = Set.of("--embed", "--hidden", "--nonlinearity", "--seq", "--carry");
  private static final Set<String> GPT = Set.of("--d-model", "--heads", "--context", "--bias", "--tied");
  private static final Set<String> TRAINING = Set.of("--layers", "--steps", "--batch", "--lr", "--min-lr", "--warmup",
      "--optimizer", "--beta1", "--beta2", "--eps", "--momentum", "--weight-decay", "--clip", "--dropout", "--seed",
      "--eval-every", "--eval-windows", "--save-every");

  private static Set<String> allFlags() {
    java.util.HashSet<String> s = new java.util.HashSet<>(COMMON);
    s.addAll(RECURRENT);
    s.addAll(GPT);
    s.addAll(TRAINING);
    return s;
  }

  public static int run(String[] args, PrintStream out, PrintStream err) { return run(args, out, err, Models.STANDARD); }

  static int run(String[] args, PrintStream out, PrintStream err, ModelFactory factory) {
    Trainer trainer;
    int logEvery;
    try {
      Flags f = Flags.parse(args, allFlags());
      if (f.help()) {
        out.print(HELP);
        return 0;
      }
      Corpus.Text text = text(f);
      if (f.has("--resume")) {
        for (String g : f.given())
          if (!g.equals("--resume") && !g.equals("--data") && !g.equals("--out") && !g.equals("--log-every"))
            throw new Flags.UsageException(g + " cannot be combined with --resume (the run's settings are in its checkpoint)");
        Path from = existingFile(f.string("--resume", null), "--resume");
        trainer = Trainer.resume(from, text.text(), factory).saveTo(Path.of(f.string("--out", from.toString())));
      } else {
        String arch = f.choice("--arch", Recipes.DEFAULT_ARCH, Models.ARCHS);
        ModelSpec spec = spec(f, arch);
        TrainConfig cfg = config(f, arch, spec);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path outPath = Path.of(f.string("--out", "runs/" + arch + "-" + stamp + ".safetensors"));
        TextData data;
        try {
          data = TextData.of(text.text());
        } catch (IllegalArgumentException e) {
          throw new Flags.UsageException("--data: " + e.getMessage());
        }
        try {
          trainer = Trainer.start(spec, cfg, data, factory).saveTo(outPath);
        } catch (IllegalArgumentException e) {
          throw new Flags.UsageException(e.getMessage());
        }
      }
      logEvery = f.integer("--log-every", Math.max(1, trainer.config().steps() / 50), 1);
      out.println(describe(trainer, text.name()));
    } catch (Flags.UsageException e) {
      err.println("sequor train: " + e.getMessage() + " (see sequor train --help)");
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("sequor train: " + message(e));
      return 1;
    }
    try {
      TrainResult r = trainer.run(new Printer(out, logEvery));
      return r.completed() ? 0 : 1;
    } catch (IOException | RuntimeException e) {
      out.flush();
      err.println("sequor train: " + message(e));
      return 1;
    }
  }

  static String message(Throwable e) {
    if (e instanceof java.nio.file.NoSuchFileException) return "no such file: " + e.getMessage();
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static Corpus.Text text(Flags f) throws Flags.UsageException, IOException {
    if (!f.has("--data")) return Corpus.shipped();
    return Corpus.read(existingFile(f.string("--data", null), "--data"));
  }

  static Path existingFile(String name, String flag) throws Flags.UsageException {
    Path p = Path.of(name);
    if (!Files.isRegularFile(p)) throw new Flags.UsageException(flag + ": no such file: " + name);
    return p;
  }

  private static ModelSpec spec(Flags f, String arch) throws Flags.UsageException {
    ModelSpec def = Recipes.spec(arch);
    Set<String> foreign = arch.equals("gpt") ? RECURRENT : GPT;
    for (String g : f.given())
      if (foreign.contains(g) || (g.equals("--nonlinearity") && !arch.equals("rnn")))
        throw new Flags.UsageException(g + " does not apply to " + arch);
    try {
      if (def instanceof GptSpec g)
        return new GptSpec(f.integer("--d-model", g.dModel(), 1), f.integer("--heads", g.heads(), 1), f.integer("--layers", g.layers(), 1),
            f.integer("--context", g.context(), 1), f.bool("--bias", g.bias()), f.bool("--tied", g.tied()));
      RecurrentSpec r = (RecurrentSpec) def;
      String nl = arch.equals("rnn") ? f.choice("--nonlinearity", r.nonlinearity(), List.of("tanh", "relu")) : "tanh";
      return new RecurrentSpec(arch, nl, f.integer("--embed", r.embed(), 1), f.integer("--hidden", r.hidden(), 1), f.integer("--layers", r.layers(), 1));
    } catch (IllegalArgumentException e) {
      throw new Flags.UsageException(e.getMessage());
    }
  }

  private static TrainConfig config(Flags f, String arch, ModelSpec spec) throws Flags.UsageException {
    TrainConfig d = Recipes.config(arch);
    TrainConfig.Builder b = d.toBuilder()
        .steps(f.integer("--steps", d.steps(), 1))
        .batch(f.integer("--batch", d.batch(), 1))
        .seq(spec.blockLength() > 0 ? spec.blockLength() : f.integer("--seq", d.seq(), 1))
        .lr(f.number("--lr", d.lr()))
        .warmup(f.integer("--warmup", d.warmup(), 0))
        .optimizer(f.choice("--optimizer", d.optimizer(), List.of("adamw", "adam", "sgd")))
        .beta1((float) f.number("--beta1", d.beta1()))
        .beta2((float) f.number("--beta2", d.beta2()))
        .eps((float) f.number("--eps", d.eps()))
        .momentum((float) f.number("--momentum", d.momentum()))
        .weightDecay((float) f.number("--weight-decay", d.weightDecay()))
        .clip(f.number("--clip", d.clip()))
        .dropout((float) f.number("--dropout", d.dropout()))
        .seed(f.longValue("--seed", d.seed()))
        .carry(f.bool("--carry", d.carry()))
        .evalEvery(f.integer("--eval-every", d.evalEvery(), 0))
        .evalWindows(f.integer("--eval-windows", d.evalWindows(), 1))
        .saveEvery(f.integer("--save-every", d.saveEvery(), 0));
    if (f.has("--min-lr")) b.minLr(f.number("--min-lr", 0));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new Flags.UsageException(e.getMessage());
    }
  }

  private static String describe(Trainer t, String textName) {
    TrainConfig c = t.config();
    int params = t.model().params().size();
    String what = t.step() > 0 ? "resuming " + t.spec().arch() + " at step " + t.step() : "training " + t.spec().arch();
    return String.format(Locale.ROOT,
        "%s %s: %s parameters, vocabulary %d; text: %s (%,d train / %,d val chars)%n"
            + "%d steps of %d x %d tokens, %s lr %.2e (warm-up %d, cosine to %.2e), clip %s, dropout %s, seed %d%s; checkpoint: %s",
        what, t.spec().configJson(), human(params), t.data().vocab().size(), textName, t.data().train().length, t.data().val().length,
        c.steps(), c.batch(), c.seq(), c.optimizer(), c.lr(), c.warmup(), c.minLr(), trim(c.clip()), trim(c.dropout()), c.seed(),
        c.carry() && t.spec().blockLength() == 0 ? ", state carried" : "", t.savePath());
  }

  static String human(long n) {
    if (n >= 1_000_000) return String.format(Locale.ROOT, "%.2fM", n / 1e6);
    if (n >= 1_000) return String.format(Locale.ROOT, "%.1fk", n / 1e3);
    return Long.toString(n);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString((float) v);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /** Prints progress: readable at a glance, one line per event. */
  static final class Printer implements TrainListener {
    private final PrintStream out;
    private final int every;

    Printer(PrintStream out, int every) {
      this.out = out;
      this.every = every;
    }

    @Override
    public boolean step(Step s) {
      if (s.step() % every == 0 || s.step() == s.steps() || s.step() == 1) {
        int w = Long.toString(s.steps()).length();
        out.printf(Locale.ROOT, "step %" + w + "d/%d  loss %.4f  lr %.2e  %s tok/s  %s elapsed  ETA %s%n", s.step(), s.steps(), s.loss(),
            s.lr(), human(Math.round(s.tokensPerSecond())), duration(s.elapsedSeconds()), duration(s.etaSeconds()));
      }
      return true;
    }

    @Override
    public void validated(long step, double valLoss) {
      out.printf(Locale.ROOT, "step %d  val %.4f (estimate)%n", step, valLoss);
    }

    @Override
    public void saved(long step, Path checkpoint) {
      out.println("saved " + checkpoint + " (step " + step + ")");
    }

    @Override
    public void finished(Evaluation v) {
      out.printf(Locale.ROOT, "val_loss %.4f%n", v.loss());
    }
  }
}
