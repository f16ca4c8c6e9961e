package dev.sequor.rnn;

/**
 * The recurrent character-level language model: embedding → recurrent stack → linear head.
 *
 * @param cell         "rnn", "gru" or "lstm": the recurrent cell (and the checkpoint's {@code arch})
 * @param nonlinearity "tanh" or "relu" for cell "rnn" (null means "tanh"); null or "tanh" otherwise
 * @param embed        E, width of the token embedding fed to the first layer
 * @param hidden       H, state width of every layer (and the input width of the head)
 * @param layers       stacked recurrent layers, ≥ 1
 * @param dropout      probability of dropping each output of every layer but the last while training
 */
public record RecurrentLmConfig(String cell, String nonlinearity, int embed, int hidden, int layers, float dropout) {
  public RecurrentLmConfig {
    CellType.of(cell, nonlinearity); // validates both names
    if (embed < 1) throw new IllegalArgumentException("embed must be >= 1, got " + embed);
    if (hidden < 1) throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
    if (layers < 1) throw new IllegalArgumentException("layers must be >= 1, got " + layers);
    if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
  }

  /** The cell type named by {@link #cell} and {@link #nonlinearity}. */
  public CellType cellType() { return CellType.of(cell, nonlinearity); }

  /** The recurrent stack's shape: unidirectional, with biases, as PyTorch's nn.RNN/GRU/LSTM defaults. */
  public RecurrentConfig stack() { return new RecurrentConfig(cellType(), embed, hidden, layers, false, true, dropout); }
}
