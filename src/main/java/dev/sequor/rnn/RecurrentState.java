package dev.sequor.rnn;

import dev.sequor.kernel.Checks;
import java.util.Arrays;

/**
 * One stream over a shared {@link RecurrentModel}: its per-layer states h (L, H) (and c for the LSTM)
 * and nothing else, so thousands of streams cost only their states. Not thread-safe: one thread at a
 * time per stream (the model itself is shared freely).
 *
 * <p>h is double-buffered: a step reads every layer's state from slot {@code cur} and writes the new
 * one to the other slot (every part of a split step reads all of h while the parts write theirs), then
 * flips; no copy of the new state per step. c is updated in place (each unit reads only its own c).
 *
 * <p>Both arrays start their contents {@link #HEAD} floats in: an array's first cache line holds its
 * length, which every thread's bounds checks read, so a state written there by one part of a split step
 * would cost the other part's core a cache miss on every step.
 */
public final class RecurrentState {
  final RecurrentModel model;
  /** Unused floats before the state: past the array header's cache line (see the class comment). */
  static final int HEAD = 16;
  final int layers, hidden;
  /** (2, L, H) from HEAD: slot s of layer l at HEAD + (s·L + l)·H; slot {@link #cur} is the current state. */
  final float[] h;
  /** (L, H) from HEAD, the LSTM only. */
  final float[] c;
  /** The slot of h holding the current state, 0 or 1. */
  int cur;
  long position;

  RecurrentState(RecurrentModel model) {
    this.model = model;
    RecurrentConfig cfg = model.config;
    layers = cfg.layers();
    hidden = cfg.hidden();
    h = new float[HEAD + 2 * layers * hidden];
    c = cfg.cell().hasCellState() ? new float[HEAD + layers * hidden] : null;
  }

  /** Offset in h of layer l's state in slot s. */
  int slotOff(int s, int l) { return HEAD + (s * layers + l) * hidden; }

  /** Offset in c of layer l's cell state. */
  int cOff(int l) { return HEAD + l * hidden; }

  /** Offset in h of layer l's current state. */
  int hOff(int l) { return slotOff(cur, l); }

  /** Offset in h of layer l's next state (written by the step in progress). */
  int nextOff(int l) { return slotOff(cur ^ 1, l); }

  public RecurrentModel model() { return model; }

  /** Steps consumed since creation or the last {@link #reset}. */
  public long position() { return position; }

  /** Consumes one input x (I) at xOff. */
  public void step(float[] x, int xOff) {
    int in = model.config.inputSize();
    if (x == null || xOff < 0 || xOff + in > x.length) Rows.span("x", "(I=" + in + ")", x, xOff, in);
    if (model.guardNonFinite) Rows.requireFinite("x", x, xOff, in, i -> "feature " + i);
    model.step(this, x, xOff);
  }

  /** Consumes x (I) at xOff and copies the new top-layer state (H) to out at outOff. */
  public void step(float[] x, int xOff, float[] out, int outOff) {
    int hs = model.config.hidden();
    if (out == null || outOff < 0 || outOff + hs > out.length) Rows.span("out", "(H=" + hs + ")", out, outOff, hs);
    step(x, xOff);
    output(out, outOff);
  }

  /**
   * Consumes {@code steps} inputs xs (steps, I) at xOff in order; out (steps, H) receives the top-layer
   * state after each unless null. Equal bit for bit to calling {@link #step} for each.
   */
  public void feed(float[] xs, int xOff, int steps, float[] out, int outOff) {
    int in = model.config.inputSize();
    if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    long need = (long) steps * in, needOut = (long) steps * model.config.hidden();
    if (xs == null || xOff < 0 || xOff + need > xs.length) Rows.span("xs", "(steps=" + steps + ", I=" + in + ")", xs, xOff, need);
    if (out != null && (outOff < 0 || outOff + needOut > out.length))
      Rows.span("out", "(steps=" + steps + ", H=" + model.config.hidden() + ")", out, outOff, needOut);
    if (model.guardNonFinite) Rows.requireFinite("xs", xs, xOff, steps * in, i -> "step " + i / in + ", feature " + i % in);
    model.feed(this, xs, xOff, steps, out, outOff);
  }

  /** Copies the top layer's state h (H) into out at outOff. */
  public void output(float[] out, int outOff) {
    System.arraycopy(h, hOff(layers - 1), out, outOff, hidden);
  }

  /** Copies all layers' h (L, H) into dst at off. */
  public void hidden(float[] dst, int off) { System.arraycopy(h, hOff(0), dst, off, layers * hidden); }

  /** Copies all layers' c (L, H) into dst at off; the LSTM only. */
  public void cell(float[] dst, int off) {
    if (c == null) throw new IllegalArgumentException("only the LSTM has a cell state");
    System.arraycopy(c, HEAD, dst, off, layers * hidden);
  }

  /** Sets h (L, H) from src at off, and c (L, H) from cSrc at cOff for the LSTM (null: zeros). */
  public void setState(float[] src, int off, float[] cSrc, int cOff) {
    Checks.span("h (L, H)", src, off, layers * hidden);
    System.arraycopy(src, off, h, hOff(0), layers * hidden);
    if (c != null) {
      if (cSrc == null) Arrays.fill(c, 0f);
      else {
        Checks.span("c (L, H)", cSrc, cOff, layers * hidden);
        System.arraycopy(cSrc, cOff, c, HEAD, layers * hidden);
      }
    } else if (cSrc != null) throw new IllegalArgumentException("c: only the LSTM has a cell state");
  }

  /** Back to zero state and position 0. */
  public void reset() {
    Arrays.fill(h, 0f);
    if (c != null) Arrays.fill(c, 0f);
    cur = 0;
    position = 0;
  }

  /** An independent stream continuing from this one's current state (e.g. to branch a generation). */
  public RecurrentState copy() {
    RecurrentState s = new RecurrentState(model);
    System.arraycopy(h, hOff(0), s.h, s.hOff(0), layers * hidden);
    if (c != null) System.arraycopy(c, HEAD, s.c, HEAD, layers * hidden);
    s.position = position;
    return s;
  }
}
