package dev.sequor.rnn;

import dev.sequor.kernel.Checks;
import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.WorkerPool;

/**
 * An immutable, thread-safe unidirectional recurrent stack for streaming inference: one model serves
 * any number of independent {@link RecurrentState streams}, stepped one at a time ({@link
 * RecurrentState#step}), a chunk at a time ({@link RecurrentState#feed}) or many together at any
 * batch size ({@link #step(RecurrentState[], int, float[], int, float[], int)}). No fixed batch, no
 * hidden mutable state: everything a stream owns is in its state object.
 *
 * <p>Weights are copied at construction with their columns in the {@link StreamLayout} order (gates
 * interleaved per 16 units): packed in column panels ({@link PackedPanels}) for batch-1 steps, where
 * one parallel region per layer has each part compute both projections of whole units and run their
 * fused cell pass (split across cores when the weights are large enough); and, for float32, also
 * row-major W_ihᵀ (in, G·H) / W_hhᵀ (H, G·H) for the GEMMs of chunked feeds and batched steps. Every
 * path computes the same FMA chains as the training GEMMs of {@link RecurrentStack}, so a stream's
 * states equal a whole-sequence forward bit for bit, however the sequence is chunked and whatever
 * streams share a batch step. With {@link WeightStorage#BF16} only the packed panels exist (half the
 * bytes) and every path goes through them.
 */
public final class RecurrentModel {
  /** Steps per chunk of {@link RecurrentState#feed}: bounds the per-thread scratch. */
  static final int CHUNK = 32;

  /** Below this many weight bytes per layer a step runs on one thread (dispatch would cost more). */
  static final long PARALLEL_MIN_BYTES = 96 * 1024;

  final RecurrentConfig config;
  final WeightStorage storage;
  final StreamLayout layout;
  // per layer, columns in layout order: W_ihᵀ (in, G·H), W_hhᵀ (H, G·H) row-major (f32 only, else null)
  final float[][] wIhT, wHhT;
  // per layer: the same packed in column panels for batch-1 steps
  final PackedPanels[] pIh, pHh;
  // per layer, layout order, padded to whole panels; zeros without bias
  final float[][] bIh, bHh;
  final boolean guardNonFinite;
  private final ThreadLocal<Scratch> scratch;

  private RecurrentModel(RecurrentConfig config, WeightStorage storage, StreamLayout layout, float[][] wIhT,
      float[][] wHhT, PackedPanels[] pIh, PackedPanels[] pHh, float[][] bIh, float[][] bHh, boolean guardNonFinite) {
    this.config = config;
    this.storage = storage;
    this.layout = layout;
    this.wIhT = wIhT;
    this.wHhT = wHhT;
    this.pIh = pIh;
    this.pHh = pHh;
    this.bIh = bIh;
    this.bHh = bHh;
    this.guardNonFinite = guardNonFinite;
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(this));
  }

  /** A float32 snapshot of the stack's current parameter values (copied: later training does not affect it). */
  public static RecurrentModel of(RecurrentParams params, float[] values) { return of(params, values, WeightStorage.F32); }

  /** A snapshot of the stack's current parameter values with weights stored as {@code storage}. */
  public static RecurrentModel of(RecurrentParams params, float[] values, WeightStorage storage) {
    RecurrentConfig cfg = params.config();
    if (storage == null) throw new IllegalArgumentException("storage is null");
    if (cfg.bidirectional())
      throw new IllegalArgumentException("a bidirectional stack cannot stream: its reverse direction needs the whole sequence");
    boolean f32 = storage == WeightStorage.F32;
    int layers = cfg.layers(), gh = cfg.gateRows(), h = cfg.hidden();
    StreamLayout sl = new StreamLayout(h, cfg.cell().gates());
    float[][] wIhT = new float[layers][], wHhT = new float[layers][], bIh = new float[layers][], bHh = new float[layers][];
    PackedPanels[] pIh = new PackedPanels[layers], pHh = new PackedPanels[layers];
    for (int l = 0; l < layers; l++) {
      int in = cfg.layerInput(l);
      Checks.span("weight_ih_l" + l, values, params.weightIh(l, 0), (long) gh * in);
      Checks.span("weight_hh_l" + l, values, params.weightHh(l, 0), (long) gh * h);
      pIh[l] = new PackedPanels(values, params.weightIh(l, 0), gh, in, sl.natural, !f32);
      pHh[l] = new PackedPanels(values, params.weightHh(l, 0), gh, h, sl.natural, !f32);
      if (f32) {
        wIhT[l] = transposed(values, params.weightIh(l, 0), in, sl.natural);
        wHhT[l] = transposed(values, params.weightHh(l, 0), h, sl.natural);
      }
      int padded = pIh[l].paddedCols();
      if (cfg.bias()) {
        Checks.span("bias_hh_l" + l, values, params.biasHh(l, 0), gh);
        bIh[l] = sl.permute(values, params.biasIh(l, 0), padded);
        bHh[l] = sl.permute(values, params.biasHh(l, 0), padded);
      } else {
        bIh[l] = new float[padded];
        bHh[l] = bIh[l];
      }
    }
    return new RecurrentModel(cfg, storage, sl, f32 ? wIhT : null, f32 ? wHhT : null, pIh, pHh, bIh, bHh, false);
  }

  // Wᵀ (in, G·H) with column k = W's row order[k]; W (G·H, in) at off
  private static float[] transposed(float[] values, int off, int in, int[] order) {
    float[] t = new float[in * order.length];
    for (int k = 0; k < order.length; k++)
      for (int r = 0; r < in; r++) t[r * order.length + k] = values[off + order[k] * in + r];
    return t;
  }

  /** The same model (sharing its weights) with the NaN/Inf input guard on or off. */
  public RecurrentModel withNonFiniteGuard(boolean on) {
    return new RecurrentModel(config, storage, layout, wIhT, wHhT, pIh, pHh, bIh, bHh, on);
  }

  public RecurrentConfig config() { return config; }

  public WeightStorage storage() { return storage; }

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
    long need = (long) count * in0, needOut = (long) count * h;
    if (x == null || xOff < 0 || xOff + need > x.length) Rows.span("x", "(count=" + count + ", I=" + in0 + ")", x, xOff, need);
    if (out != null && (outOff < 0 || outOff + needOut > out.length))
      Rows.span("out", "(count=" + count + ", H=" + h + ")", out, outOff, needOut);
    for (int i = 0; i < count; i++) {
      if (states[i] == null || states[i].model != this)
        throw new IllegalArgumentException("states[" + i + "] is null or belongs to another model");
      for (int j = 0; j < i; j++)
        if (states[j] == states[i]) throw new IllegalArgumentException("states[" + j + "] and states[" + i + "] are the same stream");
    }
    if (guardNonFinite) Rows.requireFinite("x", x, xOff, count * in0, i -> "stream " + i / in0 + ", feature " + i % in0);
    if (wIhT == null) { // bf16: no GEMM path; stream by stream (the same chains)
      for (int i = 0; i < count; i++) {
        step(states[i], x, xOff + i * in0);
        if (out != null) states[i].output(out, outOff + i * h);
      }
      return;
    }
    Scratch s = scratch.get().ensureBatch(count);
    float[] in = x;
    int inOff = xOff;
    for (int l = 0; l < config.layers(); l++) {
      int inSize = config.layerInput(l);
      for (int i = 0; i < count; i++) System.arraycopy(states[i].h, states[i].hOff(l), s.hBatch, i * h, h);
      Rows.fill(s.xpBatch, 0, count, gh, bIh[l], 0);
      Gemm.nn(s.xpBatch, 0, gh, in, inOff, inSize, wIhT[l], 0, gh, count, gh, inSize);
      Rows.fill(s.hpBatch, 0, count, gh, bHh[l], 0);
      Gemm.nn(s.hpBatch, 0, gh, s.hBatch, 0, h, wHhT[l], 0, gh, count, gh, h);
      for (int i = 0; i < count; i++) {
        RecurrentState st = states[i];
        layout.cells(config.cell(), st.h, st.nextOff(l), st.c, st.cOff(l), st.h, st.hOff(l), st.c, st.cOff(l),
            s.xpBatch, i * gh, s.hpBatch, i * gh, s.act, 0, 0, h);
        System.arraycopy(st.h, st.nextOff(l), s.yBatch, i * h, h);
      }
      in = s.yBatch; // read by the next layer's input GEMM before its cell passes overwrite it
      inOff = 0;
    }
    for (int i = 0; i < count; i++) {
      states[i].cur ^= 1;
      states[i].position++;
    }
    if (out != null) System.arraycopy(s.yBatch, 0, out, outOff, count * h);
  }

  // one step of one stream: x (I) at xOff -> st's next h slot (then current), st.c updated in place
  void step(RecurrentState st, float[] x, int xOff) {
    int h = config.hidden(), cur = st.cur;
    Scratch s = scratch.get();
    float[] in = x;
    int inOff = xOff;
    for (int l = 0; l < config.layers(); l++) {
      // per part: b_ih + W_ih x and b_hh + W_hh h for whole units (the chains of RecurrentStack's GEMMs,
      // math/rnn-bptt.md (1)), then those units' fused cell pass into the other slot of h (h is read
      // by every part, so the new state cannot replace it during the step)
      StepJob job = s.job(l, cur);
      job.set(in, inOff, s.xp, 0, st.h, st.slotOff(cur, l), st.slotOff(cur ^ 1, l), st.c, st.cOff(l));
      WorkerPool.run(job, parts(l));
      in = st.h;
      inOff = st.slotOff(cur ^ 1, l);
    }
    st.cur = cur ^ 1;
    st.position++;
  }

  // steps of one stream: xs (steps, I) -> out (steps, H) top-layer states unless null
  void feed(RecurrentState st, float[] xs, int xOff, int steps, float[] out, int outOff) {
    int h = config.hidden(), gh = config.gateRows();
    if (wIhT == null) { // bf16: no GEMM path; step by step (the same chains)
      for (int t = 0; t < steps; t++) {
        step(st, xs, xOff + t * config.inputSize());
        if (out != null) st.output(out, outOff + t * h);
      }
      return;
    }
    Scratch s = scratch.get();
    for (int t0 = 0; t0 < steps; t0 += CHUNK) {
      int tc = Math.min(CHUNK, steps - t0), cur0 = st.cur;
      float[] in = xs;
      int inOff = xOff + t0 * config.inputSize();
      for (int l = 0; l < config.layers(); l++) {
        int inSize = config.layerInput(l);
        float[] y = (l & 1) == 0 ? s.yA : s.yB;
        // the chunk's input projections in one GEMM: each row the same chain as one step's
        Rows.fill(s.xpChunk, 0, tc, gh, bIh[l], 0);
        Gemm.nn(s.xpChunk, 0, gh, in, inOff, inSize, wIhT[l], 0, gh, tc, gh, inSize);
        for (int t = 0; t < tc; t++) { // step t reads slot (cur0 + t) & 1 of this layer, writes the other
          int slot = (cur0 + t) & 1;
          StepJob job = s.job(l, slot);
          job.set(null, 0, s.xpChunk, t * gh, st.h, st.slotOff(slot, l), st.slotOff(slot ^ 1, l), st.c, st.cOff(l));
          WorkerPool.run(job, parts(l)); // recurrent projection and cells only
          System.arraycopy(st.h, st.slotOff(slot ^ 1, l), y, t * h, h);
        }
        in = y;
        inOff = 0;
      }
      if (out != null) System.arraycopy(in, 0, out, outOff + t0 * h, tc * h);
      st.cur = (cur0 + tc) & 1;
      st.position += tc;
    }
  }

  // parts of a batch-1 step of layer l: one below PARALLEL_MIN_BYTES, else one per thread (≤ groups)
  int parts(int l) {
    if (pIh[l].bytes() + pHh[l].bytes() < PARALLEL_MIN_BYTES) return 1;
    return Math.max(1, Math.min(WorkerPool.threads(), layout.groups));
  }

  /**
   * Part {@code part} of one layer's step: groups [G·part/parts, G·(part+1)/parts) of whole units. Each
   * part writes its pre-activations and gate activations PAD floats after the previous part's, part 0
   * PAD floats in, so no two parts write the same cache line of the scratch and none writes the line of
   * an array's header (its length, read by every part's bounds checks; measured at H = 256, bf16, two
   * threads: LSTM steps of 6.41-6.79 µs in nine runs, 6.34-8.94 before; notes/streaming-inference.md).
   */
  private static final class StepJob implements WorkerPool.Job {
    final RecurrentModel model;
    final float[] hp, act;
    float[] x, xp, h, c;
    int layer, xOff, xpOff, hIn, hOut, cOff;

    StepJob(RecurrentModel model, int layer, float[] hp, float[] act) {
      this.model = model;
      this.layer = layer;
      this.hp = hp;
      this.act = act;
    }

    /**
     * x null: the input projection is already in xp at xpOff (a chunk's GEMM); else xp is the padded
     * scratch. h: the layer's state at hIn, the new one to hOut; c (LSTM) at cOff, in place. Writes only
     * the fields that change: a stream stepping one layer with this job (one job per layer and slot of
     * h) leaves the job's cache line untouched, so the worker reads it without a miss. (The job
     * therefore keeps referring to the last stream and input until the next step on this thread.)
     */
    void set(float[] x, int xOff, float[] xp, int xpOff, float[] h, int hIn, int hOut, float[] c, int cOff) {
      if (this.x != x) this.x = x;
      if (this.xOff != xOff) this.xOff = xOff;
      if (this.xp != xp) this.xp = xp;
      if (this.xpOff != xpOff) this.xpOff = xpOff;
      if (this.h != h) this.h = h;
      if (this.hIn != hIn) this.hIn = hIn;
      if (this.hOut != hOut) this.hOut = hOut;
      if (this.c != c) this.c = c;
      if (this.cOff != cOff) this.cOff = cOff;
    }

    @Override
    public void run(int part, int parts) {
      StreamLayout sl = model.layout;
      PackedPanels pi = model.pIh[layer], ph = model.pHh[layer];
      int g0 = (int) ((long) sl.groups * part / parts), g1 = (int) ((long) sl.groups * (part + 1) / parts);
      int p0 = sl.firstPanel(g0, pi.panels), p1 = sl.firstPanel(g1, pi.panels);
      if (part == parts - 1) p1 = pi.panels;
      int pad = (part + 1) * PAD, xpAt = xpOff;
      // the chains start from the biases (math/rnn-bptt.md (1)), as in RecurrentStack's GEMMs
      if (x != null) pi.wtx(xp, xpAt += pad, model.bIh[layer], 0, x, xOff, p0, p1);
      ph.wtx(hp, pad, model.bHh[layer], 0, h, hIn, p0, p1);
      sl.cells(model.config.cell(), h, hOut, c, cOff, h, hIn, c, cOff, xp, xpAt, hp, pad, act, pad,
          sl.firstUnit(g0), part == parts - 1 ? sl.hidden : sl.firstUnit(g1));
    }
  }

  /** Floats between two parts' regions of the step scratch: 64 bytes, so they share no cache line. */
  static final int PAD = 16;

  /** Per-thread buffers of the step paths, sized once per model (batch buffers grow on demand). */
  private static final class Scratch {
    final int h, gh;
    final float[] xp, hp, act, xpChunk, yA, yB;
    final StepJob[] jobs; // per layer and slot of h read: [2·l + slot]
    float[] xpBatch, hpBatch, hBatch, yBatch;
    int batch;

    Scratch(RecurrentModel m) {
      RecurrentConfig cfg = m.config;
      h = cfg.hidden();
      gh = cfg.gateRows();
      int padded = m.pIh[0].paddedCols(), pads = (m.layout.groups + 1) * PAD; // parts <= groups
      xp = new float[padded + pads];
      hp = new float[padded + pads];
      act = new float[Math.max(1, cfg.cell().savedWidth()) * h + pads]; // gate activations of the cell passes
      jobs = new StepJob[2 * cfg.layers()];
      for (int i = 0; i < jobs.length; i++) jobs[i] = new StepJob(m, i / 2, hp, act);
      // padded so that a part may write whole panels at any row's offset
      xpChunk = m.wIhT == null ? null : new float[(CHUNK - 1) * gh + padded];
      yA = new float[CHUNK * h];
      yB = new float[CHUNK * h];
    }

    StepJob job(int layer, int slot) { return jobs[2 * layer + slot]; }

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
