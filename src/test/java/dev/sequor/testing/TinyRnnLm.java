package dev.sequor.testing;

import dev.sequor.io.Json;
import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelFactory;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.Models;
import dev.sequor.model.RecurrentSpec;
import dev.sequor.model.TokenStream;
import dev.sequor.tensor.ParamStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small test-only language model: PyTorch's one-layer tanh {@code nn.RNN} between an embedding
 * and a linear head, {@code h_t = tanh(W_ih E[x_t] + b_ih + W_hh h_{t-1} + b_hh)}, dropout on h,
 * logits {@code = U h_t + c}, under the checkpoint contract's rnn tensor names. Plain scalar loops;
 * enough to exercise training, carried state, checkpoints, evaluation, sampling and the CLI
 * against the {@link LanguageModel} contract without the real architectures. As arch "tiny" its
 * config is {@code {"hidden":H}} (embedding width H); {@link #FACTORY} also builds it for a
 * one-layer tanh {@link RecurrentSpec} "rnn".
 */
public final class TinyRnnLm implements LanguageModel {
  /** Spec of the tiny model: config {@code {"hidden":H}}. */
  public record Spec(int hidden) implements ModelSpec {
    public String arch() { return "tiny"; }

    public LinkedHashMap<String, int[]> tensorShapes(int v) {
      return new RecurrentSpec("rnn", "tanh", hidden, hidden, 1).tensorShapes(v);
    }

    public long tensorCount() { return 7; }

    public String configJson() { return "{\"hidden\":" + hidden + "}"; }

    public int blockLength() { return 0; }
  }

  /** A block-model variant of the spec (evaluated in blocks of {@code context}). */
  public record BlockSpec(int hidden, int context) implements ModelSpec {
    public String arch() { return "tinyblock"; }

    public LinkedHashMap<String, int[]> tensorShapes(int v) { return new Spec(hidden).tensorShapes(v); }

    public long tensorCount() { return 7; }

    public String configJson() { return "{\"hidden\":" + hidden + ",\"context\":" + context + "}"; }

    public int blockLength() { return context; }
  }

  /** Knows "tiny" (and "tinyblock": the same network without carried state, for block evaluation). */
  public static final ModelFactory FACTORY = new ModelFactory() {
    @Override
    public ModelSpec parse(String arch, String configJson) {
      if ("rnn".equals(arch)) return Models.STANDARD.parse(arch, configJson);
      Map<String, Object> c = Json.parseObject(configJson);
      if (!(c.get("hidden") instanceof Long h) || h < 1 || h > 4096)
        throw new IllegalArgumentException("config of " + arch + " is missing required field hidden");
      if ("tiny".equals(arch)) return new Spec((int) (long) h);
      if ("tinyblock".equals(arch) && c.get("context") instanceof Long t && t >= 1 && t < 1 << 20)
        return new BlockSpec((int) (long) h, (int) (long) t);
      throw new IllegalArgumentException("unknown arch '" + arch + "'");
    }

    @Override
    public LanguageModel create(ModelSpec spec, int vocabSize, float dropout, SplittableRandom init) {
      TinyRnnLm m;
      if (spec instanceof RecurrentSpec r) {
        if (!r.cell().equals("rnn") || !r.nonlinearity().equals("tanh") || r.layers() != 1)
          throw new IllegalArgumentException("the test model is a one-layer tanh rnn, not " + r);
        m = new TinyRnnLm(spec, vocabSize, r.embed(), r.hidden(), dropout);
      } else {
        int hidden = spec instanceof Spec s ? s.hidden() : ((BlockSpec) spec).hidden();
        m = new TinyRnnLm(spec, vocabSize, hidden, hidden, dropout);
      }
      if (init != null) m.initialize(init);
      return m;
    }
  };

  private final ModelSpec spec;
  private final int v, e, h;
  private final float dropout;
  private final ParamStore params;
  private final int oE, oI, oW, oBi, oB, oU, oC;

  public TinyRnnLm(ModelSpec spec, int vocab, int embed, int hidden, float dropout) {
    this.spec = spec;
    this.v = vocab;
    this.e = embed;
    this.h = hidden;
    this.dropout = dropout;
    ParamStore.Builder b = ParamStore.builder();
    oE = b.add("embed.weight", v, e);
    oI = b.add("rnn.weight_ih_l0", h, e);
    oW = b.add("rnn.weight_hh_l0", h, h);
    oBi = b.add("rnn.bias_ih_l0", h);
    oB = b.add("rnn.bias_hh_l0", h);
    oU = b.add("head.weight", v, h);
    oC = b.add("head.bias", v);
    params = b.build();
  }

  // pre-activation of h_t for token tok: W_ih E[tok] + b_ih + b_hh + W_hh h_prev
  private float preact(float[] p, int tok, int i, float[] hPrev, int prevOff) {
    float a = p[oBi + i] + p[oB + i];
    for (int k = 0; k < e; k++) a += p[oI + i * e + k] * p[oE + tok * e + k];
    for (int j = 0; j < h; j++) a += p[oW + i * h + j] * hPrev[prevOff + j];
    return a;
  }

  public void initialize(SplittableRandom rng) {
    float[] p = params.value;
    for (int i = 0; i < p.length; i++) p[i] = (float) ((rng.nextDouble() * 2 - 1) * 0.3);
  }

  public String arch() { return spec.arch(); }

  public int vocabSize() { return v; }

  public ParamStore params() { return params; }

  public String configJson() { return spec.configJson(); }

  static final class State implements Carry {
    final float[] h;

    State(int n) { h = new float[n]; }
  }

  @Override
  public Carry newCarry(int batch) { return spec.blockLength() > 0 ? null : new State(batch * h); }

  @Override
  public double forwardBackward(int[] inputs, int[] targets, int batch, int seq, Carry carry, SplittableRandom rng) {
    return run(inputs, targets, batch, seq, (State) carry, rng, true) / (batch * seq);
  }

  @Override
  public double lossSum(int[] inputs, int[] targets, int batch, int seq, Carry carry) {
    return run(inputs, targets, batch, seq, (State) carry, null, false);
  }

  private double run(int[] x, int[] y, int batch, int seq, State carry, SplittableRandom rng, boolean grad) {
    float[] p = params.value, g = params.grad;
    float[] hs = new float[batch * (seq + 1) * h]; // h_{-1} .. h_{seq-1} per batch row
    float[] hd = new float[batch * seq * h]; // dropped-out h fed to the head
    float[] mask = new float[batch * seq * h];
    float[] probs = new float[v];
    double loss = 0;
    float keep = 1f - dropout;
    float[] dhs = grad ? new float[batch * (seq + 1) * h] : null;
    for (int b = 0; b < batch; b++) {
      int base = b * (seq + 1) * h;
      if (carry != null) System.arraycopy(carry.h, b * h, hs, base, h);
      for (int t = 0; t < seq; t++) {
        int prev = base + t * h, cur = prev + h, tok = x[b * seq + t];
        for (int i = 0; i < h; i++) hs[cur + i] = (float) Math.tanh(preact(p, tok, i, hs, prev));
        int r = (b * seq + t) * h;
        for (int i = 0; i < h; i++) {
          mask[r + i] = rng != null && dropout > 0 ? (rng.nextFloat() < dropout ? 0f : 1f / keep) : 1f;
          hd[r + i] = hs[cur + i] * mask[r + i];
        }
      }
      if (carry != null) System.arraycopy(hs, base + seq * h, carry.h, b * h, h);
    }
    float scale = 1f / (batch * seq);
    for (int n = 0; n < batch * seq; n++) {
      float max = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < v; k++) {
        float a = p[oC + k];
        for (int i = 0; i < h; i++) a += p[oU + k * h + i] * hd[n * h + i];
        probs[k] = a;
        max = Math.max(max, a);
      }
      double sum = 0;
      for (int k = 0; k < v; k++) sum += Math.exp(probs[k] - max);
      double logZ = max + Math.log(sum);
      loss += logZ - probs[y[n]];
      if (!grad) continue;
      int b = n / seq, t = n % seq, cur = b * (seq + 1) * h + (t + 1) * h;
      for (int k = 0; k < v; k++) {
        float d = ((float) Math.exp(probs[k] - logZ) - (k == y[n] ? 1f : 0f)) * scale;
        g[oC + k] += d;
        for (int i = 0; i < h; i++) {
          g[oU + k * h + i] += d * hd[n * h + i];
          dhs[cur + i] += d * p[oU + k * h + i] * mask[n * h + i];
        }
      }
    }
    if (grad) {
      for (int b = 0; b < batch; b++) {
        int base = b * (seq + 1) * h;
        for (int t = seq - 1; t >= 0; t--) {
          int prev = base + t * h, cur = prev + h, tok = x[b * seq + t];
          for (int i = 0; i < h; i++) {
            float da = dhs[cur + i] * (1f - hs[cur + i] * hs[cur + i]);
            g[oBi + i] += da;
            g[oB + i] += da;
            for (int k = 0; k < e; k++) {
              g[oI + i * e + k] += da * p[oE + tok * e + k];
              g[oE + tok * e + k] += da * p[oI + i * e + k];
            }
            for (int j = 0; j < h; j++) {
              g[oW + i * h + j] += da * hs[prev + j];
              if (t > 0) dhs[prev + j] += da * p[oW + i * h + j];
            }
          }
        }
      }
    }
    return loss;
  }

  @Override
  public TokenStream openStream() {
    return new TokenStream() {
      final float[] state = new float[h], next = new float[h];
      long pos;

      @Override
      public void feed(int token, float[] logits) {
        float[] p = params.value;
        for (int i = 0; i < h; i++) next[i] = (float) Math.tanh(preact(p, token, i, state, 0));
        System.arraycopy(next, 0, state, 0, h);
        for (int k = 0; k < v; k++) {
          float a = p[oC + k];
          for (int i = 0; i < h; i++) a += p[oU + k * h + i] * state[i];
          logits[k] = a;
        }
        pos++;
      }

      @Override
      public long position() { return pos; }
    };
  }
}
