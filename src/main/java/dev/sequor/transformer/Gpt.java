package dev.sequor.transformer;

import dev.sequor.attention.Dropout;
import dev.sequor.attention.KvCache;
import dev.sequor.attention.Linear;
import dev.sequor.kernel.CrossEntropy;
import dev.sequor.kernel.LayerNorm;
import dev.sequor.kernel.Vec;
import dev.sequor.model.LanguageModel;
import dev.sequor.model.TokenStream;
import dev.sequor.tensor.ParamStore;
import dev.sequor.tensor.ParamTensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A GPT decoder exactly as nanoGPT's {@code GPT}: token + learned position embeddings, {@code layers}
 * pre-LayerNorm {@link Block}s (causal multi-head attention, 4C GELU MLP), a final LayerNorm and an LM
 * head (tied to the token embedding or its own {@code lm_head.weight}). Parameter names, shapes and
 * order are nanoGPT's state_dict, so checkpoints copy by name.
 *
 * <p>Training ({@link #forwardBackward}) runs on (B, T ≤ context) batches with every projection a
 * GEMM over all B·T rows; activations live in flat buffers laid out once per (B, T) by
 * {@link GptLayout} and reused, so steps do not allocate. The attention weights are kept for backward
 * only in training; {@link #lossSum} and {@link #logits} reuse one (T,T) scratch.
 *
 * <p>Generation ({@link #openStream}) uses a KV cache: see {@link GptStream}. Streams keep their own
 * buffers, so several may run on different threads; {@link #forwardBackward}, {@link #lossSum} and
 * {@link #logits} share the model's workspace and must not run concurrently.
 */
public final class Gpt implements LanguageModel {
  private final GptConfig config;
  private final int vocab;
  private final ParamStore params;
  final int wte, wpe, lnfW, lnfB, head;
  final Block[] blocks;

  GptLayout layout;
  float[] act, work;
  private final RowJobs jobs = new RowJobs();

  public Gpt(GptConfig config, int vocabSize) {
    if (config == null) throw new IllegalArgumentException("config is null");
    if (vocabSize <= 0) throw new IllegalArgumentException("vocabulary size must be > 0, got " + vocabSize);
    this.config = config;
    this.vocab = vocabSize;
    int c = config.dModel();
    ParamStore.Builder b = ParamStore.builder();
    wte = b.add("transformer.wte.weight", vocabSize, c);
    wpe = b.add("transformer.wpe.weight", config.context(), c);
    blocks = new Block[config.layers()];
    for (int i = 0; i < blocks.length; i++) blocks[i] = Block.declare(b, i, config);
    lnfW = b.add("transformer.ln_f.weight", c);
    lnfB = config.bias() ? b.add("transformer.ln_f.bias", c) : Linear.NO_BIAS;
    head = config.tied() ? wte : b.add("lm_head.weight", vocabSize, c);
    params = b.build();
  }

  /**
   * nanoGPT's initialisation: Linear and Embedding weights N(0, 0.02), the residual projections
   * ({@code c_proj.weight}, attention and MLP) N(0, 0.02/√(2·layers)), biases 0, LayerNorm weight 1.
   */
  public void initialize(SplittableRandom rng) {
    float[] v = params.value;
    double projStd = 0.02 / Math.sqrt(2.0 * config.layers());
    for (ParamTensor t : params.tensors()) {
      String name = t.name();
      int o = t.offset(), n = t.size();
      if (name.endsWith("ln_1.weight") || name.endsWith("ln_2.weight") || name.endsWith("ln_f.weight")) Arrays.fill(v, o, o + n, 1f);
      else if (t.rank() == 1) Arrays.fill(v, o, o + n, 0f);
      else {
        double std = name.endsWith("c_proj.weight") ? projStd : 0.02;
        for (int i = 0; i < n; i++) v[o + i] = (float) (rng.nextGaussian() * std);
      }
    }
  }

  public GptConfig config() { return config; }

  @Override public String arch() { return "gpt"; }

  @Override public int vocabSize() { return vocab; }

  @Override public ParamStore params() { return params; }

  @Override public String configJson() {
    return "{\"d_model\":" + config.dModel() + ",\"heads\":" + config.heads() + ",\"layers\":" + config.layers()
        + ",\"context\":" + config.context() + ",\"bias\":" + config.bias() + ",\"tied\":" + config.tied() + "}";
  }

  /** Mean cross-entropy over the batch; gradients accumulate into {@code params().grad}. No carry (null). */
  @Override
  public double forwardBackward(int[] inputs, int[] targets, int batch, int seq, Carry carry, SplittableRandom rng) {
    boolean drop = config.dropout() > 0f && rng != null;
    GptLayout lay = forward(inputs, batch, seq, true, drop ? rng : null);
    float[] a = act, w = work, p = params.value, g = params.grad;
    int n = lay.n, c = lay.c;
    checkTargets(targets, n);
    Arrays.fill(w, lay.dLogits, lay.dLogits + n * vocab, 0f);
    double loss = CrossEntropy.forwardBackward(w, lay.dLogits, a, lay.logits, targets, 0, n, vocab, 1f / n);
    if (StepPhases.ON) StepPhases.lap(StepPhases.LOSS);
    Arrays.fill(w, lay.dLn, lay.dLn + n * c, 0f);
    Linear.backward(w, lay.dLn, g, head, Linear.NO_BIAS, w, lay.dLogits, a, lay.lnf, p, n, c, vocab);
    if (StepPhases.ON) StepPhases.lap(StepPhases.B_HEAD);
    Arrays.fill(w, lay.dRes, lay.dRes + n * c, 0f);
    LayerNorm.backward(w, lay.dRes, g, lnfW, lnfB == Linear.NO_BIAS ? null : g, Math.max(lnfB, 0),
        w, lay.dLn, a, lay.res[lay.layers], p, lnfW, a, lay.lnfMean, a, lay.lnfRstd, n, c);
    if (StepPhases.ON) StepPhases.lap(StepPhases.B_LNF);
    for (int l = blocks.length - 1; l >= 0; l--) blocks[l].backward(w, a, lay, l, p, g, drop, jobs);
    if (drop) Dropout.apply(w, lay.dRes, a, lay.embMask, n * c);
    int t = lay.t;
    for (int i = 0; i < n; i++) {
      int row = lay.dRes + i * c, tok = wte + inputs[i] * c, pos = wpe + (i % t) * c;
      Vec.add(g, tok, g, tok, w, row, c);
      Vec.add(g, pos, g, pos, w, row, c);
    }
    if (StepPhases.ON) StepPhases.lap(StepPhases.B_EMBED);
    return loss / n;
  }

  @Override
  public double lossSum(int[] inputs, int[] targets, int batch, int seq, Carry carry) {
    GptLayout lay = forward(inputs, batch, seq, false, null);
    checkTargets(targets, lay.n);
    return CrossEntropy.forwardBackward(null, 0, act, lay.logits, targets, 0, lay.n, vocab, 0f);
  }

  /** Writes the logits (B, T, V) of a batch into {@code out} (inference: no dropout, nothing kept). */
  public void logits(float[] out, int[] inputs, int batch, int seq) {
    GptLayout lay = forward(inputs, batch, seq, false, null);
    int size = lay.n * vocab;
    if (out == null || out.length < size)
      throw new IllegalArgumentException("logits: need an array of " + size + " floats, got " + (out == null ? "null" : out.length));
    System.arraycopy(act, lay.logits, out, 0, size);
  }

  /**
   * A KV-cached generation stream; see {@link GptStream} for its cost model (one token of work per
   * layer inside the window; one batched window forward per token once the window slides).
   */
  @Override
  public GptStream openStream() { return new GptStream(this); }

  // inputs (B,T) -> logits in act; saves activations (and attention weights when keep); returns the layout
  private GptLayout forward(int[] inputs, int batch, int t, boolean keep, SplittableRandom dropRng) {
    if (batch <= 0 || t <= 0) throw new IllegalArgumentException("batch and seq must be > 0, got " + batch + " x " + t);
    if (t > config.context())
      throw new IllegalArgumentException("seq " + t + " exceeds the model's context " + config.context());
    if (inputs == null || inputs.length < batch * t)
      throw new IllegalArgumentException("inputs: need " + batch * t + " tokens, got " + (inputs == null ? "null" : inputs.length));
    boolean drop = dropRng != null;
    if (layout == null || !layout.fits(batch, t, keep, drop)) {
      layout = new GptLayout(config, vocab, batch, t, keep, drop);
      act = new float[layout.actSize];
      work = new float[layout.workSize];
    }
    GptLayout lay = layout;
    float[] a = act, p = params.value;
    int c = lay.c, n = lay.n;
    for (int i = 0; i < n; i++) {
      int tok = inputs[i];
      checkToken(tok, i);
      Vec.add(a, lay.res[0] + i * c, p, wte + tok * c, p, wpe + (i % t) * c, c);
    }
    float dropout = config.dropout();
    if (drop) {
      Dropout.fillMask(a, lay.embMask, n * c, dropout, dropRng);
      Dropout.apply(a, lay.res[0], a, lay.embMask, n * c);
    }
    if (StepPhases.ON) StepPhases.lap(StepPhases.F_EMBED);
    blocks[0].normalizeInput(jobs, a, lay, 0, p, GptLayout.NONE, 0);
    for (int l = 0; l < blocks.length; l++) {
      blocks[l].forward(a, lay, l, p, dropout, dropRng, jobs);
      // res[l+1] = mid + mlpOut, fused with the LayerNorm that reads it (the next ln_1, or ln_f)
      if (l + 1 < blocks.length) blocks[l + 1].normalizeInput(jobs, a, lay, l + 1, p, lay.mid[l], lay.mlpOut[l]);
      else jobs.addLayerNorm(a, lay.res[l + 1], lay.mid[l], lay.mlpOut[l], lay.lnf, lay.lnfMean, lay.lnfRstd, p, lnfW, lnfB,
          n, c, Block.LN_EPS);
      if (StepPhases.ON) StepPhases.lap(StepPhases.F_RES2);
    }
    if (StepPhases.ON) StepPhases.lap(StepPhases.F_LNF);
    Linear.forward(a, lay.logits, p, head, Linear.NO_BIAS, a, lay.lnf, n, c, vocab);
    if (StepPhases.ON) StepPhases.lap(StepPhases.F_HEAD);
    return lay;
  }

  // tokens at cache rows pos..pos+n-1 (window[pos..pos+n)) -> logits (V) after the last; fills the cache
  // pt: transposeWeights' copy (weights (in,out) at their offsets)
  void forwardCached(int[] window, int pos, int n, KvCache cache, DecodeScratch s, float[] pt, float[] logits) {
    float[] p = params.value;
    int c = config.dModel();
    for (int r = 0; r < n; r++) {
      int tok = window[pos + r];
      Vec.add(s.x, r * c, p, wte + tok * c, p, wpe + (pos + r) * c, c);
    }
    // only the last row's next-token logits are wanted (nanoGPT's x[:, [-1], :] at inference), so the
    // last block computes every row's keys and values but the rest of its work for the last row only
    int last = blocks.length - 1;
    for (int l = 0; l < last; l++) blocks[l].forwardCached(s.x, n, n, pos, cache, l, s, p, pt);
    blocks[last].forwardCached(s.x, n, 1, pos, cache, last, s, p, pt);
    LayerNorm.forward(s.ln, 0, s.mean, 0, s.rstd, 0, s.x, (n - 1) * c, p, lnfW,
        lnfB == Linear.NO_BIAS ? null : p, Math.max(lnfB, 0), 1, c, Block.LN_EPS);
    Linear.forwardTransposed(logits, 0, pt, head, p, Linear.NO_BIAS, s.ln, 0, 1, c, vocab);
  }

  // pt (params) = every matrix (out,in) of the parameters transposed to (in,out) at the same offset
  // (the tied head's transpose sits in wte's slot); vectors are not read from pt.
  void transposeWeights(float[] pt) {
    float[] p = params.value;
    for (ParamTensor t : params.tensors()) {
      if (t.rank() != 2) continue;
      int rows = t.dim(0), cols = t.dim(1), o = t.offset();
      // 32x32 tiles: both the reads and the strided writes stay in cache (a stream opens in ~1 ms)
      for (int r0 = 0; r0 < rows; r0 += 32)
        for (int c0 = 0; c0 < cols; c0 += 32) {
          int r1 = Math.min(rows, r0 + 32), c1 = Math.min(cols, c0 + 32);
          for (int r = r0; r < r1; r++)
            for (int col = c0; col < c1; col++) pt[o + col * rows + r] = p[o + r * cols + col];
        }
    }
  }

  void checkToken(int tok, int index) {
    if (tok < 0 || tok >= vocab)
      throw new IllegalArgumentException("token " + tok + " at index " + index + " outside vocabulary of " + vocab);
  }

  private static void checkTargets(int[] targets, int n) {
    if (targets == null || targets.length < n)
      throw new IllegalArgumentException("targets: need " + n + " tokens, got " + (targets == null ? "null" : targets.length));
  }
}
