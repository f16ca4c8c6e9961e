package dev.sequor.experiments;

import dev.sequor.model.GptSpec;
import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.RecurrentSpec;
import dev.sequor.tensor.ParamStore;
import java.util.Arrays;

/**
 * A model as an experiment compares it: an architecture's spec plus how it starts. {@code forgetBias}
 * (LSTM only, NaN for none) replaces PyTorch's default U(−1/√H, 1/√H) biases of the forget gate by a
 * total bias of exactly that value ({@code bias_ih} rows H…2H set to it, {@code bias_hh} rows to 0),
 * the initialisation of Gers, Schmidhuber & Cummins (2000) and Jozefowicz et al. (2015) (Keras'
 * {@code unit_forget_bias}): f = σ(1) ≈ 0.73 at the start instead of ≈ 0.5.
 *
 * @param label      name in tables and legends
 * @param spec       architecture and sizes
 * @param forgetBias the LSTM's initial forget-gate bias, or NaN for the architecture's default
 * @param color      plot color
 */
record Contender(String label, ModelSpec spec, double forgetBias, String color) {
  static Contender of(ModelSpec spec) { return new Contender(Arch.label(spec), spec, Double.NaN, Arch.color(spec.arch())); }

  /** An LSTM whose forget gates start with total bias {@code bias}. */
  static Contender lstmForgetBias(RecurrentSpec spec, double bias) {
    if (!spec.cell().equals("lstm")) throw new IllegalArgumentException("forget bias applies to the lstm, not " + spec.cell());
    return new Contender(Arch.label(spec) + " f-bias " + Table.f(bias, 0), spec, bias, "#9467bd");
  }

  /** A short name for legends: the architecture, "lstm fb=1" for a forget-bias variant. */
  String shortName() { return spec.arch() + (Double.isNaN(forgetBias) ? "" : " fb=" + Table.f(forgetBias, 0)); }

  /** The architecture's name ("rnn", "gru", "lstm", "gpt"). */
  String arch() { return spec.arch(); }

  /** A fresh model over {@code vocab} tokens, initialised from {@code seed}. */
  LanguageModel build(int vocab, long seed) {
    LanguageModel m = Arch.build(spec, vocab, seed);
    if (!Double.isNaN(forgetBias)) {
      RecurrentSpec r = (RecurrentSpec) spec;
      ParamStore p = m.params();
      int h = r.hidden();
      for (int l = 0; l < r.layers(); l++) {
        int bih = p.get("rnn.bias_ih_l" + l).offset(), bhh = p.get("rnn.bias_hh_l" + l).offset();
        Arrays.fill(p.value, bih + h, bih + 2 * h, (float) forgetBias); // gate order [i|f|g|o]
        Arrays.fill(p.value, bhh + h, bhh + 2 * h, 0f);
      }
    }
    return m;
  }

  /** Parameters over {@code vocab} tokens. */
  int params(int vocab) { return Arch.params(spec, vocab); }

  /** The learning rate of these experiments' synthetic tasks: 1e-3 for the GPT, 3e-3 for the recurrent models. */
  double lr() { return spec instanceof GptSpec ? 1e-3 : 3e-3; }
}
