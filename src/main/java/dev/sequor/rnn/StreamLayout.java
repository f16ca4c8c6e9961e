package dev.sequor.rnn;

import dev.sequor.kernel.Engine;
import dev.sequor.kernel.simd.VectorMath;

/**
 * The column order of the streaming weights: gates interleaved per block of L = 16 units (block b's
 * columns are [gate 0 of its units | gate 1 | …], w units wide), so that the columns of a run of whole
 * blocks hold every gate of those units. A part of a step that computes a run of whole panels
 * ({@link PackedPanels#WIDTH} columns) then owns complete units and runs their cell pass itself.
 * Permuting columns changes no column's FMA chain: results equal PyTorch's order bit for bit.
 *
 * <p>A group is the fewest whole blocks filling whole panels: lcm(8, G)/G blocks, lcm(8, G)/8 panels
 * (RNN: 8 blocks = 128 units in 1 panel; GRU: 8 blocks in 3 panels; LSTM: 2 blocks = 32 units in 1).
 */
final class StreamLayout {
  static final int L = VectorMath.F.length();

  final int hidden, gates;
  /** Packed column → PyTorch row of weight_ih/weight_hh (G·H entries). */
  final int[] natural;
  final int unitsPerGroup, panelsPerGroup, groups;

  StreamLayout(int hidden, int gates) {
    this.hidden = hidden;
    this.gates = gates;
    natural = new int[gates * hidden];
    for (int j = 0; j < hidden; j++)
      for (int g = 0; g < gates; g++) natural[packedColumn(j, g)] = g * hidden + j;
    int lcm = gates == 3 ? 24 : 8; // lcm(8, G) for G in {1, 3, 4}
    unitsPerGroup = lcm / gates * L;
    panelsPerGroup = lcm / 8; // lcm·L columns = lcm/8 panels of 8L
    groups = (hidden + unitsPerGroup - 1) / unitsPerGroup;
  }

  /** Where gate g of unit j lives: block b = j / L of width w starts at b·L·G, gate g at + g·w. */
  int packedColumn(int j, int g) {
    int b = j / L, w = Math.min(L, hidden - b * L);
    return b * L * gates + g * w + j % L;
  }

  /** Units [u0, u1) of groups [g0, g1). */
  int firstUnit(int group) { return Math.min(hidden, group * unitsPerGroup); }

  int firstPanel(int group, int panels) { return Math.min(panels, group * panelsPerGroup); }

  /** values (G·H) in PyTorch order at off -> (paddedCols) in packed order, zero-padded. */
  float[] permute(float[] values, int off, int paddedCols) {
    float[] out = new float[paddedCols];
    for (int k = 0; k < natural.length; k++) out[k] = values[off + natural[k]];
    return out;
  }

  /**
   * The fused cell pass for units [u0, u1) (u0 a multiple of L): pre-activations at xp/hp in packed
   * order, h/c/hPrev/cPrev indexed by unit; act (S·H from actOff, S = the cell's saved width) is the
   * scratch for the gate activations, block b's at actOff + b·L·S. Whole blocks go through {@link StreamCells} in one call
   * per sub-kernel, a last partial block (H not a multiple of L) and the scalar engine block by block
   * through {@link Cells#forward}: the same per-lane arithmetic either way.
   */
  void cells(CellType cell, float[] h, int hOff, float[] c, int cOff, float[] hPrev, int hPrevOff, float[] cPrev,
      int cPrevOff, float[] xp, int xpOff, float[] hp, int hpOff, float[] act, int actOff, int u0, int u1) {
    int saved = cell.savedWidth();
    if (gates == 1) { // one gate: the packed order is the natural one, a single pass over the units
      Cells.forward(cell, h, hOff + u0, c, cOff + u0, hPrev, hPrevOff + u0, cPrev, cPrevOff + u0,
          xp, xpOff + u0, hp, hpOff + u0, act, actOff, u1 - u0);
      return;
    }
    if (!Engine.SCALAR) { // the whole blocks in one call per sub-kernel, a last partial block below
      int whole = Math.min(u1, hidden / L * L);
      if (cell == CellType.LSTM) StreamCells.lstm(h, hOff, c, cOff, cPrev, cPrevOff, xp, xpOff, hp, hpOff, act, actOff, u0, whole);
      else StreamCells.gru(h, hOff, hPrev, hPrevOff, xp, xpOff, hp, hpOff, act, actOff, u0, whole);
      u0 = Math.max(u0, whole);
    }
    for (int j = u0; j < u1; j += L) {
      int w = Math.min(L, hidden - j), col = j * gates; // block j / L starts at (j / L)·L·G = j·G
      Cells.forward(cell, h, hOff + j, c, cOff + j, hPrev, hPrevOff + j, cPrev, cPrevOff + j,
          xp, xpOff + col, hp, hpOff + col, act, actOff + j * saved, w);
    }
  }
}
