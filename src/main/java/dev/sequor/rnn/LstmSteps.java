package dev.sequor.rnn;

import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.PackedMatrix;
import dev.sequor.kernel.WorkerPool;
import dev.sequor.kernel.simd.VectorMath;
import java.util.Arrays;

/**
 * The LSTM's per-step work of a training pass, one {@link WorkerPool} job per step: each part owns a
 * range of hidden units and does everything of the step for them, so a step costs one pool call and
 * the cell passes run on every thread next to the product that feeds them.
 *
 * <p>Forward: W_hhᵀ is packed gate-interleaved ({@link PackedMatrix#ofTransposedInterleaved}), so a
 * part's column panels of the recurrent product hold all four gates of its units; the part fills
 * them with b_hh, adds h_{t−1} W_hhᵀ and runs the cell pass for its units. Backward (reverse time):
 * a part first finishes ∂L/∂h_t for its units — dG_{t+1} · W_hh over its columns of W_hh (packed as
 * is), which needs all of dG_{t+1}, complete since the previous call — then runs the cell backward
 * for its units, writing their gate gradients dG_t.
 *
 * <p>Arithmetic is exactly {@link RecurrentStack}'s unfused loop's: every pre-activation is the same
 * FMA chain (the packed product's contract), stored at a permuted column, and the cell passes are
 * lane-wise. Results are therefore bit-identical to it, and for any thread count. Applies when the
 * units split into whole panels: {@link #applies}.
 */
final class LstmSteps implements WorkerPool.Job {
  /** Units per panel of the interleaved product: one vector of each gate. */
  private static final int UNITS = PackedMatrix.panel() / 4;
  /**
   * Parts per thread of a step (claimed dynamically, see WorkerPool). 2, not 4: measured at 2 threads,
   * load ~2.4, two rounds each, the fused passes took 26.3 / 23.6 ms (forward / backward, per layer) with
   * 4, 25.1 / 22.9 with 2 and 24.9 / 22.4 with 1 — each part's own overhead — while 2 keeps some balance
   * when a worker is late on a shared machine.
   */
  private static final int PARTS_PER_THREAD = 2;

  private final RecurrentConfig config;
  private final int batch, h, gh, sw, outSize;

  // the current step's operands, set by the caller before each pool call (forward, then backward)
  private boolean backward, first;
  private int t, prev, next, nextT, panels;
  private int[] lengths, xRows;
  private float[] s, c, act, xproj, hproj, bias, out, dG, dh, dhNext, dc, dcPrev, dy;
  private int outCol, dyOff;
  private PackedMatrix packed;

  LstmSteps(RecurrentConfig config, int batch) {
    this.config = config;
    this.batch = batch;
    this.h = config.hidden();
    this.gh = config.gateRows();
    this.sw = config.savedWidthTimesHidden();
    this.outSize = config.outputSize();
  }

  /** Whether the fused steps apply: an LSTM whose hidden size is whole panels of units. */
  static boolean applies(RecurrentConfig config) {
    return config.cell() == CellType.LSTM && PackedMatrix.canInterleave(config.gateRows(), 4)
        && UNITS % VectorMath.F.length() == 0;
  }

  private static int parts(int panels) {
    int threads = WorkerPool.threads();
    return threads == 1 ? 1 : Math.min(panels, PARTS_PER_THREAD * threads);
  }

  /**
   * One forward step t (the state slots prev → next of s and c): hp = b_hh (interleaved) + h_prev W_hhᵀ
   * into hproj (B, 4H) interleaved, then the cell pass of every row into s, c, act and out (column
   * outCol), padding rows (t ≥ length) carried over with a zero output. Row r's input projection is
   * xproj's row r, or its row xRows[r] when xRows is not null (a per-token table).
   */
  void forward(int t, int prev, int next, int[] lengths, float[] s, float[] c, float[] act, float[] xproj,
      int[] xRows, float[] hproj, float[] bias, PackedMatrix packed, float[] out, int outCol) {
    this.backward = false;
    this.t = t; this.prev = prev; this.next = next; this.lengths = lengths; this.xRows = xRows;
    this.s = s; this.c = c; this.act = act; this.xproj = xproj; this.hproj = hproj; this.bias = bias;
    this.packed = packed; this.out = out; this.outCol = outCol;
    this.panels = gh / PackedMatrix.panel();
    WorkerPool.run(this, parts(panels));
  }

  /**
   * One backward step t (state slot prev holds c_{t−1}): unless {@code first}, dh (B, H) = the
   * pass-through of dhNext for rows padded at step nextT, else 0, plus dG[nextT] · W_hh; then the cell
   * backward of every row: dG[t] (gate gradients), dcPrev from dh + dy (at dyOff, row stride outSize), dc.
   */
  void backward(int t, int nextT, boolean first, int prev, int[] lengths, float[] c, float[] act, float[] dG,
      PackedMatrix packed, float[] dh, float[] dhNext, float[] dc, float[] dcPrev, float[] dy, int dyOff) {
    this.backward = true;
    this.t = t; this.nextT = nextT; this.first = first; this.prev = prev; this.lengths = lengths;
    this.c = c; this.act = act; this.dG = dG; this.packed = packed;
    this.dh = dh; this.dhNext = dhNext; this.dc = dc; this.dcPrev = dcPrev; this.dy = dy; this.dyOff = dyOff;
    this.panels = (h + PackedMatrix.panel() - 1) / PackedMatrix.panel();
    WorkerPool.run(this, parts(panels));
  }

  /**
   * dh (B, H) = pass-through of dhNext for rows padded at step nextT, else 0, plus dG[nextT] · W_hh:
   * the gradient reaching h before the first step (for dh0), over the pool.
   */
  void finishBackward(int nextT, int[] lengths, float[] dG, PackedMatrix packed, float[] dh, float[] dhNext) {
    this.nextT = nextT; this.lengths = lengths; this.dG = dG; this.packed = packed; this.dh = dh; this.dhNext = dhNext;
    this.backward = true;
    this.t = -1; // no cell pass
    this.first = false;
    this.panels = (h + PackedMatrix.panel() - 1) / PackedMatrix.panel();
    WorkerPool.run(this, parts(panels));
  }

  /** Drops references to the caller's arrays once a pass is done. */
  void clear() {
    lengths = xRows = null;
    s = c = act = xproj = hproj = bias = out = dG = dh = dhNext = dc = dcPrev = dy = null;
    packed = null;
  }

  @Override
  public void run(int part, int parts) {
    int q0 = (int) ((long) panels * part / parts), q1 = (int) ((long) panels * (part + 1) / parts);
    if (backward) backwardPart(q0, q1);
    else forwardPart(q0, q1);
  }

  private boolean padded(int step, int b) { return lengths != null && step >= lengths[b]; }

  // panels [q0, q1) of the interleaved product = units [q0·UNITS, q1·UNITS)
  private void forwardPart(int q0, int q1) {
    int j0 = q0 * PackedMatrix.panel(), j1 = q1 * PackedMatrix.panel();
    for (int b = 0; b < batch; b++) System.arraycopy(bias, j0, hproj, b * gh + j0, j1 - j0);
    Gemm.nnColumns(hproj, 0, gh, s, prev, h, packed, batch, j0, j1);
    int u0 = q0 * UNITS, n = (q1 - q0) * UNITS;
    for (int b = 0; b < batch; b++) {
      int row = t * batch + b, hb = b * h + u0, o = row * outSize + outCol + u0;
      if (!padded(t, b)) {
        // math/lstm-backward.md (1)-(3): gates of units [u0, u0+n) of row b
        int xr = xRows == null ? row : xRows[row];
        LstmCell.forward(s, next + hb, c, next + hb, c, prev + hb, xproj, xr * gh + u0, h,
            hproj, b * gh + j0, UNITS, 4, act, row * sw + u0, h, n);
        System.arraycopy(s, next + hb, out, o, n);
      } else { // padding: the state carries over unchanged, the output is zero
        System.arraycopy(s, prev + hb, s, next + hb, n);
        System.arraycopy(c, prev + hb, c, next + hb, n);
        Arrays.fill(out, o, o + n, 0f);
      }
    }
  }

  // panels [q0, q1) of W_hh (4H, H) = units [u0, u1)
  private void backwardPart(int q0, int q1) {
    int u0 = q0 * PackedMatrix.panel(), u1 = Math.min(h, q1 * PackedMatrix.panel()), n = u1 - u0;
    if (!first) {
      // dh_t = dG_{t+1} · W_hh (GH, H), from the carried gradient on padded rows. math/rnn-bptt.md (6)
      for (int b = 0; b < batch; b++) {
        if (padded(nextT, b)) System.arraycopy(dhNext, b * h + u0, dh, b * h + u0, n);
        else Arrays.fill(dh, b * h + u0, b * h + u1, 0f);
      }
      Gemm.nnColumns(dh, 0, h, dG, nextT * batch * gh, gh, packed, batch, u0, u1);
    }
    if (t < 0) return;
    for (int b = 0; b < batch; b++) {
      int row = t * batch + b, hb = b * h + u0;
      if (!padded(t, b)) {
        // math/lstm-backward.md (4)-(10) for units [u0, u1) of row b
        LstmCell.backward(dG, row * gh + u0, dcPrev, hb, dh, hb, dy, dyOff + row * outSize + u0, dc, hb,
            c, prev + hb, act, row * sw + u0, h, n);
      } else { // padding: no gate gradient, the cell gradient passes through unchanged
        for (int q = 0; q < 4; q++) Arrays.fill(dG, row * gh + q * h + u0, row * gh + q * h + u1, 0f);
        System.arraycopy(dc, hb, dcPrev, hb, n);
      }
    }
  }
}
