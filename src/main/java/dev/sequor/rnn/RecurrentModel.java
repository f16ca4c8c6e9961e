package dev.sequor.rnn;

import dev.sequor.kernel.Checks;
import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.Gemv;

/**
 * An immutable, thread-safe unidirectional recurrent stack for streaming inference: one model serves
 * any number of independent {@link RecurrentState streams}, stepped one at a time ({@link
 * RecurrentState#step}), a chunk at a time ({@link RecurrentState#feed}) or many together at any
 * batch size ({@link #step(RecurrentState[], int, float[], int, float[], int)}). No fixed batch, no
 * hidden mutable state: everything a stream owns is in its state object.
 *
 * <p>Weights are copied at construction into the layout the kernels want: W_ihᵀ (in, G·H) and W_hhᵀ
 * (H, G·H), so a batch-1 step is two {@link Gemv#wtx} calls per layer (split across cores by the
 * kernel's pool when large) plus the fused cell pass. Those compute the same FMA chains as the
 * training GEMMs of {@link RecurrentStack}, so a stream's states equal a whole-sequence forward bit for
 * bit, however the sequence is chunked and whatever streams share a batch step.
 */
public final class RecurrentModel {
  /** Steps per chunk of {@link RecurrentState#feed}: bounds the per-thread scratch. */
  static final int CHUNK = 32;

  final RecurrentConfig config;
  final float[][] wIhT, wHhT, bIh, bHh; // per layer; biases null without bias
  final boolean guardNonFinite;
  private final ThreadLocal<Scratch> scratch;

  private RecurrentModel(RecurrentConfig config, float[][] wIhT, float[][] wHhT, float[][] bIh, float[][] bHh,
      boolean guardNonFinite) {
    this.config = config;
    this.wIhT = wIhT;
    this.wHhT = wHhT;
    this.bIh = bIh;
    this.bHh = bHh;
    this.guardNonFinite = guardNonFinite;
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(config));
  }

  /** A snapshot of the stack's current parameter values (copied: later training does not affect it). */
  public static RecurrentModel of(RecurrentParams layout, float[] values) {
    RecurrentConfig cfg = layout.config();
    if (cfg.bidirectional())
      throw new IllegalArgumentException("a bidirectional stack cannot stream: its reverse direction needs the whole sequence");
    int layers = cfg.layers(), gh = cfg.gateRows(), h = cfg.hidden();
    float[][] wIhT = new float[layers][], wHhT = new float[layers][], bIh = new float[layers][], bHh = new float[layers][];
    for (int l = 0; l < layers; l++) {
      int in = cfg.layerInput(l);
      Checks.span("weight_ih_l" + l, values, layout.weightIh(l, 0), (long) gh * in);
      Checks.span("weight_hh_l" + l, values, layout.weightHh(l, 0), (long) gh * h);
      wIhT[l] = new float[in * gh];
      Rows.transpose(wIhT[l], 0, values, layout.weightIh(l, 0), gh, in);
      wHhT[l] = new float[h * gh];
      Rows.transpose(wHhT[l], 0, values, layout.weightHh(l, 0), gh, h);
      if (cfg.bias()) {
        Checks.span("bias_hh_l" + l, values, layout.biasHh(l, 0), gh);
        bIh[l] = java.util.Arrays.copyOfRange(values, layout.biasIh(l, 0), layout.biasIh(l, 0) + gh);
        bHh[l] = java.util.Arrays.copyOfRange(values, layout.biasHh(l, 0), layout.biasHh(l, 0) + gh);
      }
    }
    return new RecurrentModel(cfg, wIhT, wHhT, cfg.bias() ? bIh : null, cfg.bias() ? bHh : null, false);
  }

  /** The same model (sharing its weights) with the NaN/Inf input guard on or off. */
  public RecurrentModel withNonFiniteGuard(boolean on) {
    return new RecurrentModel(config, wIhT, wHhT, bIh, bHh, on);
  }

  public RecurrentConfig config() { return config; }

  /** A new stream at zero state. */
  public RecurrentState newState() { return new RecurrentState(this); }

  /**
   * One step of {@code count} streams together: x (count, I) at xOff, the i-th row going to states[i];
   * out (count, H) receives each stream's new top-layer state unless null. Equal bit for bit to
   * stepping each stream alone. The states must be distinct and belong to this model.
   */
  public void step(RecurrentState[] states, int count, float[] x, int xOff, float[] out, int outOff) {
    int in0 = config.inputSize(), h = config.hidden(), gh = config.gateRows();
    if (states == null || count < 1 || count > states.length)
      throw new IllegalArgumentException("count " + count + " outside [1, " + (states == null ? 0 : states.length) + "]");
    Checks.span("x (count=" + count + ", I=" + in0 + ")", x, xOff, (long) count * in0);
    if (out != null) Checks.span("out (count=" + count + ", H=" + h + ")", out, outOff, (long) count * h);
    for (int i = 0; i < count; i++) {
      if (states[i] == null || states[i].model != this)
        throw new IllegalArgumentException("states[" + i + "] is null or belongs to another model");
      for (int j = 0; j < i; j++)
        if (states[j] == states[i]) throw new IllegalArgumentException("states[" + j + "] and states[" + i + "] are the same stream");
    }
    if (guardNonFinite) Rows.requireFinite("x", x, xOff, count * in0, i -> "stream " + i / in0 + ", feature " + i % in0);
    Scratch s = scratch.get().ensureBatch(count);
    float[] in = x;
    int inOff = xOff;
    for (int l = 0; l < config.layers(); l++) {
      int inSize = config.layerInput(l);
      for (int i = 0; i < count; i++) System.arraycopy(states[i].h, l * h, s.hBatch, i * h, h);
      Rows.fill(s.xpBatch, 0, count, gh, bIh == null ? null : bIh[l], 0);
      Gemm.nn(s.xpBatch, 0, gh, in, inOff, inSize, wIhT[l], 0, gh, count, gh, inSize);
      Rows.fill(s.hpBatch, 0, count, gh, bHh == null ? null : bHh[l], 0);
      Gemm.nn(s.hpBatch, 0, gh, s.hBatch, 0, h, wHhT[l], 0, gh, count, gh, h);
      for (int i = 0; i < count; i++) {
        RecurrentState st = states[i];
        Cells.forward(config.cell(), st.h, l * h, st.c, l * h, st.h, l * h, st.c, l * h,
            s.xpBatch, i * gh, s.hpBatch, i * gh, null, 0, h);
        System.arraycopy(st.h, l * h, s.yBatch, i * h, h);
      }
      in = s.yBatch;
      inOff = 0;
      // the next layer reads yBatch as its input while hBatch is refilled: distinct buffers
    }
    for (int i = 0; i < count; i++) states[i].position++;
    if (out != null) System.arraycopy(s.yBatch, 0, out, outOff, count * h);
  }

  // one step of one stream: x (I) at xOff -> st.h, st.c updated in place
  void step(RecurrentState st, float[] x, int xOff) {
    int h = config.hidden(), gh = config.gateRows();
    Scratch s = scratch.get();
    float[] in = x;
    int inOff = xOff;
    for (int l = 0; l < config.layers(); l++) {
      int inSize = config.layerInput(l);
      // the same chains as RecurrentStack: b_ih + W_ih x, then b_hh + W_hh h. math/rnn-bptt.md (1)
      Rows.fill(s.xp, 0, 1, gh, bIh == null ? null : bIh[l], 0);
      Gemv.wtx(s.xp, 0, wIhT[l], 0, gh, in, inOff, inSize, gh);
      Rows.fill(s.hp, 0, 1, gh, bHh == null ? null : bHh[l], 0);
      Gemv.wtx(s.hp, 0, wHhT[l], 0, gh, st.h, l * h, h, gh);
      Cells.forward(config.cell(), st.h, l * h, st.c, l * h, st.h, l * h, st.c, l * h, s.xp, 0, s.hp, 0, null, 0, h);
      in = st.h;
      inOff = l * h;
    }
    st.position++;
  }

  // steps of one stream: xs (steps, I) -> out (steps, H) top-layer states unless null
  void feed(RecurrentState st, float[] xs, int xOff, int steps, float[] out, int outOff) {
    int h = config.hidden(), gh = config.gateRows();
    Scratch s = scratch.get();
    for (int t0 = 0; t0 < steps; t0 += CHUNK) {
      int tc = Math.min(CHUNK, steps - t0);
      float[] in = xs;
      int inOff = xOff + t0 * config.inputSize();
      for (int l = 0; l < config.layers(); l++) {
        int inSize = config.layerInput(l);
        float[] y = (l & 1) == 0 ? s.yA : s.yB;
        // the chunk's input projections in one GEMM: each row the same chain as one Gemv step
        Rows.fill(s.xpChunk, 0, tc, gh, bIh == null ? null : bIh[l], 0);
        Gemm.nn(s.xpChunk, 0, gh, in, inOff, inSize, wIhT[l], 0, gh, tc, gh, inSize);
        for (int t = 0; t < tc; t++) {
          Rows.fill(s.hp, 0, 1, gh, bHh == null ? null : bHh[l], 0);
          Gemv.wtx(s.hp, 0, wHhT[l], 0, gh, st.h, l * h, h, gh);
          Cells.forward(config.cell(), st.h, l * h, st.c, l * h, st.h, l * h, st.c, l * h,
              s.xpChunk, t * gh, s.hp, 0, null, 0, h);
          System.arraycopy(st.h, l * h, y, t * h, h);
        }
        in = y;
        inOff = 0;
      }
      if (out != null) System.arraycopy(in, 0, out, outOff + t0 * h, tc * h);
      st.position += tc;
    }
  }

  /** Per-thread buffers of the step paths, sized once per model (batch buffers grow on demand). */
  private static final class Scratch {
    final int h, gh;
    final float[] xp, hp, xpChunk, yA, yB;
    float[] xpBatch, hpBatch, hBatch, yBatch;
    int batch;

    Scratch(RecurrentConfig cfg) {
      h = cfg.hidden();
      gh = cfg.gateRows();
      xp = new float[gh];
      hp = new float[gh];
      xpChunk = new float[CHUNK * gh];
      yA = new float[CHUNK * h];
      yB = new float[CHUNK * h];
    }

    Scratch ensureBatch(int n) {
      if (n > batch) {
        xpBatch = new float[n * gh];
        hpBatch = new float[n * gh];
        hBatch = new float[n * h];
        yBatch = new float[n * h];
        batch = n;
      }
      return this;
    }
  }
}
