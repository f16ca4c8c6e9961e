package dev.sequor.transformer;

import dev.sequor.attention.KvCache;
import dev.sequor.model.TokenStream;

/**
 * KV-cached generation over a {@link Gpt}, with nanoGPT's sliding window.
 *
 * <p><b>Inside the window</b> (fewer than {@code context} tokens consumed) each token appends its keys
 * and values to the cache and costs one token's work per layer: one row through every projection
 * (GEMV-sized GEMMs) plus attention over the cached rows — not a recomputation of the context. The
 * logits equal those of a full recomputation bit for bit (row-wise identical arithmetic, see
 * {@link dev.sequor.attention.ScaledDotProductAttention}).
 *
 * <p><b>Past the window</b> the next token is conditioned on the last {@code context} tokens, exactly
 * as nanoGPT's sampler crops {@code idx[:, -block_size:]}. With learned absolute positions every
 * token's position changes when the window slides, so cached keys are stale: each further token
 * re-runs the whole window as <b>one batched forward</b> (GEMMs over {@code context} rows), not token
 * by token, and refills the cache from it.
 *
 * <p>{@link #feed(int[], int, int, float[])} (a prompt) is likewise one batched forward over the new
 * tokens (or over the last window, when the prompt reaches past it). Allocation happens once, here.
 *
 * <p><b>Weights snapshot.</b> The stream reads the model's matrices from a transposed copy taken when
 * it opens (a one-row product then streams each weight matrix once, with no per-call repacking); after
 * changing the parameters (a training step), open a new stream or call {@link #refreshWeights()}.
 */
public final class GptStream implements TokenStream {
  private final Gpt model;
  private final int context;
  private final KvCache cache;
  private final DecodeScratch scratch;
  /** The tokens in the cache: window[j] sits at position j; valid for j < cached. */
  private final int[] window;
  /** The model's matrices transposed, at their parameter offsets (Gpt.transposeWeights). */
  private final float[] weightsT;
  private int cached;
  private long position;

  GptStream(Gpt model) {
    GptConfig cfg = model.config();
    this.model = model;
    this.context = cfg.context();
    this.cache = new KvCache(cfg.layers(), context, cfg.dModel());
    this.scratch = new DecodeScratch(context, cfg.dModel());
    this.window = new int[context];
    this.weightsT = new float[model.params().size()];
    model.transposeWeights(weightsT);
  }

  /** Re-reads the model's parameters (after they changed); the cached keys and values are kept. */
  public void refreshWeights() { model.transposeWeights(weightsT); }

  @Override
  public void feed(int token, float[] logits) {
    model.checkToken(token, 0);
    checkLogits(logits);
    if (cached < context) {
      window[cached] = token;
      model.forwardCached(window, cached, 1, cache, scratch, weightsT, logits);
      cached++;
    } else {
      System.arraycopy(window, 1, window, 0, context - 1);
      window[context - 1] = token;
      model.forwardCached(window, 0, context, cache, scratch, weightsT, logits);
    }
    position++;
  }

  @Override
  public void feed(int[] tokens, int off, int len, float[] logits) {
    if (len <= 0) throw new IllegalArgumentException("feed needs at least one token, got " + len);
    if (tokens == null || off < 0 || off + len > tokens.length)
      throw new IllegalArgumentException("tokens: span [" + off + ", " + (off + len) + ") outside the array");
    for (int i = 0; i < len; i++) model.checkToken(tokens[off + i], off + i);
    checkLogits(logits);
    if (cached + len <= context) {
      System.arraycopy(tokens, off, window, cached, len);
      model.forwardCached(window, cached, len, cache, scratch, weightsT, logits);
      cached += len;
    } else {
      // the last `context` tokens of (window ++ tokens) condition the next one: one window forward
      int fromNew = Math.min(len, context), fromOld = context - fromNew;
      System.arraycopy(window, cached - fromOld, window, 0, fromOld);
      System.arraycopy(tokens, off + len - fromNew, window, fromOld, fromNew);
      model.forwardCached(window, 0, context, cache, scratch, weightsT, logits);
      cached = context;
    }
    position += len;
  }

  @Override
  public long position() { return position; }

  /**
   * Forgets every token after the first {@code tokens}, as if only those had been fed (their cached
   * keys and values stay valid). Only possible before the window has slid ({@code position() <= context}),
   * when the cache still holds that exact prefix.
   */
  public void rewind(int tokens) {
    if (position > context)
      throw new IllegalArgumentException("cannot rewind after the window slid (position " + position + " > context " + context + ")");
    if (tokens < 0 || tokens > position)
      throw new IllegalArgumentException("rewind to " + tokens + " tokens: must be in 0.." + position);
    cached = tokens;
    position = tokens;
  }

  /** Forgets every token (an empty context), keeping the buffers and the weight snapshot. */
  public void reset() {
    cached = 0;
    position = 0;
  }

  /** Tokens currently conditioning the next prediction (≤ context). */
  public int windowLength() { return cached; }

  private void checkLogits(float[] logits) {
    if (logits == null || logits.length < model.vocabSize())
      throw new IllegalArgumentException("logits: need " + model.vocabSize() + " floats, got "
          + (logits == null ? "null" : logits.length));
  }
}
