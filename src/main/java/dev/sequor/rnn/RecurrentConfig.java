package dev.sequor.rnn;

/**
 * Shape of a recurrent stack, PyTorch's {@code nn.RNN}/{@code nn.GRU}/{@code nn.LSTM} arguments.
 *
 * @param cell          the cell (and, for the RNN, its nonlinearity)
 * @param inputSize     features of the input at each step (PyTorch {@code input_size})
 * @param hidden        H, features of the state (PyTorch {@code hidden_size})
 * @param layers        stacked layers, ≥ 1 (PyTorch {@code num_layers})
 * @param bidirectional a second, time-reversed direction per layer; outputs are [fwd|bwd]
 * @param bias          whether {@code bias_ih}/{@code bias_hh} exist (PyTorch {@code bias})
 * @param dropout       probability of zeroing each output of every layer but the last, training only
 */
public record RecurrentConfig(CellType cell, int inputSize, int hidden, int layers, boolean bidirectional,
    boolean bias, float dropout) {
  public RecurrentConfig {
    if (cell == null) throw new IllegalArgumentException("cell is null");
    if (inputSize < 1) throw new IllegalArgumentException("inputSize must be >= 1, got " + inputSize);
    if (hidden < 1) throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
    if (layers < 1) throw new IllegalArgumentException("layers must be >= 1, got " + layers);
    if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    if ((long) cell.gates() * hidden * Math.max(inputSize, 2L * hidden) > Integer.MAX_VALUE / 2)
      throw new IllegalArgumentException("hidden " + hidden + " / inputSize " + inputSize + " too large");
  }

  /** A unidirectional stack with biases and no dropout. */
  public static RecurrentConfig of(CellType cell, int inputSize, int hidden, int layers) {
    return new RecurrentConfig(cell, inputSize, hidden, layers, false, true, 0f);
  }

  /** Directions per layer, D = 1 or 2. */
  public int directions() { return bidirectional ? 2 : 1; }

  /** G·H, the rows of each weight matrix. */
  public int gateRows() { return cell.gates() * hidden; }

  /** Input features of layer {@code l}: the stack's input for l = 0, D·H above. */
  public int layerInput(int l) { return l == 0 ? inputSize : directions() * hidden; }

  /** Width of the per-step saved activations, S·H. */
  int savedWidthTimesHidden() { return cell.savedWidth() * hidden; }

  /** Features of each output step, D·H. */
  public int outputSize() { return directions() * hidden; }
}
