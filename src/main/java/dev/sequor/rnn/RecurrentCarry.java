package dev.sequor.rnn;

import dev.sequor.model.LanguageModel;

/**
 * The state a {@link RecurrentLM} carries between consecutive training windows of the same B streams
 * (truncated BPTT): h (L, B, H) and, for the LSTM, c (L, B, H). Starts at zero.
 */
public final class RecurrentCarry implements LanguageModel.Carry {
  final int batch;
  final float[] h;
  final float[] c;

  RecurrentCarry(RecurrentConfig cfg, int batch) {
    if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    this.batch = batch;
    h = new float[cfg.layers() * batch * cfg.hidden()];
    c = cfg.cell().hasCellState() ? new float[h.length] : null;
  }

  public int batch() { return batch; }

  /** Copies h (L, B, H) into dst at off. */
  public void hidden(float[] dst, int off) { System.arraycopy(h, 0, dst, off, h.length); }

  /** Copies c (L, B, H) into dst at off; the LSTM only. */
  public void cell(float[] dst, int off) {
    if (c == null) throw new IllegalArgumentException("only the LSTM has a cell state");
    System.arraycopy(c, 0, dst, off, c.length);
  }

  /** Back to zero state (e.g. at a document boundary). */
  public void reset() {
    java.util.Arrays.fill(h, 0f);
    if (c != null) java.util.Arrays.fill(c, 0f);
  }
}
