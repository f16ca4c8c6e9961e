package dev.sequor.kernel.simd;

import dev.sequor.kernel.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API GEMV for batch-1 streaming (the facade {@link dev.sequor.kernel.Gemv} checks arguments).
 * Both products read W exactly once, so they run at the bandwidth of the cache level W lives in.
 *
 * <ul>
 *   <li>{@link #wtx}: y += Wᵀx is a one-row {@link SimdGemm#nn} (broadcast x[r], stream row r of W into
 *       accumulators holding a segment of y): the FMA-chain form, bit-identical to a one-row GEMM. When
 *       y is 16 vectors (H = 256 on AVX-512) and the call is single-threaded, {@link #wtxResidentY}
 *       holds all of y in registers and reads W once, front to back, in the same order.
 *   <li>{@link #wx}: y += Wx is a dot product per row, computed in blocks of {@link #BLOCK} rows that
 *       share each load of x (or, when x is 8 vectors, hold x in registers), then rows one by one.
 * </ul>
 *
 * <p><b>wx's summation order</b> (one per row, the same in every code path, so a row's bits depend
 * only on cols, never on the thread split, the block it falls in or m): vector chunk c of the row
 * (columns [cL, cL+L)) goes into accumulator c mod 2 by FMA chains starting from zero; the two are
 * added lane by lane; the lanes are added in SimdReduce's fixed pairwise order (lane i with lane
 * i + L/2, then L/4, …, 1); the scalar tail columns continue that sum by FMAs in order; the result is
 * added to y. The blocks reduce 8 rows at once by a transpose-add tree: with d = L/2, …, 8 each row's
 * vector t adds its lane i ^ d (t + t rotated by d, SimdReduce's first steps), then for d = 4, 2, 1
 * pairs of vectors (X, Y) become {@code blend(X, Y) + swap_d(blend(Y, X))}, lanes with bit d clear
 * keeping X's sums and lanes with bit d set Y's: each row's lanes meet in the same pairs as
 * SimdReduce's rotations, and float addition is commutative, so the tree gives the same bits as the
 * per-row lane sum of {@link #dot} (tested: {@code GemvTest}).
 */
public final class SimdGemv {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Rows per block of {@link #wx} (one lane each of the reduced vector); threads split at block boundaries. */
  private static final int BLOCK = 8;
  /** x of exactly this many whole vectors (plus a scalar tail) is held in registers: {@link #wxBlocksResidentX}. */
  private static final int RESIDENT_VECTORS = 8;
  /** y of exactly this many whole vectors (plus a tail) is held in registers by {@link #wtxResidentY}. */
  private static final int RESIDENT_Y_VECTORS = 16;
  /** Lane swaps i -> i ^ d of the transpose-add tree (null where d ≥ L). */
  private static final VectorShuffle<Float> X1 = swap(1), X2 = swap(2), X4 = swap(4), X8 = swap(8), X16 = swap(16),
      X32 = swap(32);
  /** Lane i takes lane i with its 3 low bits reversed (an involution): {@link #wxBlocksResidentX}' rows in place. */
  private static final VectorShuffle<Float> REVERSE3 = VectorShuffle.fromOp(S,
      i -> (i & ~7) | ((i & 1) << 2) | (i & 2) | ((i >> 2) & 1));
  /** Lanes with bit d set: where a tree level keeps the second vector's sums. */
  private static final VectorMask<Float> M1 = bitSet(1), M2 = bitSet(2), M4 = bitSet(4);
  /** The first {@link #BLOCK} lanes: the rows of a reduced block. */
  private static final VectorMask<Float> FIRST_BLOCK = S.indexInRange(0, BLOCK);

  private static VectorShuffle<Float> swap(int d) { return d < L ? VectorShuffle.fromOp(S, i -> i ^ d) : null; }

  private static VectorMask<Float> bitSet(int d) {
    boolean[] lanes = new boolean[L];
    for (int i = 0; i < L; i++) lanes[i] = (i & d) != 0;
    return VectorMask.fromArray(S, lanes, 0);
  }

  private SimdGemv() {}

  // y (rows) += W (rows,cols) · x (cols)
  public static void wx(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int rows, int cols) {
    if (rows == 0) return;
    int blocks = (rows + BLOCK - 1) / BLOCK;
    int threads = WorkerPool.threads();
    int parts = threads == 1 || (long) rows * cols < SimdGemm.PARALLEL_MIN_FMAS ? 1
        : Math.min(blocks, SimdGemm.PARTS_PER_THREAD * threads);
    if (parts == 1) {
      wxRows(y, yOff, w, wOff, ldw, x, xOff, 0, rows, cols);
      return;
    }
    WxJob job = WxJob.LOCAL.get();
    job.set(y, yOff, w, wOff, ldw, x, xOff, rows, cols, blocks);
    try {
      WorkerPool.run(job, parts);
    } finally {
      job.clear();
    }
  }

  // y (cols) += Wᵀ · x, W (rows,cols), x (rows): one FMA chain per output over r in order
  public static void wtx(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int rows, int cols) {
    boolean oneThread = WorkerPool.threads() == 1 || (long) rows * cols < SimdGemm.PARALLEL_MIN_FMAS;
    if (L >= 16 && cols / L == RESIDENT_Y_VECTORS && oneThread) {
      wtxResidentY(y, yOff, w, wOff, ldw, x, xOff, rows);
      int done = RESIDENT_Y_VECTORS * L;
      if (done < cols) SimdGemm.nn(y, yOff + done, cols, x, xOff, rows, w, wOff + done, ldw, 1, cols - done, rows);
      return;
    }
    SimdGemm.nn(y, yOff, cols, x, xOff, rows, w, wOff, ldw, 1, cols, rows);
  }

  /**
   * y[0, 16L) += W[:, 0, 16L)ᵀ · x with y's 16 vectors in registers for all rows: each y element is
   * one FMA chain over r in order, starting from y (the contract of {@link #wtx}), and W's rows are
   * read contiguously, one after another (measured at H = 256: +10% over the one-row GEMM, which
   * reads W in 128-column strips). Only for 512-bit vectors or wider: 16 accumulators plus x and a
   * load need more than AVX2's 16 registers.
   */
  private static void wtxResidentY(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int rows) {
    FloatVector y0 = FloatVector.fromArray(S, y, yOff), y1 = FloatVector.fromArray(S, y, yOff + L);
    FloatVector y2 = FloatVector.fromArray(S, y, yOff + 2 * L), y3 = FloatVector.fromArray(S, y, yOff + 3 * L);
    FloatVector y4 = FloatVector.fromArray(S, y, yOff + 4 * L), y5 = FloatVector.fromArray(S, y, yOff + 5 * L);
    FloatVector y6 = FloatVector.fromArray(S, y, yOff + 6 * L), y7 = FloatVector.fromArray(S, y, yOff + 7 * L);
    FloatVector y8 = FloatVector.fromArray(S, y, yOff + 8 * L), y9 = FloatVector.fromArray(S, y, yOff + 9 * L);
    FloatVector y10 = FloatVector.fromArray(S, y, yOff + 10 * L), y11 = FloatVector.fromArray(S, y, yOff + 11 * L);
    FloatVector y12 = FloatVector.fromArray(S, y, yOff + 12 * L), y13 = FloatVector.fromArray(S, y, yOff + 13 * L);
    FloatVector y14 = FloatVector.fromArray(S, y, yOff + 14 * L), y15 = FloatVector.fromArray(S, y, yOff + 15 * L);
    for (int r = 0; r < rows; r++) {
      int p = wOff + r * ldw;
      FloatVector xr = FloatVector.broadcast(S, x[xOff + r]);
      y0 = FloatVector.fromArray(S, w, p).fma(xr, y0); y1 = FloatVector.fromArray(S, w, p + L).fma(xr, y1);
      y2 = FloatVector.fromArray(S, w, p + 2 * L).fma(xr, y2); y3 = FloatVector.fromArray(S, w, p + 3 * L).fma(xr, y3);
      y4 = FloatVector.fromArray(S, w, p + 4 * L).fma(xr, y4); y5 = FloatVector.fromArray(S, w, p + 5 * L).fma(xr, y5);
      y6 = FloatVector.fromArray(S, w, p + 6 * L).fma(xr, y6); y7 = FloatVector.fromArray(S, w, p + 7 * L).fma(xr, y7);
      y8 = FloatVector.fromArray(S, w, p + 8 * L).fma(xr, y8); y9 = FloatVector.fromArray(S, w, p + 9 * L).fma(xr, y9);
      y10 = FloatVector.fromArray(S, w, p + 10 * L).fma(xr, y10); y11 = FloatVector.fromArray(S, w, p + 11 * L).fma(xr, y11);
      y12 = FloatVector.fromArray(S, w, p + 12 * L).fma(xr, y12); y13 = FloatVector.fromArray(S, w, p + 13 * L).fma(xr, y13);
      y14 = FloatVector.fromArray(S, w, p + 14 * L).fma(xr, y14); y15 = FloatVector.fromArray(S, w, p + 15 * L).fma(xr, y15);
    }
    y0.intoArray(y, yOff); y1.intoArray(y, yOff + L);
    y2.intoArray(y, yOff + 2 * L); y3.intoArray(y, yOff + 3 * L);
    y4.intoArray(y, yOff + 4 * L); y5.intoArray(y, yOff + 5 * L);
    y6.intoArray(y, yOff + 6 * L); y7.intoArray(y, yOff + 7 * L);
    y8.intoArray(y, yOff + 8 * L); y9.intoArray(y, yOff + 9 * L);
    y10.intoArray(y, yOff + 10 * L); y11.intoArray(y, yOff + 11 * L);
    y12.intoArray(y, yOff + 12 * L); y13.intoArray(y, yOff + 13 * L);
    y14.intoArray(y, yOff + 14 * L); y15.intoArray(y, yOff + 15 * L);
  }

  private static final class WxJob implements WorkerPool.Job {
    static final ThreadLocal<WxJob> LOCAL = ThreadLocal.withInitial(WxJob::new);
    float[] y, w, x;
    int yOff, wOff, ldw, xOff, rows, cols, blocks;

    void set(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff, int rows, int cols,
        int blocks) {
      this.y = y; this.yOff = yOff; this.w = w; this.wOff = wOff; this.ldw = ldw; this.x = x;
      this.xOff = xOff; this.rows = rows; this.cols = cols; this.blocks = blocks;
    }

    void clear() { y = w = x = null; }

    @Override
    public void run(int part, int parts) {
      int b0 = (int) ((long) blocks * part / parts), b1 = (int) ((long) blocks * (part + 1) / parts);
      wxRows(y, yOff, w, wOff, ldw, x, xOff, b0 * BLOCK, Math.min(rows, b1 * BLOCK), cols);
    }
  }

  /**
   * Rows [r0, r1) of y += W x: blocks of {@link #BLOCK} rows by {@link #wxBlocksResidentX} (x is 8
   * vectors) or {@link #wxBlocks}, then the remaining rows one by one by {@link #dot}; all three do
   * the same arithmetic per row.
   */
  private static void wxRows(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int r0, int r1, int cols) {
    int r = r0;
    if (L >= BLOCK) {
      if (cols / L == RESIDENT_VECTORS) r = wxBlocksResidentX(y, yOff, w, wOff, ldw, x, xOff, r0, r1, cols);
      else r = wxBlocks(y, yOff, w, wOff, ldw, x, xOff, r0, r1, cols);
    }
    for (; r < r1; r++) y[yOff + r] += dot(w, wOff + r * ldw, x, xOff, cols);
  }

  /**
   * Whole blocks of 8 rows from r0 on, returns the first row not done. Sixteen FMA chains (two per
   * row) share each load of x; the rows' accumulators are reduced together into one vector (lane i =
   * row i) by a transpose-add tree and added to y in one vector operation: 4 shuffles per row instead
   * of 2·log2(L) shuffle-adds plus a scalar read-modify-write (measured: +5..10% over four rows with
   * per-row lane sums, most at H = 128 where a row is only 8 vectors).
   *
   * <p>Tried at H = 512 (W = 4 MB, in L3; one JVM, kernels alternating, p10 of 200 batches of 30 calls,
   * shared machine), all relative to this kernel: 4-row blocks walking 4-vector column segments (x's
   * segment in registers, each row's 256 contiguous bytes read in turn, two chains per row, the same
   * per-row order): +3..6% as a standalone method with zero offsets, but -3..5% with the facade's
   * offsets, and the y offset alone makes the difference (y[r]: fast; y[yOff + r], y indexed by its
   * own induction variable, or the four sums stored by a call or a masked vector add: slow; register
   * pressure was not it either: an index-lean rewrite was as slow), so a C2 code-shape effect we could
   * not avoid; as two 4-row halves of an 8-row block in a loop: -10%. 8 or 6 rows with 4-vector
   * segments, 4 rows with 2-, 8- or 16-vector segments, 2-row blocks, 4 chains per row: no gain.
   * What does matter is W's alignment (same harness, W shifted by wOff = 0, 4, 8, 12, 16 floats in one
   * array, 2 runs): 0.76, 0.82, 0.76, 0.87, 0.75 of the bandwidth line at H = 512. Read as rows 16, 32,
   * 48 bytes past a cache line vs on one (a 4 MB array is a G1 humongous object, at a region start,
   * its floats after a 16-byte header; inferred, Java does not expose addresses): each 64-byte load then
   * spans two lines. At H = 256 the best shift was 8 floats instead (0.96 vs 0.89 at 0): another base.
   */
  private static int wxBlocks(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int r0, int r1, int cols) {
    int pairs = cols - cols % (2 * L);
    boolean single = cols - pairs >= L;
    int tail = pairs + (single ? L : 0);
    int r = r0;
    for (; r + BLOCK <= r1; r += BLOCK) {
      int w0 = wOff + r * ldw;
      FloatVector a0 = FloatVector.zero(S), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
      FloatVector e0 = a0, e1 = a0, f0 = a0, f1 = a0, g0 = a0, g1 = a0, h0 = a0, h1 = a0;
      for (int j = 0; j + 2 * L <= cols; j += 2 * L) { // (this bound compiles to a faster loop than j < pairs)
        // one index for all eight rows: fewer live registers than eight row offsets (measured +2..4%)
        int p = w0 + j;
        FloatVector x0 = FloatVector.fromArray(S, x, xOff + j), x1 = FloatVector.fromArray(S, x, xOff + j + L);
        a0 = FloatVector.fromArray(S, w, p).fma(x0, a0); a1 = FloatVector.fromArray(S, w, p + L).fma(x1, a1);
        b0 = FloatVector.fromArray(S, w, p + ldw).fma(x0, b0); b1 = FloatVector.fromArray(S, w, p + ldw + L).fma(x1, b1);
        c0 = FloatVector.fromArray(S, w, p + 2 * ldw).fma(x0, c0); c1 = FloatVector.fromArray(S, w, p + 2 * ldw + L).fma(x1, c1);
        d0 = FloatVector.fromArray(S, w, p + 3 * ldw).fma(x0, d0); d1 = FloatVector.fromArray(S, w, p + 3 * ldw + L).fma(x1, d1);
        e0 = FloatVector.fromArray(S, w, p + 4 * ldw).fma(x0, e0); e1 = FloatVector.fromArray(S, w, p + 4 * ldw + L).fma(x1, e1);
        f0 = FloatVector.fromArray(S, w, p + 5 * ldw).fma(x0, f0); f1 = FloatVector.fromArray(S, w, p + 5 * ldw + L).fma(x1, f1);
        g0 = FloatVector.fromArray(S, w, p + 6 * ldw).fma(x0, g0); g1 = FloatVector.fromArray(S, w, p + 6 * ldw + L).fma(x1, g1);
        h0 = FloatVector.fromArray(S, w, p + 7 * ldw).fma(x0, h0); h1 = FloatVector.fromArray(S, w, p + 7 * ldw + L).fma(x1, h1);
      }
      if (single) {
        int p = w0 + pairs;
        FloatVector x0 = FloatVector.fromArray(S, x, xOff + pairs);
        a0 = FloatVector.fromArray(S, w, p).fma(x0, a0);
        b0 = FloatVector.fromArray(S, w, p + ldw).fma(x0, b0);
        c0 = FloatVector.fromArray(S, w, p + 2 * ldw).fma(x0, c0);
        d0 = FloatVector.fromArray(S, w, p + 3 * ldw).fma(x0, d0);
        e0 = FloatVector.fromArray(S, w, p + 4 * ldw).fma(x0, e0);
        f0 = FloatVector.fromArray(S, w, p + 5 * ldw).fma(x0, f0);
        g0 = FloatVector.fromArray(S, w, p + 6 * ldw).fma(x0, g0);
        h0 = FloatVector.fromArray(S, w, p + 7 * ldw).fma(x0, h0);
      }
      // One vector whose lane i (mod BLOCK) is row r+i's lane sum (SimdReduce's order): lanes i and i^d
      // added for d = L/2, …, 8 within each row, then rows paired at d = 4, 2, 1 (see the class comment).
      FloatVector t0 = a0.add(a1), t1 = b0.add(b1), t2 = c0.add(c1), t3 = d0.add(d1);
      FloatVector t4 = e0.add(e1), t5 = f0.add(f1), t6 = g0.add(g1), t7 = h0.add(h1);
      if (L >= 64) {
        t0 = t0.add(t0.rearrange(X32)); t1 = t1.add(t1.rearrange(X32)); t2 = t2.add(t2.rearrange(X32)); t3 = t3.add(t3.rearrange(X32));
        t4 = t4.add(t4.rearrange(X32)); t5 = t5.add(t5.rearrange(X32)); t6 = t6.add(t6.rearrange(X32)); t7 = t7.add(t7.rearrange(X32));
      }
      if (L >= 32) {
        t0 = t0.add(t0.rearrange(X16)); t1 = t1.add(t1.rearrange(X16)); t2 = t2.add(t2.rearrange(X16)); t3 = t3.add(t3.rearrange(X16));
        t4 = t4.add(t4.rearrange(X16)); t5 = t5.add(t5.rearrange(X16)); t6 = t6.add(t6.rearrange(X16)); t7 = t7.add(t7.rearrange(X16));
      }
      if (L >= 16) {
        t0 = t0.add(t0.rearrange(X8)); t1 = t1.add(t1.rearrange(X8)); t2 = t2.add(t2.rearrange(X8)); t3 = t3.add(t3.rearrange(X8));
        t4 = t4.add(t4.rearrange(X8)); t5 = t5.add(t5.rearrange(X8)); t6 = t6.add(t6.rearrange(X8)); t7 = t7.add(t7.rearrange(X8));
      }
      FloatVector u0 = t0.blend(t4, M4).add(t4.blend(t0, M4).rearrange(X4));
      FloatVector u1 = t1.blend(t5, M4).add(t5.blend(t1, M4).rearrange(X4));
      FloatVector u2 = t2.blend(t6, M4).add(t6.blend(t2, M4).rearrange(X4));
      FloatVector u3 = t3.blend(t7, M4).add(t7.blend(t3, M4).rearrange(X4));
      FloatVector v0 = u0.blend(u2, M2).add(u2.blend(u0, M2).rearrange(X2));
      FloatVector v1 = u1.blend(u3, M2).add(u3.blend(u1, M2).rearrange(X2));
      FloatVector s = v0.blend(v1, M1).add(v1.blend(v0, M1).rearrange(X1));
      if (tail == cols) {
        FloatVector.fromArray(S, y, yOff + r, FIRST_BLOCK).add(s).intoArray(y, yOff + r, FIRST_BLOCK);
      } else {
        addWithTails(y, yOff + r, w, w0, ldw, x, xOff, tail, cols, s.lane(0), s.lane(1), s.lane(2), s.lane(3),
            s.lane(4), s.lane(5), s.lane(6), s.lane(7));
      }
    }
    return r;
  }

  /**
   * {@link #wxBlocks} for cols / L = 8 (H = 128 on AVX-512): x's 8 vectors are loaded into registers
   * once per call and each row is straight-line code, so the loop over W issues no loads of x and has
   * no inner loop (measured: +15% over {@link #wxBlocks} at H = 128, where that loop runs 4 times).
   * Its speed then depends on where the JVM put W: rows starting 16 bytes past a cache line (every
   * 64-byte load then spans two lines) ran at 85 GB/s from L2, 32 bytes past at ~100, on a line at
   * ~113, above the {@code bandwidth} bench's 110 (Zen 4; the code before this kernel ran at ~72
   * whatever the alignment). Java offers no way to choose an array's alignment.
   * Same arithmetic per row: chunks 0, 2, 4, 6 into the first accumulator, 1, 3, 5, 7 into the second,
   * each chain starting from an FMA into zero.
   *
   * <p>A block is two halves of 4 rows (a loop, not straight-line code: a method this size with 8 rows
   * written out overflows C1's register allocator at tier 3, and the JIT then leaves it in slow C1 code
   * for good). So the tree pairs adjacent rows first: rows (0,1), (2,3) at d = 4 and the pairs at d = 2
   * within a half, the halves at d = 1; the same lane pairs per row as {@link #wxBlocks}, but row i
   * ends in the lane whose 3 low bits are i's reversed, which one shuffle puts back in place.
   */
  private static int wxBlocksResidentX(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int r0, int r1, int cols) {
    int tail = RESIDENT_VECTORS * L;
    FloatVector x0 = FloatVector.fromArray(S, x, xOff), x1 = FloatVector.fromArray(S, x, xOff + L);
    FloatVector x2 = FloatVector.fromArray(S, x, xOff + 2 * L), x3 = FloatVector.fromArray(S, x, xOff + 3 * L);
    FloatVector x4 = FloatVector.fromArray(S, x, xOff + 4 * L), x5 = FloatVector.fromArray(S, x, xOff + 5 * L);
    FloatVector x6 = FloatVector.fromArray(S, x, xOff + 6 * L), x7 = FloatVector.fromArray(S, x, xOff + 7 * L);
    FloatVector z = FloatVector.zero(S);
    int r = r0;
    for (; r + BLOCK <= r1; r += BLOCK) {
      int w0 = wOff + r * ldw;
      FloatVector firstHalf = z;
      for (int half = 0; half < 2; half++) {
        int p = w0 + half * (BLOCK / 2) * ldw;
        FloatVector a0 = FloatVector.fromArray(S, w, p).fma(x0, z), a1 = FloatVector.fromArray(S, w, p + L).fma(x1, z);
        a0 = FloatVector.fromArray(S, w, p + 2 * L).fma(x2, a0); a1 = FloatVector.fromArray(S, w, p + 3 * L).fma(x3, a1);
        a0 = FloatVector.fromArray(S, w, p + 4 * L).fma(x4, a0); a1 = FloatVector.fromArray(S, w, p + 5 * L).fma(x5, a1);
        a0 = FloatVector.fromArray(S, w, p + 6 * L).fma(x6, a0); a1 = FloatVector.fromArray(S, w, p + 7 * L).fma(x7, a1);
        FloatVector b0 = FloatVector.fromArray(S, w, p + ldw).fma(x0, z), b1 = FloatVector.fromArray(S, w, p + ldw + L).fma(x1, z);
        b0 = FloatVector.fromArray(S, w, p + ldw + 2 * L).fma(x2, b0); b1 = FloatVector.fromArray(S, w, p + ldw + 3 * L).fma(x3, b1);
        b0 = FloatVector.fromArray(S, w, p + ldw + 4 * L).fma(x4, b0); b1 = FloatVector.fromArray(S, w, p + ldw + 5 * L).fma(x5, b1);
        b0 = FloatVector.fromArray(S, w, p + ldw + 6 * L).fma(x6, b0); b1 = FloatVector.fromArray(S, w, p + ldw + 7 * L).fma(x7, b1);
        FloatVector c0 = FloatVector.fromArray(S, w, p + 2 * ldw).fma(x0, z), c1 = FloatVector.fromArray(S, w, p + 2 * ldw + L).fma(x1, z);
        c0 = FloatVector.fromArray(S, w, p + 2 * ldw + 2 * L).fma(x2, c0); c1 = FloatVector.fromArray(S, w, p + 2 * ldw + 3 * L).fma(x3, c1);
        c0 = FloatVector.fromArray(S, w, p + 2 * ldw + 4 * L).fma(x4, c0); c1 = FloatVector.fromArray(S, w, p + 2 * ldw + 5 * L).fma(x5, c1);
        c0 = FloatVector.fromArray(S, w, p + 2 * ldw + 6 * L).fma(x6, c0); c1 = FloatVector.fromArray(S, w, p + 2 * ldw + 7 * L).fma(x7, c1);
        FloatVector d0 = FloatVector.fromArray(S, w, p + 3 * ldw).fma(x0, z), d1 = FloatVector.fromArray(S, w, p + 3 * ldw + L).fma(x1, z);
        d0 = FloatVector.fromArray(S, w, p + 3 * ldw + 2 * L).fma(x2, d0); d1 = FloatVector.fromArray(S, w, p + 3 * ldw + 3 * L).fma(x3, d1);
        d0 = FloatVector.fromArray(S, w, p + 3 * ldw + 4 * L).fma(x4, d0); d1 = FloatVector.fromArray(S, w, p + 3 * ldw + 5 * L).fma(x5, d1);
        d0 = FloatVector.fromArray(S, w, p + 3 * ldw + 6 * L).fma(x6, d0); d1 = FloatVector.fromArray(S, w, p + 3 * ldw + 7 * L).fma(x7, d1);
        FloatVector t0 = a0.add(a1), t1 = b0.add(b1), t2 = c0.add(c1), t3 = d0.add(d1);
        if (L >= 64) {
          t0 = t0.add(t0.rearrange(X32)); t1 = t1.add(t1.rearrange(X32)); t2 = t2.add(t2.rearrange(X32)); t3 = t3.add(t3.rearrange(X32));
        }
        if (L >= 32) {
          t0 = t0.add(t0.rearrange(X16)); t1 = t1.add(t1.rearrange(X16)); t2 = t2.add(t2.rearrange(X16)); t3 = t3.add(t3.rearrange(X16));
        }
        if (L >= 16) {
          t0 = t0.add(t0.rearrange(X8)); t1 = t1.add(t1.rearrange(X8)); t2 = t2.add(t2.rearrange(X8)); t3 = t3.add(t3.rearrange(X8));
        }
        FloatVector u0 = t0.blend(t1, M4).add(t1.blend(t0, M4).rearrange(X4));
        FloatVector u1 = t2.blend(t3, M4).add(t3.blend(t2, M4).rearrange(X4));
        FloatVector v = u0.blend(u1, M2).add(u1.blend(u0, M2).rearrange(X2));
        if (half == 0) {
          firstHalf = v;
          continue;
        }
        FloatVector s = firstHalf.blend(v, M1).add(v.blend(firstHalf, M1).rearrange(X1)).rearrange(REVERSE3);
        if (tail == cols) {
          FloatVector.fromArray(S, y, yOff + r, FIRST_BLOCK).add(s).intoArray(y, yOff + r, FIRST_BLOCK);
        } else {
          addWithTails(y, yOff + r, w, w0, ldw, x, xOff, tail, cols, s.lane(0), s.lane(1), s.lane(2), s.lane(3),
              s.lane(4), s.lane(5), s.lane(6), s.lane(7));
        }
      }
    }
    return r;
  }

  /** y[yi + i] += s_i continued over the scalar tail columns [j, cols) of row i (i < 8, rows ldw apart). */
  private static void addWithTails(float[] y, int yi, float[] w, int w0, int ldw, float[] x, int xOff, int j,
      int cols, float s0, float s1, float s2, float s3, float s4, float s5, float s6, float s7) {
    y[yi] += tail(s0, w, w0, x, xOff, j, cols);
    y[yi + 1] += tail(s1, w, w0 + ldw, x, xOff, j, cols);
    y[yi + 2] += tail(s2, w, w0 + 2 * ldw, x, xOff, j, cols);
    y[yi + 3] += tail(s3, w, w0 + 3 * ldw, x, xOff, j, cols);
    y[yi + 4] += tail(s4, w, w0 + 4 * ldw, x, xOff, j, cols);
    y[yi + 5] += tail(s5, w, w0 + 5 * ldw, x, xOff, j, cols);
    y[yi + 6] += tail(s6, w, w0 + 6 * ldw, x, xOff, j, cols);
    y[yi + 7] += tail(s7, w, w0 + 7 * ldw, x, xOff, j, cols);
  }

  /** dot(W row at {@code wi}, x): the per-row arithmetic of {@link #wxRows}' blocks. */
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
    return tail(SimdReduce.sumLanes(a0.add(a1)), w, wi, x, xOff, j, cols);
  }


  /** Continues a row's sum over the scalar tail columns [j, cols). */
  private static float tail(float acc, float[] w, int wi, float[] x, int xOff, int j, int cols) {
    for (; j < cols; j++) acc = Math.fma(w[wi + j], x[xOff + j], acc);
    return acc;
  }
}
