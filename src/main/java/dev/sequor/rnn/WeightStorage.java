package dev.sequor.rnn;

/** How a {@link RecurrentModel} stores its weights for streaming. */
public enum WeightStorage {
  /** float32: streamed states equal the training forward's bit for bit. */
  F32,
  /**
   * bfloat16 (weights rounded to nearest-even, 8 significant bits; biases, states and arithmetic stay
   * float32): half the bytes per step for memory-bound inference, at about 3 significant digits of
   * weight precision. Self-consistent bit for bit (step, feed and batched steps agree), not equal to f32.
   */
  BF16
}
