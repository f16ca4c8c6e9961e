package dev.sequor.model;

/**
 * One independent generation stream over a {@link LanguageModel}: feed tokens, read next-token logits.
 * Recurrent models keep their hidden state here; the GPT keeps its KV cache (and slides its window
 * when it is full). Not thread-safe: one stream per thread; the model itself is shared.
 */
public interface TokenStream {
  /** Consumes {@code token} and writes the logits (vocab) for the next token into {@code logits}. */
  void feed(int token, float[] logits);

  /**
   * Consumes {@code tokens[off .. off+len)} in order and writes the logits that follow the last one.
   * Equivalent to feeding one at a time; implementations may batch the work (a prompt prefill).
   */
  default void feed(int[] tokens, int off, int len, float[] logits) {
    if (len <= 0) throw new IllegalArgumentException("feed needs at least one token, got " + len);
    for (int i = 0; i < len; i++) feed(tokens[off + i], logits);
  }

  /** Number of tokens consumed so far. */
  long position();
}
