package dev.sequor.cli;

import dev.sequor.eval.Evaluation;
import dev.sequor.eval.Evaluator;
import dev.sequor.io.Checkpoint;
import dev.sequor.model.ModelFactory;
import dev.sequor.model.Models;
import dev.sequor.train.Corpus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** {@code eval}: the loss of a checkpoint on a text. */
public final class EvalCommand {
  private EvalCommand() {}

  public static final String HELP = """
      usage: sequor eval --checkpoint FILE --data TEXT
        Mean cross-entropy of the checkpoint's model on a UTF-8 text. Last line:
        `loss <nats per char> bpc <bits per char> chars <number of predictions>`.
        rnn/gru/lstm read the text as one stream from zero state (predictions 1..N-1); gpt reads
        consecutive non-overlapping blocks of its context T (floor((N-1)/T) blocks of T predictions).

        --checkpoint FILE    a checkpoint written by `sequor train` (or exported from PyTorch)
        --data TEXT          the text file to score
      """;

  public static int run(String[] args, PrintStream out, PrintStream err) { return run(args, out, err, Models.STANDARD); }

  static int run(String[] args, PrintStream out, PrintStream err, ModelFactory factory) {
    Path ckPath, dataPath;
    try {
      Flags f = Flags.parse(args, Set.of("--checkpoint", "--data"));
      if (f.help()) {
        out.print(HELP);
        return 0;
      }
      if (!f.has("--checkpoint")) throw new Flags.UsageException("--checkpoint is required");
      if (!f.has("--data")) throw new Flags.UsageException("--data is required");
      ckPath = TrainCommand.existingFile(f.string("--checkpoint", null), "--checkpoint");
      dataPath = TrainCommand.existingFile(f.string("--data", null), "--data");
    } catch (Flags.UsageException e) {
      err.println("sequor eval: " + e.getMessage() + " (see sequor eval --help)");
      return 2;
    }
    try {
      Checkpoint ck = Checkpoint.load(ckPath, factory);
      Corpus.Text text = Corpus.read(dataPath);
      int[] tokens;
      try {
        tokens = ck.vocab().encode(text.text());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(dataPath + ": " + e.getMessage(), e);
      }
      err.printf(Locale.ROOT, "evaluating %s %s on %s (%,d chars)%n", ck.spec().arch(), ck.spec().configJson(), dataPath, tokens.length);
      long t0 = System.nanoTime();
      Evaluation e = Evaluator.evaluate(ck.model(), ck.spec(), tokens);
      err.printf(Locale.ROOT, "%.1f s, %s chars/s%n", (System.nanoTime() - t0) / 1e9,
          TrainCommand.human(Math.round(e.chars() / ((System.nanoTime() - t0) / 1e9))));
      out.printf(Locale.ROOT, "loss %.4f bpc %.4f chars %d%n", e.loss(), e.bpc(), e.chars());
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("sequor eval: " + TrainCommand.message(e));
      return 1;
    }
  }
}
