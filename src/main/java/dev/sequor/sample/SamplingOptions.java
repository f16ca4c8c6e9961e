package dev.sequor.sample;

/** How the next token is drawn from the model's logits. */
public record SamplingOptions(
    // logits are divided by it; 0 is greedy decoding (always the most likely token)
    double temperature,
    // keep only the K most likely tokens (0: all)
    int topK,
    // keep the smallest set of most likely tokens whose probability reaches p (1: all)
    double topP,
    // seeds the draws: the same seed gives the same text
    long seed) {

  public SamplingOptions {
    if (!(temperature >= 0) || !Double.isFinite(temperature)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
    if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
    if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
  }

  /** Temperature 1, no truncation, seed 0. */
  public static SamplingOptions defaults() { return new SamplingOptions(1.0, 0, 1.0, 0); }

  /** Greedy decoding. */
  public static SamplingOptions greedy() { return new SamplingOptions(0, 0, 1.0, 0); }
}
