package dev.sequor.experiments;

import dev.sequor.model.GptSpec;
import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelFactory;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.Models;
import dev.sequor.model.RecurrentSpec;
import dev.sequor.rnn.RecurrentLM;
import dev.sequor.rnn.RecurrentLmConfig;
import dev.sequor.transformer.Gpt;
import dev.sequor.transformer.GptConfig;
import java.util.SplittableRandom;

/**
 * Builds the four architectures from their specs through the public constructors, initialised with
 * each architecture's own recipe (PyTorch's defaults for the recurrent LMs, nanoGPT's for the GPT),
 * and gives each a fixed plot color.
 */
final class Arch implements ModelFactory {
  static final Arch FACTORY = new Arch();

  private Arch() {}

  @Override
  public ModelSpec parse(String arch, String configJson) { return Models.STANDARD.parse(arch, configJson); }

  @Override
  public LanguageModel create(ModelSpec spec, int vocabSize, float dropout, SplittableRandom init) {
    LanguageModel m;
    if (spec instanceof RecurrentSpec r) {
      RecurrentLM lm = new RecurrentLM(new RecurrentLmConfig(r.cell(), r.nonlinearity(), r.embed(), r.hidden(), r.layers(), dropout), vocabSize);
      if (init != null) lm.initialize(init);
      m = lm;
    } else if (spec instanceof GptSpec g) {
      Gpt gpt = new Gpt(new GptConfig(g.dModel(), g.heads(), g.layers(), g.context(), g.bias(), g.tied(), dropout), vocabSize);
      if (init != null) gpt.initialize(init);
      m = gpt;
    } else {
      throw new IllegalArgumentException("unknown spec " + spec);
    }
    return m;
  }

  /** A one-layer recurrent LM of {@code cell} ("rnn" is tanh). */
  static RecurrentSpec recurrent(String cell, int embed, int hidden, int layers) {
    return new RecurrentSpec(cell, "tanh", embed, hidden, layers);
  }

  /** A GPT without biases, tied embeddings (nanoGPT's shakespeare_char form). */
  static GptSpec gpt(int dModel, int heads, int layers, int context) { return new GptSpec(dModel, heads, layers, context, false, true); }

  /** A model of {@code spec}, initialised from {@code seed}, no dropout. */
  static LanguageModel build(ModelSpec spec, int vocab, long seed) {
    return FACTORY.create(spec, vocab, 0f, new SplittableRandom(seed));
  }

  /** Parameter count of a model of {@code spec} over {@code vocab} tokens. */
  static int params(ModelSpec spec, int vocab) {
    long n = 0;
    for (int[] shape : spec.tensorShapes(vocab).values()) {
      long s = 1;
      for (int d : shape) s *= d;
      n += s;
    }
    return Math.toIntExact(n);
  }

  /** The plot color of an architecture, the same in every figure. */
  static String color(String arch) {
    return switch (arch) {
      case "rnn" -> "#d62728";
      case "gru" -> "#ff7f0e";
      case "lstm" -> "#1f77b4";
      case "gpt" -> "#2ca02c";
      default -> null;
    };
  }

  /** "lstm H=128" or "gpt 2x64": a short label for tables and legends. */
  static String label(ModelSpec spec) {
    if (spec instanceof RecurrentSpec r) return r.cell() + " H=" + r.hidden() + (r.layers() > 1 ? " x" + r.layers() : "");
    GptSpec g = (GptSpec) spec;
    return "gpt " + g.layers() + "L C=" + g.dModel();
  }
}
