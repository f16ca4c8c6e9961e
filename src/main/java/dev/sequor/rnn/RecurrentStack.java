package dev.sequor.rnn;

import dev.sequor.kernel.Checks;
import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.PackedMatrix;
import dev.sequor.kernel.Vec;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A multi-layer, optionally bidirectional RNN/GRU/LSTM over whole batches of sequences, for training
 * (forward saving what backward needs, then backward accumulating gradients) and batch inference.
 * Exactly PyTorch's semantics, including packed sequences: with per-sequence lengths, each sequence's
 * outputs past its length are zero, its final state is the state at its own length, and padding
 * reaches neither states, outputs nor gradients.
 *
 * <p>Shapes are time-major like PyTorch's default: x (T, B, I), output (T, B, D·H), states (L·D, B, H)
 * with index l·D + d. Stateless (immutable) itself; all mutable buffers are in the workspace.
 *
 * <p>Arithmetic (the bit-exactness contract with {@link RecurrentModel}): for every row, the input
 * projection is one FMA chain over the input starting from b_ih (one GEMM over all T·B rows), the
 * recurrent projection one chain over h starting from b_hh (one GEMM per step against W_hhᵀ), then the
 * cell's fused pass; the streaming path computes the very same chains with GEMV, so results agree bit
 * for bit whatever the batch, chunking or thread count.
 *
 * <p>The LSTM with a hidden size of whole panels (see {@link LstmSteps#applies}) runs each step as one
 * worker-pool call that does the recurrent product and the cell pass unit range by unit range
 * ({@link LstmSteps}), forward and backward: the same chains and lane-wise passes, so the same bits.
 *
 * <p>An input taken from a table by token (a language model's embedding) can be passed as the table and
 * the tokens ({@link #forwardTokens}): the first layer's input projection is then one GEMM over the
 * table's rows (the same chains, gathered), and its weight and table gradients GEMMs over the table's
 * rows after summing gate gradients per token — for a 65-character vocabulary and 2,048 rows a step,
 * a thirtieth of the work.
 */
public final class RecurrentStack {
  private final RecurrentParams params;
  private final RecurrentConfig config;

  public RecurrentStack(RecurrentParams params) {
    this.params = params;
    this.config = params.config();
  }

  public RecurrentConfig config() { return config; }

  public RecurrentParams params() { return params; }

  /** A workspace for up to {@code capacity} steps of {@code batch} sequences. */
  public RecurrentWorkspace newWorkspace(int capacity, int batch) { return new RecurrentWorkspace(config, capacity, batch); }

  /**
   * Forward over {@code steps} steps: x (T, B, I) at xOff, lengths (B) each in [1, T] or null for all T,
   * h0 / c0 (L·D, B, H) or null for zeros (c0 only for the LSTM); dropout masks drawn from rng in a fixed
   * order (layer, then row-major), none when rng is null or dropout is 0. The output is in
   * {@link RecurrentWorkspace#output()}, the final states via {@link #finalStates}. x, lengths and the
   * parameters must stay unchanged until {@link #backward}.
   */
  public void forward(RecurrentWorkspace ws, float[] p, float[] x, int xOff, int[] lengths, int steps,
      float[] h0, int h0Off, float[] c0, int c0Off, SplittableRandom rng) {
    validate(ws, p, x, xOff, lengths, steps, h0, h0Off, c0, c0Off);
    forward(ws, p, x, xOff, null, 0, lengths, steps, h0, h0Off, c0, c0Off, rng);
  }

  /**
   * {@link #forward} of the input rows x[t·B + b] = table[tokens[t·B + b]], table (vocab, I) at tableOff
   * (an embedding), without gathering x: the first layer's input projection is computed once per table
   * row (vocab rows, not T·B) and its rows gathered — each the very FMA chain the whole-sequence GEMM
   * would compute for that input row, so the results are bit-identical to {@link #forward} of the
   * gathered x. Its {@link #backward} accumulates the gradient of the table (vocab, I) into dx (instead
   * of the rows' gradient), again once per table row. tokens (T·B) in [0, vocab), read until backward.
   */
  public void forwardTokens(RecurrentWorkspace ws, float[] p, float[] table, int tableOff, int vocab, int[] tokens,
      int[] lengths, int steps, float[] h0, int h0Off, float[] c0, int c0Off, SplittableRandom rng) {
    validate(ws, p, null, 0, lengths, steps, h0, h0Off, c0, c0Off, false);
    if (vocab < 1) throw new IllegalArgumentException("vocab must be >= 1, got " + vocab);
    int rows = steps * ws.batch, inputSize = config.inputSize();
    if (table == null || tableOff < 0 || tableOff + (long) vocab * inputSize > table.length)
      throw new IllegalArgumentException("table: (V=" + vocab + ", I=" + inputSize + ") needs " + (long) vocab * inputSize
          + " floats from offset " + tableOff + ", array has " + (table == null ? "none" : table.length));
    if (tokens == null) throw new IllegalArgumentException("tokens is null");
    if (tokens.length < rows)
      throw new IllegalArgumentException("tokens has " + tokens.length + " entries, steps x batch needs " + rows);
    for (int r = 0; r < rows; r++)
      if (tokens[r] < 0 || tokens[r] >= vocab)
        throw new IllegalArgumentException("tokens[" + r + "] = " + tokens[r] + " outside [0, " + vocab + ")");
    if (ws.guardNonFinite) Rows.requireFinite("table", table, tableOff, vocab * inputSize, i -> "index " + i);
    forward(ws, p, table, tableOff, tokens, vocab, lengths, steps, h0, h0Off, c0, c0Off, rng);
  }

  private void forward(RecurrentWorkspace ws, float[] p, float[] x, int xOff, int[] tokens, int vocab,
      int[] lengths, int steps, float[] h0, int h0Off, float[] c0, int c0Off, SplittableRandom rng) {
    int batch = ws.batch, h = config.hidden(), gh = config.gateRows(), dirs = config.directions();
    int rows = steps * batch;
    ws.steps = steps;
    ws.lengths = lengths;
    ws.input = x;
    ws.inputOff = xOff;
    ws.tokens = tokens;
    ws.vocab = vocab;
    ws.droppedOut = rng != null && config.dropout() > 0f && config.layers() > 1;
    float[] in = x;
    int inOff = xOff;
    for (int l = 0; l < config.layers(); l++) {
      int inSize = config.layerInput(l);
      float[] out = ws.output[l];
      for (int d = 0; d < dirs; d++) {
        int k = l * dirs + d;
        int bIh = params.biasIh(l, d), bHh = params.biasHh(l, d);
        LstmSteps fused = ws.lstmSteps;
        PackedMatrix whhT = null;
        if (fused != null) whhT = ws.interleavedWhhT(k, p, params.weightHh(l, d), bHh);
        else Rows.transpose(ws.whhT[k], 0, p, params.weightHh(l, d), gh, h);
        // the input projection rows the steps read: row r of xproj, or row xRows[r] of it
        float[] xproj = ws.xproj;
        int[] xRows = null;
        if (l == 0 && tokens != null) { // once per table row: the same chains
          xproj = ws.perToken(vocab);
          Rows.fill(xproj, 0, vocab, gh, bIh < 0 ? null : p, bIh);
          Gemm.nt(xproj, 0, gh, in, inOff, inSize, p, params.weightIh(l, d), inSize, vocab, gh, inSize);
          // the fused steps read them by token (a small table in cache); the per-row loop, gathered
          if (fused != null) xRows = tokens;
          else {
            ws.biasJobs.gather(ws.xproj, xproj, tokens, rows, gh);
            xproj = ws.xproj;
          }
        } else { // all steps' input projections at once: xproj (T·B, GH) = b_ih + x W_ihᵀ
          ws.biasJobs.fill(ws.xproj, 0, rows, gh, bIh < 0 ? null : p, bIh);
          Gemm.nt(ws.xproj, 0, gh, in, inOff, inSize, p, params.weightIh(l, d), inSize, rows, gh, inSize);
        }
        float[] s = ws.state[k], c = ws.cell[k], act = ws.saved[k];
        int init = d == 0 ? 0 : steps;
        initialState(s, init * batch * h, h0, h0Off, k, batch, h);
        if (c != null) initialState(c, init * batch * h, c0, c0Off, k, batch, h);
        int sw = config.savedWidthTimesHidden();
        if (fused != null) { // one pool call per step: product and cell pass per unit range
          for (int step = 0; step < steps; step++) {
            int t = d == 0 ? step : steps - 1 - step;
            int prev = (d == 0 ? t : t + 1) * batch * h, next = (d == 0 ? t + 1 : t) * batch * h;
            fused.forward(t, prev, next, lengths, s, c, act, xproj, xRows, ws.hproj, ws.bhhInterleaved[k], whhT, out, d * h);
          }
          fused.clear();
        } else for (int step = 0; step < steps; step++) {
          int t = d == 0 ? step : steps - 1 - step;
          int prev = (d == 0 ? t : t + 1) * batch * h, next = (d == 0 ? t + 1 : t) * batch * h;
          Rows.fill(ws.hproj, 0, batch, gh, bHh < 0 ? null : p, bHh);
          Gemm.nn(ws.hproj, 0, gh, s, prev, h, ws.whhT[k], 0, gh, batch, gh, h);
          for (int b = 0; b < batch; b++) {
            int row = t * batch + b;
            int o = row * config.outputSize() + d * h;
            if (lengths == null || t < lengths[b]) {
              Cells.forward(config.cell(), s, next + b * h, c, next + b * h, s, prev + b * h, c, prev + b * h,
                  ws.xproj, row * gh, ws.hproj, b * gh, act, row * sw, h);
              System.arraycopy(s, next + b * h, out, o, h);
            } else { // padding: the state carries over unchanged, the output is zero
              System.arraycopy(s, prev + b * h, s, next + b * h, h);
              if (c != null) System.arraycopy(c, prev + b * h, c, next + b * h, h);
              Arrays.fill(out, o, o + h, 0f);
            }
          }
        }
      }
      in = out;
      inOff = 0;
      if (ws.droppedOut && l < config.layers() - 1) {
        drawMask(ws.mask[l], rows * config.outputSize(), config.dropout(), rng);
        float[] dropped = ws.dropped[l], mask = ws.mask[l];
        for (int i = 0; i < rows * config.outputSize(); i++) dropped[i] = out[i] * mask[i];
        in = dropped;
      }
    }
  }

  /**
   * Copies the final states of the last forward into hn / cn (L·D, B, H) (either may be null): for the
   * forward direction the state at each sequence's own length, for the reverse one the state after t = 0.
   */
  public void finalStates(RecurrentWorkspace ws, float[] hn, int hnOff, float[] cn, int cnOff) {
    int batch = ws.batch, h = config.hidden(), n = config.layers() * config.directions();
    if (hn != null) Checks.span("hn", hn, hnOff, (long) n * batch * h);
    if (cn != null) {
      if (!config.cell().hasCellState()) throw new IllegalArgumentException("cn: only the LSTM has a cell state");
      Checks.span("cn", cn, cnOff, (long) n * batch * h);
    }
    for (int k = 0; k < n; k++) {
      int slot = (k % config.directions() == 0 ? ws.steps : 0) * batch * h;
      if (hn != null) System.arraycopy(ws.state[k], slot, hn, hnOff + k * batch * h, batch * h);
      if (cn != null) System.arraycopy(ws.cell[k], slot, cn, cnOff + k * batch * h, batch * h);
    }
  }

  /**
   * Backward of the last forward on ws. Gradients of a loss with respect to the output, dy (T, B, D·H),
   * and the final states, dhn / dcn (L·D, B, H) — any may be null for zero — are propagated back and
   * <b>accumulated</b>: parameter gradients into grad (same layout as p), dx (T, B, I) += ∂L/∂x (after
   * {@link #forwardTokens}: dx (vocab, I) += ∂L/∂table, at dxOff) and
   * dh0 / dc0 (L·D, B, H) += ∂L/∂h0, ∂L/∂c0 where non-null. Entries of dy past a sequence's length are
   * ignored (those outputs are constant zero). Reverse time loop with one recurrent GEMM per step, then
   * the weight gradients as single GEMMs over all steps. math/rnn-bptt.md, gru-backward.md, lstm-backward.md
   */
  public void backward(RecurrentWorkspace ws, float[] p, float[] grad, float[] dy, int dyOff,
      float[] dhn, int dhnOff, float[] dcn, int dcnOff, float[] dx, int dxOff,
      float[] dh0, int dh0Off, float[] dc0, int dc0Off) {
    int batch = ws.batch, h = config.hidden(), gh = config.gateRows(), dirs = config.directions();
    int steps = ws.steps, rows = steps * batch, outSize = config.outputSize();
    if (ws.input == null) throw new IllegalArgumentException("backward before forward on this workspace");
    Checks.span("grad", grad, 0, p.length);
    int nStates = config.layers() * dirs * batch * h;
    if (dy != null) Checks.span("dy", dy, dyOff, (long) rows * outSize);
    if (dhn != null) Checks.span("dhn", dhn, dhnOff, nStates);
    if (dx != null) Checks.span(ws.tokens != null ? "dx (table gradient)" : "dx", dx, dxOff,
        (long) (ws.tokens != null ? ws.vocab : rows) * config.inputSize());
    if (dh0 != null) Checks.span("dh0", dh0, dh0Off, nStates);
    if (!config.cell().hasCellState() && (dcn != null || dc0 != null))
      throw new IllegalArgumentException("dcn/dc0: only the LSTM has a cell state");
    if (dcn != null) Checks.span("dcn", dcn, dcnOff, nStates);
    if (dc0 != null) Checks.span("dc0", dc0, dc0Off, nStates);
    int[] lengths = ws.lengths;
    int sw = config.savedWidthTimesHidden();

    float[] curDy = dy;
    int curDyOff = dyOff;
    if (curDy == null) { // no loss on the outputs: read zeros
      curDy = ws.dyA;
      curDyOff = 0;
      Arrays.fill(curDy, 0, rows * outSize, 0f);
    }
    for (int l = config.layers() - 1; l >= 0; l--) {
      int inSize = config.layerInput(l);
      float[] in = l == 0 ? ws.input : (ws.droppedOut ? ws.dropped[l - 1] : ws.output[l - 1]);
      int inOff = l == 0 ? ws.inputOff : 0;
      // ∂L/∂(input of layer l): into the ping-pong buffer not holding curDy, or the caller's dx
      float[] dIn = null;
      int dInOff = 0;
      if (l > 0) {
        dIn = curDy == ws.dyA ? ws.dyB : ws.dyA;
        Arrays.fill(dIn, 0, rows * inSize, 0f);
      } else if (dx != null) {
        dIn = dx;
        dInOff = dxOff;
      }
      for (int d = 0; d < dirs; d++) {
        int k = l * dirs + d;
        float[] s = ws.state[k], c = ws.cell[k], act = ws.saved[k];
        float[] dh = ws.dh, dhPrev = ws.dhPrev, dc = ws.dc, dcPrev = ws.dcPrev;
        startGradient(dh, dhn, dhnOff, k, batch, h);
        if (c != null) startGradient(dc, dcn, dcnOff, k, batch, h);
        LstmSteps fused = ws.lstmSteps;
        if (fused != null) { // one pool call per step: dh_t for a unit range, then its cell backward
          PackedMatrix whh = ws.packedWhh(k, p, params.weightHh(l, d));
          int lastT = -1;
          for (int step = 0; step < steps; step++) {
            int t = d == 0 ? steps - 1 - step : step;
            int prev = (d == 0 ? t : t + 1) * batch * h;
            if (step > 0) { float[] tmp = dh; dh = dhPrev; dhPrev = tmp; } // dhPrev: the later step's dh
            fused.backward(t, lastT, step == 0, prev, lengths, c, act, ws.dGx, whh, dh, dhPrev, dc, dcPrev,
                curDy, curDyOff + d * h);
            float[] tmp = dc; dc = dcPrev; dcPrev = tmp;
            lastT = t;
          }
          if (dh0 != null) { // the gradient reaching h0: one more product
            float[] tmp = dh; dh = dhPrev; dhPrev = tmp;
            fused.finishBackward(lastT, lengths, ws.dGx, whh, dh, dhPrev);
          }
          fused.clear();
        } else for (int step = 0; step < steps; step++) {
          int t = d == 0 ? steps - 1 - step : step;
          int prev = (d == 0 ? t : t + 1) * batch * h;
          for (int b = 0; b < batch; b++) {
            int row = t * batch + b;
            if (lengths == null || t < lengths[b]) {
              int dyo = curDyOff + row * outSize + d * h;
              switch (config.cell()) {
                case RNN_TANH, RNN_RELU -> RnnCell.backward(ws.dGx, row * gh, dhPrev, b * h, dh, b * h, curDy, dyo,
                    s, (d == 0 ? t + 1 : t) * batch * h + b * h, h, config.cell() == CellType.RNN_RELU);
                case GRU -> GruCell.backward(ws.dGx, row * gh, ws.dGh, row * gh, dhPrev, b * h, dh, b * h, curDy, dyo,
                    s, prev + b * h, act, row * sw, h);
                case LSTM -> LstmCell.backward(ws.dGx, row * gh, dhPrev, b * h, dcPrev, b * h, dh, b * h, curDy, dyo,
                    dc, b * h, c, prev + b * h, act, row * sw, h);
              }
            } else { // padding: no gate gradient, the state gradient passes through unchanged
              Arrays.fill(ws.dGx, row * gh, row * gh + gh, 0f);
              if (ws.dGh != ws.dGx) Arrays.fill(ws.dGh, row * gh, row * gh + gh, 0f);
              System.arraycopy(dh, b * h, dhPrev, b * h, h);
              if (c != null) System.arraycopy(dc, b * h, dcPrev, b * h, h);
            }
          }
          // dh_{t-1} += dGh_t · W_hh (GH, H): the one recurrent product per step. math/rnn-bptt.md (6)
          Gemm.nn(dhPrev, 0, h, ws.dGh, t * batch * gh, gh, p, params.weightHh(l, d), h, batch, h, gh);
          float[] tmp = dh; dh = dhPrev; dhPrev = tmp;
          tmp = dc; dc = dcPrev; dcPrev = tmp;
        }
        if (dh0 != null) Vec.axpy(dh0, dh0Off + k * batch * h, 1f, dh, 0, batch * h);
        if (dc0 != null) Vec.axpy(dc0, dc0Off + k * batch * h, 1f, dc, 0, batch * h);
        // weight gradients over all steps at once. math/rnn-bptt.md (7)-(9)
        Gemm.tn(grad, params.weightHh(l, d), h, ws.dGh, 0, gh, s, (d == 0 ? 0 : batch * h), h, gh, h, rows);
        if (config.bias() && ws.dGh == ws.dGx) { // both biases' gradient is Σ dG: one pass over it
          Arrays.fill(ws.biasSum, 0f);
          ws.biasJobs.sumRows(ws.biasSum, 0, ws.dGx, 0, rows, gh);
          Vec.add(grad, params.biasIh(l, d), grad, params.biasIh(l, d), ws.biasSum, 0, gh);
          Vec.add(grad, params.biasHh(l, d), grad, params.biasHh(l, d), ws.biasSum, 0, gh);
        } else if (config.bias()) {
          ws.biasJobs.sumRows(grad, params.biasIh(l, d), ws.dGx, 0, rows, gh);
          ws.biasJobs.sumRows(grad, params.biasHh(l, d), ws.dGh, 0, rows, gh);
        }
        if (l == 0 && ws.tokens != null) {
          // rows of one token share their input: sum their gate gradients first (row order), then
          // dW_ih += Sᵀ table and dtable += S W_ih over vocab rows instead of T·B. math/rnn-bptt.md (7)
          float[] perToken = ws.perToken(ws.vocab);
          ws.biasJobs.sumByToken(perToken, ws.dGx, ws.tokens, rows, ws.vocab, gh);
          Gemm.tn(grad, params.weightIh(l, d), inSize, perToken, 0, gh, in, inOff, inSize, gh, inSize, ws.vocab);
          if (dIn != null) Gemm.nn(dIn, dInOff, inSize, perToken, 0, gh, p, params.weightIh(l, d), inSize, ws.vocab, inSize, gh);
        } else {
          Gemm.tn(grad, params.weightIh(l, d), inSize, ws.dGx, 0, gh, in, inOff, inSize, gh, inSize, rows);
          if (dIn != null) Gemm.nn(dIn, dInOff, inSize, ws.dGx, 0, gh, p, params.weightIh(l, d), inSize, rows, inSize, gh);
        }
      }
      if (l > 0) {
        if (ws.droppedOut) {
          float[] mask = ws.mask[l - 1];
          for (int i = 0; i < rows * outSize; i++) dIn[i] *= mask[i];
        }
        curDy = dIn;
        curDyOff = 0;
      }
    }
  }

  // slot (B, H) of s = h0[k] or zeros
  private static void initialState(float[] s, int off, float[] h0, int h0Off, int k, int batch, int h) {
    if (h0 == null) Arrays.fill(s, off, off + batch * h, 0f);
    else System.arraycopy(h0, h0Off + k * batch * h, s, off, batch * h);
  }

  private static void startGradient(float[] dst, float[] dn, int dnOff, int k, int batch, int h) {
    if (dn == null) Arrays.fill(dst, 0, batch * h, 0f);
    else System.arraycopy(dn, dnOff + k * batch * h, dst, 0, batch * h);
  }

  // mask (n) = 0 with probability p, else 1/(1−p); one draw per element in order
  private static void drawMask(float[] mask, int n, float p, SplittableRandom rng) {
    float keep = 1f / (1f - p);
    for (int i = 0; i < n; i++) mask[i] = rng.nextFloat() < p ? 0f : keep;
  }

  private void validate(RecurrentWorkspace ws, float[] p, float[] x, int xOff, int[] lengths, int steps,
      float[] h0, int h0Off, float[] c0, int c0Off) {
    validate(ws, p, x, xOff, lengths, steps, h0, h0Off, c0, c0Off, true);
  }

  // checkX false: x is not (T, B, I) rows (forwardTokens checks its table itself)
  private void validate(RecurrentWorkspace ws, float[] p, float[] x, int xOff, int[] lengths, int steps,
      float[] h0, int h0Off, float[] c0, int c0Off, boolean checkX) {
    if (ws == null) throw new IllegalArgumentException("workspace is null");
    if (ws.config != config && !ws.config.equals(config))
      throw new IllegalArgumentException("workspace was made for " + ws.config + ", not " + config);
    if (p == null) throw new IllegalArgumentException("parameters are null");
    if (steps < 1 || steps > ws.capacity)
      throw new IllegalArgumentException("steps " + steps + " outside [1, " + ws.capacity + "] (workspace capacity)");
    int batch = ws.batch, inputSize = config.inputSize();
    long xLen = (long) steps * batch * inputSize;
    if (checkX && x == null) throw new IllegalArgumentException("x is null");
    if (checkX && (xOff < 0 || xOff + xLen > x.length))
      throw new IllegalArgumentException("x: (T=" + steps + ", B=" + batch + ", I=" + inputSize + ") needs " + xLen
          + " floats from offset " + xOff + ", array has " + x.length);
    if (lengths != null) {
      if (lengths.length != batch)
        throw new IllegalArgumentException("lengths has " + lengths.length + " entries for batch " + batch);
      for (int b = 0; b < batch; b++)
        if (lengths[b] < 1 || lengths[b] > steps)
          throw new IllegalArgumentException("lengths[" + b + "] = " + lengths[b] + " outside [1, " + steps + "]");
    }
    int h = config.hidden();
    long nStates = (long) config.layers() * config.directions() * batch * h;
    if (h0 != null) Rows.span("h0", "(L·D=" + config.layers() * config.directions() + ", B=" + batch + ", H=" + h + ")",
        h0, h0Off, nStates);
    if (c0 != null) {
      if (!config.cell().hasCellState()) throw new IllegalArgumentException("c0: only the LSTM has a cell state");
      Checks.span("c0 (L·D, B, H)", c0, c0Off, nStates);
    }
    if (p.length < expectedParams())
      throw new IllegalArgumentException("parameters: " + p.length + " floats, the stack needs offsets up to " + expectedParams());
    if (ws.guardNonFinite) {
      if (checkX) for (int t = 0; t < steps; t++)
        for (int b = 0; b < batch; b++) {
          if (lengths != null && t >= lengths[b]) continue;
          final int tt = t, bb = b;
          Rows.requireFinite("x", x, xOff + (t * batch + b) * inputSize, inputSize,
              i -> "step " + tt + ", sequence " + bb + ", feature " + i);
        }
      if (h0 != null) Rows.requireFinite("h0", h0, h0Off, (int) nStates, i -> "index " + i);
      if (c0 != null) Rows.requireFinite("c0", c0, c0Off, (int) nStates, i -> "index " + i);
    }
  }

  // one past the last parameter the stack addresses
  private int expectedParams() {
    int l = config.layers() - 1, d = config.directions() - 1;
    return config.bias() ? params.biasHh(l, d) + config.gateRows() : params.weightHh(l, d) + config.gateRows() * config.hidden();
  }
}
