package dev.sequor.rnn;

import dev.sequor.kernel.Vec;
import dev.sequor.kernel.WorkerPool;

/**
 * The whole-sequence bias passes of a training pass over the {@link WorkerPool}: broadcasting a bias
 * into every row (the start of the input projection's chains) split by rows, and the bias gradient
 * (a sum over rows) split by columns. Each element is computed exactly as on one thread (a copy; a
 * sum over rows in row order), so the results do not depend on the thread count.
 */
final class BiasJobs implements WorkerPool.Job {
  /** Below this many floats a pass stays on the caller. */
  private static final long PARALLEL_MIN = 1L << 16;
  /** Columns of a part of a sum are a multiple of this (whole vectors). */
  private static final int COLUMN_ALIGN = 16;

  private boolean sum;
  private float[] dst, src;
  private int dstOff, srcOff, rows, width;

  /** dst (rows, width) = src (width) broadcast, or zeros when src is null. */
  void fill(float[] dst, int dstOff, int rows, int width, float[] src, int srcOff) {
    if (WorkerPool.threads() == 1 || (long) rows * width < PARALLEL_MIN) {
      Rows.fill(dst, dstOff, rows, width, src, srcOff);
      return;
    }
    set(false, dst, dstOff, src, srcOff, rows, width);
    WorkerPool.run(this, Math.min(rows, 2 * WorkerPool.threads()));
  }

  /** dbias (width) += Σ over rows of dy (rows, width), leading dimension width. */
  void sumRows(float[] dbias, int dbOff, float[] dy, int dyOff, int rows, int width) {
    int chunks = (width + COLUMN_ALIGN - 1) / COLUMN_ALIGN;
    if (WorkerPool.threads() == 1 || (long) rows * width < PARALLEL_MIN || chunks < 2) {
      Vec.sumRows(dbias, dbOff, dy, dyOff, width, rows, width);
      return;
    }
    set(true, dbias, dbOff, dy, dyOff, rows, width);
    WorkerPool.run(this, Math.min(chunks, 2 * WorkerPool.threads()));
  }

  private void set(boolean sum, float[] dst, int dstOff, float[] src, int srcOff, int rows, int width) {
    this.sum = sum; this.dst = dst; this.dstOff = dstOff; this.src = src; this.srcOff = srcOff;
    this.rows = rows; this.width = width;
  }

  @Override
  public void run(int part, int parts) {
    if (sum) {
      int chunks = (width + COLUMN_ALIGN - 1) / COLUMN_ALIGN;
      int j0 = (int) ((long) chunks * part / parts) * COLUMN_ALIGN;
      int j1 = Math.min(width, (int) ((long) chunks * (part + 1) / parts) * COLUMN_ALIGN);
      Vec.sumRows(dst, dstOff + j0, src, srcOff + j0, width, rows, j1 - j0);
    } else {
      int r0 = (int) ((long) rows * part / parts), r1 = (int) ((long) rows * (part + 1) / parts);
      Rows.fill(dst, dstOff + r0 * width, r1 - r0, width, src, srcOff);
    }
  }
}
