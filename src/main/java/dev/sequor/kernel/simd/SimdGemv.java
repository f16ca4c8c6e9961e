package dev.sequor.kernel.simd;

import dev.sequor.kernel.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API GEMV for batch-1 streaming (the facade {@link dev.sequor.kernel.Gemv} checks arguments).
 * Both products read W exactly once, so they run at the bandwidth of the cache level W lives in.
 *
 * <ul>
 *   <li>{@link #wtx}: y += Wᵀx is a one-row {@link SimdGemm#nn} (broadcast x[r], stream row r of W into
 *       accumulators holding a segment of y): the FMA-chain form, bit-identical to a one-row GEMM.
 *   <li>{@link #wx}: y += Wx is a dot product per row, four rows at a time with two accumulators each
 *       (eight independent FMA chains hide the latency), reduced across lanes at the end. Each row is
 *       always computed the same way, so the result does not depend on the thread count.
 * </ul>
 */
public final class SimdGemv {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Rows per group of {@link #wx}; threads split at group boundaries. */
  private static final int GROUP = 4;

  private SimdGemv() {}

  // y (rows) += W (rows,cols) · x (cols)
  public static void wx(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int rows, int cols) {
    if (rows == 0) return;
    int groups = (rows + GROUP - 1) / GROUP;
    int threads = WorkerPool.threads();
    int parts = threads == 1 || (long) rows * cols < SimdGemm.PARALLEL_MIN_FMAS ? 1
        : Math.min(groups, SimdGemm.PARTS_PER_THREAD * threads);
    if (parts == 1) {
      wxRows(y, yOff, w, wOff, ldw, x, xOff, 0, rows, cols);
      return;
    }
    WxJob job = WxJob.LOCAL.get();
    job.set(y, yOff, w, wOff, ldw, x, xOff, rows, cols, groups);
    try {
      WorkerPool.run(job, parts);
    } finally {
      job.clear();
    }
  }

  // y (cols) += Wᵀ · x, W (rows,cols), x (rows): one FMA chain per output over r in order
  public static void wtx(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int rows, int cols) {
    SimdGemm.nn(y, yOff, cols, x, xOff, rows, w, wOff, ldw, 1, cols, rows);
  }

  private static final class WxJob implements WorkerPool.Job {
    static final ThreadLocal<WxJob> LOCAL = ThreadLocal.withInitial(WxJob::new);
    float[] y, w, x;
    int yOff, wOff, ldw, xOff, rows, cols, groups;

    void set(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff, int rows, int cols,
        int groups) {
      this.y = y; this.yOff = yOff; this.w = w; this.wOff = wOff; this.ldw = ldw; this.x = x;
      this.xOff = xOff; this.rows = rows; this.cols = cols; this.groups = groups;
    }

    void clear() { y = w = x = null; }

    @Override
    public void run(int part, int parts) {
      int g0 = (int) ((long) groups * part / parts), g1 = (int) ((long) groups * (part + 1) / parts);
      wxRows(y, yOff, w, wOff, ldw, x, xOff, g0 * GROUP, Math.min(rows, g1 * GROUP), cols);
    }
  }

  /**
   * Rows [r0, r1) of y += W x: groups of four rows (one method, no call per group: with short rows
   * a call and the reductions are a real share of the time), then single rows by {@link #dot}, which
   * does the same arithmetic per row.
   */
  private static void wxRows(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int r0, int r1, int cols) {
    int pairs = cols - cols % (2 * L);
    boolean single = cols - pairs >= L;
    int tail = pairs + (single ? L : 0);
    int r = r0;
    for (; r + GROUP <= r1; r += GROUP) {
      int w0 = wOff + r * ldw, w1 = w0 + ldw, w2 = w1 + ldw, w3 = w2 + ldw;
      FloatVector a0 = FloatVector.zero(S), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
      for (int j = 0; j + 2 * L <= cols; j += 2 * L) { // (this bound compiles to a faster loop than j < pairs)
        FloatVector x0 = FloatVector.fromArray(S, x, xOff + j), x1 = FloatVector.fromArray(S, x, xOff + j + L);
        a0 = FloatVector.fromArray(S, w, w0 + j).fma(x0, a0); a1 = FloatVector.fromArray(S, w, w0 + j + L).fma(x1, a1);
        b0 = FloatVector.fromArray(S, w, w1 + j).fma(x0, b0); b1 = FloatVector.fromArray(S, w, w1 + j + L).fma(x1, b1);
        c0 = FloatVector.fromArray(S, w, w2 + j).fma(x0, c0); c1 = FloatVector.fromArray(S, w, w2 + j + L).fma(x1, c1);
        d0 = FloatVector.fromArray(S, w, w3 + j).fma(x0, d0); d1 = FloatVector.fromArray(S, w, w3 + j + L).fma(x1, d1);
      }
      if (single) {
        FloatVector x0 = FloatVector.fromArray(S, x, xOff + pairs);
        a0 = FloatVector.fromArray(S, w, w0 + pairs).fma(x0, a0);
        b0 = FloatVector.fromArray(S, w, w1 + pairs).fma(x0, b0);
        c0 = FloatVector.fromArray(S, w, w2 + pairs).fma(x0, c0);
        d0 = FloatVector.fromArray(S, w, w3 + pairs).fma(x0, d0);
      }
      float s0 = laneSum(a0.add(a1)), s1 = laneSum(b0.add(b1));
      float s2 = laneSum(c0.add(c1)), s3 = laneSum(d0.add(d1));
      if (tail < cols) {
        s0 = tail(s0, w, w0, x, xOff, tail, cols);
        s1 = tail(s1, w, w1, x, xOff, tail, cols);
        s2 = tail(s2, w, w2, x, xOff, tail, cols);
        s3 = tail(s3, w, w3, x, xOff, tail, cols);
      }
      y[yOff + r] += s0;
      y[yOff + r + 1] += s1;
      y[yOff + r + 2] += s2;
      y[yOff + r + 3] += s3;
    }
    for (; r < r1; r++) y[yOff + r] += dot(w, wOff + r * ldw, x, xOff, cols);
  }

  /** dot(W row at {@code wi}, x): the per-row arithmetic of {@link #wxRows}' groups. */
  private static float dot(float[] w, int wi, float[] x, int xOff, int cols) {
    FloatVector a0 = FloatVector.zero(S), a1 = a0;
    int j = 0;
    for (; j + 2 * L <= cols; j += 2 * L) {
      a0 = FloatVector.fromArray(S, w, wi + j).fma(FloatVector.fromArray(S, x, xOff + j), a0);
      a1 = FloatVector.fromArray(S, w, wi + j + L).fma(FloatVector.fromArray(S, x, xOff + j + L), a1);
    }
    if (j + L <= cols) {
      a0 = FloatVector.fromArray(S, w, wi + j).fma(FloatVector.fromArray(S, x, xOff + j), a0);
      j += L;
    }
    return tail(laneSum(a0.add(a1)), w, wi, x, xOff, j, cols);
  }

  /**
   * The lanes of v added in SimdReduce's fixed order. Not {@code reduceLanes(ADD)}: its float order
   * differs between the interpreter and C2, so a row's bits would depend on the JIT tier. Called once
   * per row (not in the column loop), so a call that is not inlined costs nothing measurable.
   */
  private static float laneSum(FloatVector v) {
    if (L >= 64) v = v.add(v.rearrange(SimdReduce.R32));
    if (L >= 32) v = v.add(v.rearrange(SimdReduce.R16));
    if (L >= 16) v = v.add(v.rearrange(SimdReduce.R8));
    if (L >= 8) v = v.add(v.rearrange(SimdReduce.R4));
    if (L >= 4) v = v.add(v.rearrange(SimdReduce.R2));
    if (L >= 2) v = v.add(v.rearrange(SimdReduce.R1));
    return v.lane(0);
  }

  /** Continues a row's sum over the scalar tail columns [j, cols). */
  private static float tail(float acc, float[] w, int wi, float[] x, int xOff, int j, int cols) {
    for (; j < cols; j++) acc = Math.fma(w[wi + j], x[xOff + j], acc);
    return acc;
  }
}
