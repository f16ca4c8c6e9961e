package dev.sequor.rnn;

/**
 * The recurrent cell of a layer, with PyTorch's gate order in {@code weight_ih}/{@code weight_hh} rows.
 * {@link #gates()} is G, the number of H-row blocks: weights are (G·H, in) and (G·H, H).
 */
public enum CellType {
  /** h' = tanh(W_ih x + b_ih + W_hh h + b_hh). math/rnn-bptt.md (1) */
  RNN_TANH("rnn", "tanh", 1, 0),
  /** h' = relu(W_ih x + b_ih + W_hh h + b_hh). math/rnn-bptt.md (1) */
  RNN_RELU("rnn", "relu", 1, 0),
  /** Rows [r|z|n]; saves [r|z|n|W_hn h + b_hn]. math/gru-backward.md (1)-(4) */
  GRU("gru", null, 3, 4),
  /** Rows [i|f|g|o]; saves [i|f|g|o|tanh c']. math/lstm-backward.md (1)-(3) */
  LSTM("lstm", null, 4, 5);

  private final String arch;
  private final String nonlinearity;
  private final int gates;
  private final int saved;

  CellType(String arch, String nonlinearity, int gates, int saved) {
    this.arch = arch;
    this.nonlinearity = nonlinearity;
    this.gates = gates;
    this.saved = saved;
  }

  /** "rnn", "gru" or "lstm": the checkpoint's {@code arch}. */
  public String arch() { return arch; }

  /** "tanh" or "relu" for the vanilla RNN, null for GRU and LSTM. */
  public String nonlinearity() { return nonlinearity; }

  /** G: gate blocks per layer (1, 3 or 4). */
  public int gates() { return gates; }

  /** Per-step saved activations in units of H (0 for the RNN, whose backward needs only h'). */
  int savedWidth() { return saved; }

  /** True for the LSTM, the only cell with a second state c. */
  public boolean hasCellState() { return this == LSTM; }

  /**
   * The cell named by {@code arch} ("rnn", "gru", "lstm") and, for "rnn", {@code nonlinearity}
   * ("tanh" or "relu"; null means tanh, as in PyTorch). GRU and LSTM accept only null or "tanh".
   */
  public static CellType of(String arch, String nonlinearity) {
    if (arch == null) throw new IllegalArgumentException("cell is null: expected \"rnn\", \"gru\" or \"lstm\"");
    return switch (arch) {
      case "rnn" -> {
        if (nonlinearity == null || nonlinearity.equals("tanh")) yield RNN_TANH;
        if (nonlinearity.equals("relu")) yield RNN_RELU;
        throw new IllegalArgumentException("nonlinearity \"" + nonlinearity + "\" unknown: expected \"tanh\" or \"relu\"");
      }
      case "gru", "lstm" -> {
        if (nonlinearity != null && !nonlinearity.equals("tanh"))
          throw new IllegalArgumentException("nonlinearity \"" + nonlinearity + "\" applies only to cell \"rnn\", not \"" + arch + "\"");
        yield arch.equals("gru") ? GRU : LSTM;
      }
      default -> throw new IllegalArgumentException("cell \"" + arch + "\" unknown: expected \"rnn\", \"gru\" or \"lstm\"");
    };
  }
}
