package dev.sequor.rnn;

import dev.sequor.kernel.Vec;
import dev.sequor.kernel.WorkerPool;
import java.util.Arrays;

/**
 * The whole-sequence bias passes of a training pass over the {@link WorkerPool}: broadcasting a bias
 * into every row (the start of the input projection's chains) split by rows, and the bias gradient
 * (a sum over rows) split by columns. Each element is computed exactly as on one thread (a copy; a
 * sum over rows in row order), so the results do not depend on the thread count. Also the per-token
 * passes of an embedded input ({@link RecurrentStack#forwardTokens}): gathering per-token rows (split
 * by rows) and summing rows per token (split by columns, each sum in row order).
 */
final class BiasJobs implements WorkerPool.Job {
  /** Below this many floats a pass stays on the caller. */
  private static final long PARALLEL_MIN = 1L << 16;
  /** Columns of a part of a sum are a multiple of this (whole vectors). */
  private static final int COLUMN_ALIGN = 16;

  private static final int FILL = 0, SUM = 1, GATHER = 2, SUM_BY_TOKEN = 3;

  private int kind;
  private float[] dst, src;
  private int[] tokens;
  private int dstOff, srcOff, rows, width, vocab;

  /** dst (rows, width) = src (width) broadcast, or zeros when src is null. */
  void fill(float[] dst, int dstOff, int rows, int width, float[] src, int srcOff) {
    if (WorkerPool.threads() == 1 || (long) rows * width < PARALLEL_MIN) {
      Rows.fill(dst, dstOff, rows, width, src, srcOff);
      return;
    }
    set(FILL, dst, dstOff, src, srcOff, rows, width);
    WorkerPool.run(this, Math.min(rows, 2 * WorkerPool.threads()));
  }

  /** dst (rows, width) row r = table (V, width) row tokens[r]. */
  void gather(float[] dst, float[] table, int[] tokens, int rows, int width) {
    set(GATHER, dst, 0, table, 0, rows, width);
    this.tokens = tokens;
    if (WorkerPool.threads() == 1 || (long) rows * width < PARALLEL_MIN) gatherRows(0, rows);
    else WorkerPool.run(this, Math.min(rows, 2 * WorkerPool.threads()));
    this.tokens = null;
  }

  /**
   * dst (vocab, width) row v = Σ of src (rows, width) rows r with tokens[r] = v, in row order (zero
   * for tokens that do not occur): split by columns, so every sum is the same on any thread count.
   */
  void sumByToken(float[] dst, float[] src, int[] tokens, int rows, int vocab, int width) {
    set(SUM_BY_TOKEN, dst, 0, src, 0, rows, width);
    this.tokens = tokens;
    this.vocab = vocab;
    int chunks = (width + COLUMN_ALIGN - 1) / COLUMN_ALIGN;
    if (WorkerPool.threads() == 1 || (long) rows * width < PARALLEL_MIN || chunks < 2) sumByToken(0, width);
    else WorkerPool.run(this, Math.min(chunks, 2 * WorkerPool.threads()));
    this.tokens = null;
  }

  /** dbias (width) += Σ over rows of dy (rows, width), leading dimension width. */
  void sumRows(float[] dbias, int dbOff, float[] dy, int dyOff, int rows, int width) {
    int chunks = (width + COLUMN_ALIGN - 1) / COLUMN_ALIGN;
    if (WorkerPool.threads() == 1 || (long) rows * width < PARALLEL_MIN || chunks < 2) {
      Vec.sumRows(dbias, dbOff, dy, dyOff, width, rows, width);
      return;
    }
    set(SUM, dbias, dbOff, dy, dyOff, rows, width);
    WorkerPool.run(this, Math.min(chunks, 2 * WorkerPool.threads()));
  }

  private void set(int kind, float[] dst, int dstOff, float[] src, int srcOff, int rows, int width) {
    this.kind = kind; this.dst = dst; this.dstOff = dstOff; this.src = src; this.srcOff = srcOff;
    this.rows = rows; this.width = width;
  }

  @Override
  public void run(int part, int parts) {
    if (kind == SUM || kind == SUM_BY_TOKEN) {
      int chunks = (width + COLUMN_ALIGN - 1) / COLUMN_ALIGN;
      int j0 = (int) ((long) chunks * part / parts) * COLUMN_ALIGN;
      int j1 = Math.min(width, (int) ((long) chunks * (part + 1) / parts) * COLUMN_ALIGN);
      if (kind == SUM) Vec.sumRows(dst, dstOff + j0, src, srcOff + j0, width, rows, j1 - j0);
      else sumByToken(j0, j1);
    } else {
      int r0 = (int) ((long) rows * part / parts), r1 = (int) ((long) rows * (part + 1) / parts);
      if (kind == FILL) Rows.fill(dst, dstOff + r0 * width, r1 - r0, width, src, srcOff);
      else gatherRows(r0, r1);
    }
  }

  private void gatherRows(int r0, int r1) {
    for (int r = r0; r < r1; r++) System.arraycopy(src, tokens[r] * width, dst, r * width, width);
  }

  // columns [j0, j1) of the per-token sums
  private void sumByToken(int j0, int j1) {
    for (int v = 0; v < vocab; v++) Arrays.fill(dst, v * width + j0, v * width + j1, 0f);
    for (int r = 0; r < rows; r++) Vec.add(dst, tokens[r] * width + j0, dst, tokens[r] * width + j0, src, r * width + j0, j1 - j0);
  }
}
