package dev.sequor.transformer;

/**
 * Shape of a GPT decoder, nanoGPT's {@code GPTConfig} less the vocabulary (given with the data).
 *
 * @param dModel  embedding width C (nanoGPT {@code n_embd}); a multiple of {@code heads}
 * @param heads   attention heads NH (nanoGPT {@code n_head}); head width C/NH need not be a power of two
 * @param layers  transformer blocks L (nanoGPT {@code n_layer})
 * @param context longest sequence T, the learned position table's length (nanoGPT {@code block_size})
 * @param bias    biases in Linear and LayerNorm layers (nanoGPT {@code bias})
 * @param tied    LM head shares the token embedding's weights (nanoGPT always ties; false adds {@code lm_head.weight})
 * @param dropout probability on embeddings, attention weights and residual branches when training
 */
public record GptConfig(int dModel, int heads, int layers, int context, boolean bias, boolean tied, float dropout) {
  public GptConfig {
    if (dModel <= 0) throw new IllegalArgumentException("d_model must be > 0, got " + dModel);
    if (heads <= 0) throw new IllegalArgumentException("heads must be > 0, got " + heads);
    if (dModel % heads != 0)
      throw new IllegalArgumentException("d_model " + dModel + " is not divisible by heads " + heads
          + " (each head gets d_model/heads columns)");
    if (layers <= 0) throw new IllegalArgumentException("layers must be > 0, got " + layers);
    if (context <= 0) throw new IllegalArgumentException("context must be > 0, got " + context);
    if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
  }

  /** Width of one head, C / NH. */
  public int headDim() { return dModel / heads; }
}
