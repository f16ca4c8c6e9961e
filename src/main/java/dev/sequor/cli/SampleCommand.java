package dev.sequor.cli;

import dev.sequor.io.Checkpoint;
import dev.sequor.model.ModelFactory;
import dev.sequor.model.Models;
import dev.sequor.sample.Sampler;
import dev.sequor.sample.SamplingOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code sample}: generates text from a checkpoint, printing it as it is generated. */
public final class SampleCommand {
  private SampleCommand() {}

  public static final String HELP = """
      usage: sequor sample --checkpoint FILE [options]
        Prints the prompt followed by the generated text on standard output, as it is generated,
        and nothing else there (status goes to standard error). The same seed gives the same text.

        --checkpoint FILE    a checkpoint written by `sequor train` (or exported from PyTorch)
        --prompt P           text to continue (default: none; generation starts after a newline)
        --tokens N           characters to generate (default 500)
        --temperature X      divides the logits; 0 = greedy, always the most likely (default 1.0)
        --top-k K            sample among the K most likely only; 0 = all (default 0)
        --top-p P            sample among the most likely whose probability reaches P (default 1.0)
        --seed S             seeds the draws (default 1337)
      """;

  public static int run(String[] args, PrintStream out, PrintStream err) { return run(args, out, err, Models.STANDARD); }

  static int run(String[] args, PrintStream out, PrintStream err, ModelFactory factory) {
    Path ckPath;
    String prompt;
    int tokens;
    SamplingOptions opts;
    try {
      Flags f = Flags.parse(args, Set.of("--checkpoint", "--prompt", "--tokens", "--temperature", "--top-k", "--top-p", "--seed"));
      if (f.help()) {
        out.print(HELP);
        return 0;
      }
      if (!f.has("--checkpoint")) throw new Flags.UsageException("--checkpoint is required");
      ckPath = TrainCommand.existingFile(f.string("--checkpoint", null), "--checkpoint");
      prompt = f.string("--prompt", "");
      tokens = f.integer("--tokens", 500, 0);
      double temperature = f.number("--temperature", 1.0);
      if (temperature < 0) throw new Flags.UsageException("--temperature must be >= 0, got " + temperature);
      int topK = f.integer("--top-k", 0, 0);
      double topP = f.number("--top-p", 1.0);
      if (!(topP > 0 && topP <= 1)) throw new Flags.UsageException("--top-p must be in (0, 1], got " + topP);
      opts = new SamplingOptions(temperature, topK, topP, f.longValue("--seed", 1337));
    } catch (Flags.UsageException e) {
      err.println("sequor sample: " + e.getMessage() + " (see sequor sample --help)");
      return 2;
    }
    try {
      Checkpoint ck = Checkpoint.load(ckPath, factory);
      Sampler sampler = new Sampler(ck.model(), ck.vocab());
      Sampler.Generation g = sampler.start(prompt, opts); // validates the prompt before anything is printed
      err.println("sampling " + tokens + " characters from " + ck.spec().arch() + " " + ck.spec().configJson());
      out.print(prompt);
      out.flush();
      for (int i = 0; i < tokens; i++) {
        out.print(g.next());
        out.flush();
      }
      err.println();
      return 0;
    } catch (IOException | RuntimeException e) {
      out.flush();
      err.println("sequor sample: " + TrainCommand.message(e));
      return 1;
    }
  }
}
