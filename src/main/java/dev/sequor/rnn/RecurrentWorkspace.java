package dev.sequor.rnn;

import dev.sequor.kernel.PackedMatrix;

/**
 * Every buffer one training forward/backward of a {@link RecurrentStack} needs, for up to
 * {@code capacity} steps of exactly {@code batch} sequences, allocated once here (sizes computed in one
 * place) and reused across calls. Rows are time-major: row {@code t·B + b} is sequence b at step t.
 * Not thread-safe: one workspace per concurrent pass.
 *
 * <p>Per layer l and direction d (index k = l·D + d):
 * <ul>
 *   <li>{@code state[k]} (T+1, B, H): slot 0 (forward) or T (reverse) holds the initial state; the
 *       state after step t is in slot t+1 (forward) or t (reverse), so the states a step reads are
 *       always the T·B contiguous rows starting at slot 0 (forward) or slot 1 (reverse).
 *   <li>{@code cell[k]} (T+1, B, H): the LSTM's c, same slots.
 *   <li>{@code saved[k]} (T, B, S·H): per-step gate activations (see {@link CellType#savedWidth}).
 *   <li>{@code whhT[k]} (H, G·H): W_hhᵀ, made once per forward call for the per-step GEMM (unfused
 *       cells only).
 *   <li>LSTM with {@link LstmSteps}: W_hhᵀ packed gate-interleaved and b_hh in the same order for the
 *       forward, W_hh packed for the backward, each refreshed once per call.
 * </ul>
 * Per layer: {@code output[l]} (T, B, D·H) and, under dropout, {@code mask[l]} and {@code dropped[l]}.
 */
public final class RecurrentWorkspace {
  final RecurrentConfig config;
  final int capacity;
  final int batch;

  final float[][] state, cell, saved, whhT;
  final float[][] output, mask, dropped;
  /** (T, B, G·H): input projections of the current layer and direction (forward only). */
  final float[] xproj;
  /** (B, G·H): the recurrent projection of one step. */
  final float[] hproj;
  /** (T, B, G·H): ∂L/∂ input-side pre-activations; dGh is the same array except for the GRU. */
  final float[] dGx, dGh;
  /** (G·H): Σ over rows of dG, both biases' gradient when dGh is dGx. */
  final float[] biasSum;
  /** (B, H) ping-pong buffers for ∂L/∂h and ∂L/∂c carried backwards in time. */
  final float[] dh, dhPrev, dc, dcPrev;
  /** (T, B, D·H) ping-pong buffers for ∂L/∂(layer output) when walking down the stack; zeros for no dy. */
  final float[] dyA, dyB;

  /** Bias broadcasts and bias gradients over the worker pool. */
  final BiasJobs biasJobs = new BiasJobs();
  /** The fused per-step LSTM work, or null for the unfused loop. */
  final LstmSteps lstmSteps;
  /** [k]: W_hhᵀ packed gate-interleaved, b_hh (G·H) in its column order; W_hh packed. Made on first use. */
  private final PackedMatrix[] whhInterleaved, whhPacked;
  final float[][] bhhInterleaved;

  /** Steps, lengths and input of the last forward, read by backward; tokens and vocab after forwardTokens. */
  int steps;
  int[] lengths;
  float[] input;
  int inputOff;
  int[] tokens;
  int vocab;
  /** (V, G·H): the first layer's input projection per token (forward), its gate gradients per token (backward). */
  private float[] perToken = new float[0];
  boolean droppedOut;
  /** Whether {@link RecurrentStack#forward} should reject non-finite inputs and initial states. */
  boolean guardNonFinite;

  /** Buffers for up to {@code capacity} steps of {@code batch} sequences of {@code config}. */
  public RecurrentWorkspace(RecurrentConfig config, int capacity, int batch) { this(config, capacity, batch, true); }

  /** As above; {@code fuse == false} keeps the LSTM on the unfused per-step loop (tests compare the two). */
  RecurrentWorkspace(RecurrentConfig config, int capacity, int batch, boolean fuse) {
    if (capacity < 1) throw new IllegalArgumentException("capacity (steps) must be >= 1, got " + capacity);
    if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    int h = config.hidden(), gh = config.gateRows(), dirs = config.directions(), layers = config.layers();
    long rows = (long) capacity * batch;
    long widest = Math.max((long) gh, (long) config.savedWidthTimesHidden());
    if (rows * Math.max(widest, config.outputSize()) > Integer.MAX_VALUE - 8)
      throw new IllegalArgumentException("workspace too large: " + capacity + " steps x batch " + batch
          + " x " + widest + " features exceeds one Java array");
    this.config = config;
    this.capacity = capacity;
    this.batch = batch;
    int n = layers * dirs;
    state = new float[n][];
    cell = new float[n][];
    saved = new float[n][];
    whhT = new float[n][];
    lstmSteps = fuse && LstmSteps.applies(config) ? new LstmSteps(config, batch) : null;
    whhInterleaved = new PackedMatrix[n];
    whhPacked = new PackedMatrix[n];
    bhhInterleaved = new float[n][];
    for (int k = 0; k < n; k++) {
      state[k] = new float[(capacity + 1) * batch * h];
      cell[k] = config.cell().hasCellState() ? new float[(capacity + 1) * batch * h] : null;
      saved[k] = new float[(int) rows * config.savedWidthTimesHidden()];
      if (lstmSteps == null) whhT[k] = new float[h * gh];
      else bhhInterleaved[k] = new float[gh];
    }
    output = new float[layers][];
    mask = new float[layers][];
    dropped = new float[layers][];
    for (int l = 0; l < layers; l++) {
      output[l] = new float[(int) rows * config.outputSize()];
      if (config.dropout() > 0f && l < layers - 1) {
        mask[l] = new float[(int) rows * config.outputSize()];
        dropped[l] = new float[(int) rows * config.outputSize()];
      }
    }
    xproj = new float[(int) rows * gh];
    hproj = new float[batch * gh];
    dGx = new float[(int) rows * gh];
    dGh = config.cell() == CellType.GRU ? new float[(int) rows * gh] : dGx;
    biasSum = new float[gh];
    dh = new float[batch * h];
    dhPrev = new float[batch * h];
    dc = new float[batch * h];
    dcPrev = new float[batch * h];
    dyA = new float[(int) rows * config.outputSize()];
    dyB = layers > 1 ? new float[(int) rows * config.outputSize()] : dyA;
  }

  public RecurrentConfig config() { return config; }

  /**
   * W_hhᵀ of stack index k (W_hh (G·H, H) at off in p) packed gate-interleaved, and b_hh (at bOff, or
   * zeros when bOff < 0) in the same column order into {@code bhhInterleaved[k]}.
   */
  PackedMatrix interleavedWhhT(int k, float[] p, int off, int bOff) {
    int h = config.hidden(), gh = config.gateRows();
    PackedMatrix w = whhInterleaved[k];
    if (w == null) w = whhInterleaved[k] = PackedMatrix.ofTransposedInterleaved(p, off, h, gh, h, 4);
    else w.repack(p, off, h);
    float[] bias = bhhInterleaved[k];
    for (int j = 0; j < gh; j++) bias[j] = bOff < 0 ? 0f : p[bOff + w.sourceColumn(j)];
    return w;
  }

  /** The (vocab, G·H) per-token buffer, grown once when a larger vocabulary first comes. */
  float[] perToken(int vocab) {
    long n = (long) vocab * config.gateRows();
    if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("vocab " + vocab + " too large");
    if (perToken.length < n) perToken = new float[(int) n];
    return perToken;
  }

  /** W_hh (G·H, H) of stack index k at off in p, packed for dG · W_hh. */
  PackedMatrix packedWhh(int k, float[] p, int off) {
    int h = config.hidden(), gh = config.gateRows();
    PackedMatrix w = whhPacked[k];
    if (w == null) w = whhPacked[k] = PackedMatrix.of(p, off, h, gh, h);
    else w.repack(p, off, h);
    return w;
  }

  /** Most steps a pass may run. */
  public int capacity() { return capacity; }

  /** Sequences per pass. */
  public int batch() { return batch; }

  /** Turns the NaN/Inf guard on input and initial states on or off (off by default: it costs a pass). */
  public RecurrentWorkspace guardNonFinite(boolean on) {
    guardNonFinite = on;
    return this;
  }

  /** The top layer's output (T, B, D·H) of the last forward: [fwd|bwd] per row, zero past each length. */
  public float[] output() { return output[config.layers() - 1]; }

  /** Saved gate activations of layer l, direction d (T, B, S·H) (tests: gates in [0, 1], f, ...). */
  float[] saved(int l, int d) { return saved[l * config.directions() + d]; }

  /** States of layer l, direction d, (T+1, B, H) in the slot layout above. */
  float[] states(int l, int d) { return state[l * config.directions() + d]; }

  /** LSTM cell states of layer l, direction d, (T+1, B, H), or null. */
  float[] cells(int l, int d) { return cell[l * config.directions() + d]; }
}
