package dev.sequor.rnn;

/** Dispatch of the fused per-row passes on the cell type, shared by training and streaming. */
final class Cells {
  private Cells() {}

  /**
   * One row of one step: xp (G·H) and hp (G·H) pre-activation halves (biases included), the previous
   * state hPrev (H) / cPrev (H) -> h (H) / c (H); act (saved·H) receives what backward needs, or null.
   * c, cPrev are ignored unless the cell is an LSTM; h may alias hPrev and c may alias cPrev.
   */
  static void forward(CellType cell, float[] h, int hOff, float[] c, int cOff, float[] hPrev, int hPrevOff,
      float[] cPrev, int cPrevOff, float[] xp, int xpOff, float[] hp, int hpOff, float[] act, int actOff, int n) {
    switch (cell) {
      case RNN_TANH -> RnnCell.forward(h, hOff, xp, xpOff, hp, hpOff, n, false);
      case RNN_RELU -> RnnCell.forward(h, hOff, xp, xpOff, hp, hpOff, n, true);
      case GRU -> GruCell.forward(h, hOff, hPrev, hPrevOff, xp, xpOff, hp, hpOff, act, actOff, n);
      case LSTM -> LstmCell.forward(h, hOff, c, cOff, cPrev, cPrevOff, xp, xpOff, hp, hpOff, act, actOff, n);
    }
  }
}
