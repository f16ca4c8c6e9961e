package dev.sequor.rnn;

import dev.sequor.kernel.CrossEntropy;
import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.Gemv;
import dev.sequor.model.TokenStream;

/**
 * An immutable, thread-safe copy of a {@link RecurrentLM}'s weights for generation: any number of
 * {@link TokenStream}s share it, each owning only its recurrent state. The head is stored transposed
 * so that its per-token product ({@link Gemv#wtx}) is the same FMA chain as the training forward's
 * GEMM: a stream's logits equal the training forward's bit for bit.
 */
public final class RecurrentLmSnapshot {
  final int vocab, embed, hidden;
  final float[] embedding;   // (V, E)
  final RecurrentModel rnn;
  final float[] headT;       // (H, V)
  final float[] headBias;    // (V)

  RecurrentLmSnapshot(int vocab, int embed, int hidden, float[] embedding, RecurrentModel rnn, float[] headT, float[] headBias) {
    this.vocab = vocab;
    this.embed = embed;
    this.hidden = hidden;
    this.embedding = embedding;
    this.rnn = rnn;
    this.headT = headT;
    this.headBias = headBias;
  }

  public int vocabSize() { return vocab; }

  /** The recurrent part, for callers that stream embeddings themselves. */
  public RecurrentModel recurrent() { return rnn; }

  /**
   * Σ_t −log softmax(logits_t)[targets[t]] while {@code state} reads inputs (n) in order: embedding
   * rows x (n, E), the stream's top-layer states y (n, H) (one chunked {@link RecurrentModel#feed}),
   * logits (n, V) = bias + y · headᵀ in one GEMM (per element the chain of the training forward's
   * {@code Gemm.nt}, by Gemm's summation-order contract), and the cross-entropy over the n rows in
   * order. x, y, logits are the caller's scratch of at least those sizes.
   */
  double lossSum(RecurrentState state, int[] inputs, int[] targets, int n, float[] x, float[] y, float[] logits) {
    for (int t = 0; t < n; t++) System.arraycopy(embedding, inputs[t] * embed, x, t * embed, embed);
    rnn.feed(state, x, 0, n, y, 0);
    Rows.fill(logits, 0, n, vocab, headBias, 0);
    Gemm.nn(logits, 0, vocab, y, 0, hidden, headT, 0, vocab, n, vocab, hidden);
    return CrossEntropy.forwardBackward(null, 0, logits, 0, targets, 0, n, vocab, 0f);
  }

  /** A new stream from zero state. */
  public TokenStream openStream() { return new Stream(); }

  private final class Stream implements TokenStream {
    private final RecurrentState state = rnn.newState();
    private final float[] chunk = new float[RecurrentModel.CHUNK * embed];

    @Override
    public void feed(int token, float[] logits) {
      checkLogits(logits);
      checkToken(token, 0);
      state.step(embedding, token * embed);
      logits(logits);
    }

    @Override
    public void feed(int[] tokens, int off, int len, float[] logits) {
      if (len <= 0) throw new IllegalArgumentException("feed needs at least one token, got " + len);
      if (tokens == null || off < 0 || off + len > tokens.length)
        throw new IllegalArgumentException("tokens: span [" + off + ", " + (off + len) + ") outside array");
      checkLogits(logits);
      for (int i = 0; i < len; i++) checkToken(tokens[off + i], i);
      for (int t0 = 0; t0 < len; t0 += RecurrentModel.CHUNK) { // a prefill in chunks, one GEMM each
        int n = Math.min(RecurrentModel.CHUNK, len - t0);
        for (int t = 0; t < n; t++) System.arraycopy(embedding, tokens[off + t0 + t] * embed, chunk, t * embed, embed);
        rnn.feed(state, chunk, 0, n, null, 0);
      }
      logits(logits);
    }

    @Override
    public long position() { return state.position(); }

    private void logits(float[] logits) {
      System.arraycopy(headBias, 0, logits, 0, vocab);
      Gemv.wtx(logits, 0, headT, 0, vocab, state.h, state.hOff(rnn.config.layers() - 1), hidden, vocab);
    }

    private void checkToken(int token, int at) {
      if (token < 0 || token >= vocab)
        throw new IllegalArgumentException("token " + token + " at position " + at + " outside vocabulary of " + vocab);
    }

    private void checkLogits(float[] logits) {
      if (logits == null || logits.length < vocab)
        throw new IllegalArgumentException("logits needs " + vocab + " floats, got " + (logits == null ? "null" : logits.length));
    }
  }
}
