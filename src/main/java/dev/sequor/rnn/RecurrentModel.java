package dev.sequor.rnn;

import dev.sequor.kernel.Checks;
import dev.sequor.kernel.Gemm;

/**
 * An immutable, thread-safe unidirectional recurrent stack for streaming inference: one model serves
 * any number of independent {@link RecurrentState streams}, stepped one at a time ({@link
 * RecurrentState#step}), a chunk at a time ({@link RecurrentState#feed}) or many together at any
 * batch size ({@link #step(RecurrentState[], int, float[], int, float[], int)}). No fixed batch, no
 * hidden mutable state: everything a stream owns is in its state object.
 *
 * <p>Weights are copied at construction into the layouts the kernels want: W_ihᵀ (in, G·H) and W_hhᵀ
 * (H, G·H) row-major for the GEMMs of chunked feeds and batched steps, and the same packed in column
 * panels ({@link PackedPanels}) for batch-1 steps: one parallel region per layer computes both
 * projections of a column range per part (split across cores when the weights are large enough),
 * then the fused cell pass. All compute the same FMA chains as the training GEMMs of {@link
 * RecurrentStack}, so a stream's states equal a whole-sequence forward bit for bit, however the
 * sequence is chunked and whatever streams share a batch step. With {@link WeightStorage#BF16} only the
 * packed panels exist (half the bytes) and every path goes through them.
 */
public final class RecurrentModel {
  /** Steps per chunk of {@link RecurrentState#feed}: bounds the per-thread scratch. */
  static final int CHUNK = 32;

  /** Below this many weight bytes per layer a step runs on one thread (dispatch would cost more). */
  static final long PARALLEL_MIN_BYTES = 96 * 1024;

  final RecurrentConfig config;
  final WeightStorage storage;
  // per layer: W_ihᵀ (in, G·H) and W_hhᵀ (H, G·H) row-major for the GEMM paths (f32 only, else null)
  final float[][] wIhT, wHhT;
  // per layer: the same, packed in column panels for batch-1 steps
  final PackedPanels[] pIh, pHh;
  final float[][] bIh, bHh; // per layer; null without bias
  final boolean guardNonFinite;
  private final ThreadLocal<Scratch> scratch;

  private RecurrentModel(RecurrentConfig config, WeightStorage storage, float[][] wIhT, float[][] wHhT,
      PackedPanels[] pIh, PackedPanels[] pHh, float[][] bIh, float[][] bHh, boolean guardNonFinite) {
    this.config = config;
    this.storage = storage;
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
  public static RecurrentModel of(RecurrentParams layout, float[] values) { return of(layout, values, WeightStorage.F32); }

  /** A snapshot of the stack's current parameter values with weights stored as {@code storage}. */
  public static RecurrentModel of(RecurrentParams layout, float[] values, WeightStorage storage) {
    RecurrentConfig cfg = layout.config();
    if (storage == null) throw new IllegalArgumentException("storage is null");
    boolean f32 = storage == WeightStorage.F32;
    if (cfg.bidirectional())
      throw new IllegalArgumentException("a bidirectional stack cannot stream: its reverse direction needs the whole sequence");
    int layers = cfg.layers(), gh = cfg.gateRows(), h = cfg.hidden();
    float[][] wIhT = new float[layers][], wHhT = new float[layers][], bIh = new float[layers][], bHh = new float[layers][];
    PackedPanels[] pIh = new PackedPanels[layers], pHh = new PackedPanels[layers];
    for (int l = 0; l < layers; l++) {
      int in = cfg.layerInput(l);
      Checks.span("weight_ih_l" + l, values, layout.weightIh(l, 0), (long) gh * in);
      Checks.span("weight_hh_l" + l, values, layout.weightHh(l, 0), (long) gh * h);
      if (f32) {
        wIhT[l] = new float[in * gh];
        Rows.transpose(wIhT[l], 0, values, layout.weightIh(l, 0), gh, in);
        wHhT[l] = new float[h * gh];
        Rows.transpose(wHhT[l], 0, values, layout.weightHh(l, 0), gh, h);
      }
      pIh[l] = new PackedPanels(values, layout.weightIh(l, 0), gh, in, !f32);
      pHh[l] = new PackedPanels(values, layout.weightHh(l, 0), gh, h, !f32);
      if (cfg.bias()) {
        Checks.span("bias_hh_l" + l, values, layout.biasHh(l, 0), gh);
        bIh[l] = java.util.Arrays.copyOfRange(values, layout.biasIh(l, 0), layout.biasIh(l, 0) + gh);
        bHh[l] = java.util.Arrays.copyOfRange(values, layout.biasHh(l, 0), layout.biasHh(l, 0) + gh);
      }
    }
    return new RecurrentModel(cfg, storage, f32 ? wIhT : null, f32 ? wHhT : null, pIh, pHh,
        cfg.bias() ? bIh : null, cfg.bias() ? bHh : null, false);
  }

  /** The same model (sharing its weights) with the NaN/Inf input guard on or off. */
  public RecurrentModel withNonFiniteGuard(boolean on) {
    return new RecurrentModel(config, storage, wIhT, wHhT, pIh, pHh, bIh, bHh, on);
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
    Checks.span("x (count=" + count + ", I=" + in0 + ")", x, xOff, (long) count * in0);
    if (out != null) Checks.span("out (count=" + count + ", H=" + h + ")", out, outOff, (long) count * h);
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
    int h = config.hidden();
    Scratch s = scratch.get();
    StepJob job = s.job;
    float[] in = x;
    int inOff = xOff;
    for (int l = 0; l < config.layers(); l++) {
      // both projections of a column range per part: b_ih + W_ih x and b_hh + W_hh h, the same chains
      // as RecurrentStack's GEMMs (math/rnn-bptt.md (1)); then the fused cell pass on the caller
      job.set(l, in, inOff, st.h, l * h);
      StepParallel.run(job, parts(l));
      job.clear();
      Cells.forward(config.cell(), st.h, l * h, st.c, l * h, st.h, l * h, st.c, l * h, s.xp, 0, s.hp, 0, null, 0, h);
      in = st.h;
      inOff = l * h;
    }
    st.position++;
  }

  // parts of a batch-1 step of layer l: one below PARALLEL_MIN_BYTES, else one per thread (≤ panels)
  private int parts(int l) {
    if (pIh[l].bytes() + pHh[l].bytes() < PARALLEL_MIN_BYTES) return 1;
    return Math.max(1, Math.min(StepParallel.threads(), pIh[l].panels));
  }

  /** Part {@code part} of one layer's projections: panels [P·part/parts, P·(part+1)/parts). */
  private static final class StepJob implements StepParallel.Job {
    final RecurrentModel model;
    final float[] xp, hp;
    float[] x, h;
    int layer, xOff, hOff;

    StepJob(RecurrentModel model, float[] xp, float[] hp) {
      this.model = model;
      this.xp = xp;
      this.hp = hp;
    }

    // x null: the recurrent projection only
    void set(int layer, float[] x, int xOff, float[] h, int hOff) {
      this.layer = layer;
      this.x = x;
      this.xOff = xOff;
      this.h = h;
      this.hOff = hOff;
    }

    void clear() { x = h = null; }

    @Override
    public void run(int part, int parts) {
      PackedPanels pi = model.pIh[layer], ph = model.pHh[layer];
      int p0 = (int) ((long) pi.panels * part / parts), p1 = (int) ((long) pi.panels * (part + 1) / parts);
      int c0 = p0 * PackedPanels.WIDTH, c1 = Math.min(p1 * PackedPanels.WIDTH, pi.cols);
      if (x != null) {
        fillBias(xp, c0, c1, model.bIh == null ? null : model.bIh[layer]);
        pi.wtx(xp, x, xOff, p0, p1);
      }
      fillBias(hp, c0, c1, model.bHh == null ? null : model.bHh[layer]);
      ph.wtx(hp, h, hOff, p0, p1);
    }

    private static void fillBias(float[] y, int c0, int c1, float[] bias) {
      if (bias == null) java.util.Arrays.fill(y, c0, c1, 0f);
      else System.arraycopy(bias, c0, y, c0, c1 - c0);
    }
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
          s.job.set(l, null, 0, st.h, l * h); // recurrent projection only: the input one is the chunk's GEMM
          StepParallel.run(s.job, parts(l));
          s.job.clear();
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
    final StepJob job;
    float[] xpBatch, hpBatch, hBatch, yBatch;
    int batch;

    Scratch(RecurrentModel m) {
      RecurrentConfig cfg = m.config;
      h = cfg.hidden();
      gh = cfg.gateRows();
      int padded = m.pIh[0].paddedCols();
      xp = new float[padded];
      hp = new float[padded];
      job = new StepJob(m, xp, hp);
      xpChunk = m.wIhT == null ? null : new float[CHUNK * gh];
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
