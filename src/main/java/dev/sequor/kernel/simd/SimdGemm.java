package dev.sequor.kernel.simd;

import static dev.sequor.kernel.simd.SimdGemmKernels.MR;
import static dev.sequor.kernel.simd.SimdGemmKernels.NR;

import dev.sequor.kernel.WorkerPool;

/**
 * Vector API GEMM {@code C += op(A) · op(B)} (the facade {@link dev.sequor.kernel.Gemm} checks
 * arguments). BLIS-style blocking around the register-blocked micro-kernels of {@link SimdGemmKernels}:
 *
 * <pre>
 * for jc over n in NC columns            (one part of a multi-threaded call owns a column or row range)
 *   for pc over k in KC                  B block (kc × nc), packed into NR-wide panels or read in place: L2
 *     for ir over m in MR (6) rows       A slice (6 × kc), read in place (tn, long lda: copied): L1
 *       for jr over nc in NR (64)        micro-kernel: C tile (6 × 64) += A slice · B panel
 * </pre>
 *
 * C is loaded into the kernel's accumulators at every pc block and stored back exactly, so each C
 * element stays one FMA chain over p = 0..k-1 in order (Gemm's contract) for any blocking, any split
 * and any m: bit-identical to {@link dev.sequor.kernel.ref.RefGemm}.
 *
 * <p>Shape-driven B sources: nn/tn with few rows (m ≤ {@link #DIRECT_B_MAX_ROWS}) read B in place,
 * row stride ldb, instead of packing it (a packed block would be used only a few times); one row
 * (m = 1, exactly {@link dev.sequor.kernel.Gemv#wtx}) with a B too big for L2 streams B row by row
 * ({@link SimdGemmKernels#streamRow}), which keeps reads contiguous. nt always transposes B into
 * panels, or uses a {@link dev.sequor.kernel.PackedMatrix} packed once.
 * Edges: rows by the 4/2/1-row kernels, columns through a zero-padded panel and a small C tile
 * buffer. Work above {@link #PARALLEL_MIN_FMAS} is split over {@link WorkerPool} by output columns
 * (or rows when that balances better), never over k.
 */
public final class SimdGemm {
  /** Width of a packed B panel: the layout of {@link dev.sequor.kernel.PackedMatrix}. */
  public static final int PANEL = NR;
  /** Depth of a k block: a 6 × KC slice of A (6 KB) stays in L1. */
  static final int KC = 256;
  /** Width of a column block: a KC × NC packed B block (1 MB) stays in L2. Multiple of NR. */
  static final int NC = 1024;
  /**
   * Up to this many rows, nn/tn read B in place (row stride ldb) rather than packing it: measured on
   * Zen 4, in-place B is as fast as packed up to a few hundred rows and much faster below ~50, where
   * a packed block would be used only a few times.
   */
  static final int DIRECT_B_MAX_ROWS = 128;
  /** tn copies its Aᵀ slices contiguous from this leading dimension on (4 KB rows). */
  static final int PACK_AT_MIN_LDA = 1024;
  /**
   * tn copies that many rows of Aᵀ at once (16 tiles, 96 KB at KC), as runs of 96 floats per p that
   * the tiles then read 96 floats apart: a plain copy instead of a 6-float gather per tile and p.
   */
  static final int PACK_AT_ROWS = 16 * MR;
  /**
   * Column block of the one-row streaming path: the C row segment (16 KB) stays in L1 across all of
   * k, and B rows are read in runs this long (B itself is read once, it need not stay anywhere).
   */
  static final int STREAM_NC = 4096;
  /**
   * One row streams B ({@link SimdGemmKernels#streamRow}) when B has more floats than this (1 MB, past
   * L2); a smaller B is read in column strips by the tile kernel, which is faster while it is cached.
   */
  static final long STREAM_MIN_FLOATS = 1L << 18;
  /** Below this many multiply-adds a call stays on the caller (waking a worker costs more). */
  static final long PARALLEL_MIN_FMAS = 1L << 17;
  /** Parts per thread of a multi-threaded call (see {@link WorkerPool}: parts are claimed dynamically). */
  static final int PARTS_PER_THREAD = 4;

  static final int NN = 0, NT = 1, TN = 2;

  private SimdGemm() {}

  // C (m,n) += A (m,k) · B (k,n)
  public static void nn(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    gemm(NN, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, false, m, n, k);
  }

  // C (m,n) += A (m,k) · Bᵀ, B (n,k)
  public static void nt(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    gemm(NT, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, false, m, n, k);
  }

  // C (m,n) += Aᵀ · B, A (k,m), B (k,n)
  public static void tn(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    gemm(TN, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, false, m, n, k);
  }

  /**
   * C (m,n) += A (m,k) · B with B (k,n) already in panel layout in {@code packed}: panel q (columns
   * [q·PANEL, (q+1)·PANEL), zero-padded past n) holds k rows of PANEL floats at {@code q·k·PANEL}.
   */
  public static void nnPacked(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] packed, int m, int n, int k) {
    gemm(NN, c, cOff, ldc, a, aOff, lda, packed, 0, PANEL, true, m, n, k);
  }

  /** Floats a {@code (k, n)} panel-layout matrix needs: whole panels, zero-padded past n. */
  public static int packedLength(int k, int n) { return Math.multiplyExact(k, (n + NR - 1) / NR * NR); }

  /**
   * Writes {@code op(src)} (k,n) into {@code dst} in panel layout: {@code transposed == false} reads
   * src as (k,n), {@code true} reads it as (n,k) (a weight W (out,in) used as Wᵀ). With
   * {@code groups} g > 1 the columns are interleaved: op(src)'s n columns are g blocks of n/g, and
   * panel q holds columns [q·u, (q+1)·u) of every block in turn (u = PANEL/g; requires (n/g) % u == 0),
   * so one panel holds the same u units of every gate. Large matrices are packed over the worker pool
   * (panels are independent).
   */
  public static void pack(float[] dst, float[] src, int off, int ld, boolean transposed, int groups, int k, int n) {
    int panels = (n + NR - 1) / NR;
    if (WorkerPool.threads() == 1 || (long) k * n < PARALLEL_MIN_PACK || panels < 2) {
      packPanels(dst, src, off, ld, transposed, groups, k, n, 0, panels);
      return;
    }
    PackJob job = PackJob.LOCAL.get();
    job.set(dst, src, off, ld, transposed, groups, k, n, panels);
    try {
      WorkerPool.run(job, Math.min(panels, PARTS_PER_THREAD * WorkerPool.threads()));
    } finally {
      job.clear();
    }
  }

  /** Packs at least this many floats over the worker pool. */
  static final long PARALLEL_MIN_PACK = 1L << 18;

  // panels [q0, q1) of pack()
  private static void packPanels(float[] dst, float[] src, int off, int ld, boolean transposed, int groups,
      int k, int n, int q0, int q1) {
    int u = NR / groups, block = n / groups;
    for (int q = q0; q < q1; q++) {
      int j0 = q * NR, w = Math.min(NR, n - j0);
      if (groups == 1) packPanel(dst, q * k * NR, src, off, ld, transposed, 0, k, j0, w);
      else for (int g = 0; g < groups; g++) packSegment(dst, q * k * NR + g * u, src, off, ld, transposed, k, g * block + q * u, u);
    }
  }

  /** One part of a multi-threaded pack: a contiguous range of panels. */
  private static final class PackJob implements WorkerPool.Job {
    static final ThreadLocal<PackJob> LOCAL = ThreadLocal.withInitial(PackJob::new);
    float[] dst, src;
    int off, ld, groups, k, n, panels;
    boolean transposed;

    void set(float[] dst, float[] src, int off, int ld, boolean transposed, int groups, int k, int n, int panels) {
      this.dst = dst; this.src = src; this.off = off; this.ld = ld; this.transposed = transposed;
      this.groups = groups; this.k = k; this.n = n; this.panels = panels;
    }

    void clear() { dst = src = null; }

    @Override
    public void run(int part, int parts) {
      int q0 = (int) ((long) panels * part / parts), q1 = (int) ((long) panels * (part + 1) / parts);
      packPanels(dst, src, off, ld, transposed, groups, k, n, q0, q1);
    }
  }

  /**
   * w columns of op(B) from column j0 into lanes [dOff, dOff + w) of a panel's k rows (no zero fill):
   * dst[dOff + p·NR + j] = op(B)[p, j0 + j].
   */
  private static void packSegment(float[] dst, int dOff, float[] b, int bOff, int ldb, boolean transposed,
      int k, int j0, int w) {
    if (!transposed) {
      for (int p = 0; p < k; p++) System.arraycopy(b, bOff + p * ldb + j0, dst, dOff + p * NR, w);
      return;
    }
    int j = 0;
    for (; j + 4 <= w; j += 4) {
      int s0 = bOff + (j0 + j) * ldb, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb, d = dOff + j;
      for (int p = 0; p < k; p++) {
        int o = d + p * NR;
        dst[o] = b[s0 + p];
        dst[o + 1] = b[s1 + p];
        dst[o + 2] = b[s2 + p];
        dst[o + 3] = b[s3 + p];
      }
    }
    for (; j < w; j++) {
      int src = bOff + (j0 + j) * ldb, d = dOff + j;
      for (int p = 0; p < k; p++) dst[d + p * NR] = b[src + p];
    }
  }

  /**
   * C (m, columns [j0,j1)) += A (m,k) · B (k, [j0,j1)) with B packed as in {@link #nnPacked}, on the
   * calling thread only (for callers that split work over the pool themselves). j0 is a multiple of
   * PANEL. The same FMA chains as {@link #nnPacked}.
   */
  public static void nnPackedColumns(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] packed, int m, int k, int j0, int j1) {
    if (m == 0 || j1 <= j0 || k == 0) return;
    block(NN, PREPACKED, c, cOff, ldc, a, aOff, lda, packed, 0, PANEL, 0, m, j0, j1, k, Scratch.get());
  }

  private static void gemm(int op, float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, boolean packed, int m, int n, int k) {
    if (m == 0 || n == 0 || k == 0) return;
    int source = bSource(op, packed, m, n, k);
    int threads = WorkerPool.threads();
    if (threads == 1 || (long) m * n * k < PARALLEL_MIN_FMAS) {
      block(op, source, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, 0, m, 0, n, k, Scratch.get());
      return;
    }
    // Split the dimension whose largest part has the least work; tiles keep PackedMatrix panels aligned.
    int nTiles = (n + NR - 1) / NR, mTiles = (m + MR - 1) / MR;
    long workByCols = (long) ceilDiv(nTiles, Math.min(threads, nTiles)) * NR * m;
    long workByRows = (long) ceilDiv(mTiles, Math.min(threads, mTiles)) * MR * n;
    boolean byCols = workByCols <= workByRows;
    // A column part reads all of A, a row part packs all of B. With a large B to pack and a C at least
    // as tall as wide (twice for nn/tn: weight gradients dW += dyᵀ x, input gradients dx += dy W), column
    // parts would each stream all of a large A (for tn through a strided copy): split by rows instead,
    // with B packed once, over the pool, into a buffer all row parts read. Measured, 2 threads, GFLOPS
    // per CPU-second: tn 2048x512 k=2048 65 → 97, nn 2048x512 k=2048 87 → 103, nt 2048x2048 k=512
    // 91 → 99. A small B (packed on the caller before the parts) keeps the split by balance.
    boolean tall = source == PACK && m >= (op == NT ? n : 2 * n) && mTiles >= 8 * threads
        && (long) k * n >= PARALLEL_MIN_PACK;
    if (tall) {
      byCols = false;
      float[] shared = Scratch.get().shared(packedLength(k, n));
      pack(shared, b, bOff, ldb, op == NT, 1, k, n);
      b = shared;
      bOff = 0;
      ldb = PANEL;
      source = PREPACKED;
    }
    int tiles = byCols ? nTiles : mTiles;
    // Several parts per thread, claimed dynamically: a late worker then costs little. Row parts may
    // each pack all of B, so they keep at least 8 row tiles (48 rows) apiece; the one-row streaming
    // path keeps one part per thread so that each streams the longest contiguous runs of B.
    int parts = Math.min(tiles, (source == STREAM ? 1 : PARTS_PER_THREAD) * threads);
    if (!byCols) parts = Math.min(parts, Math.max(threads, mTiles / 8));
    if (parts == 1) {
      block(op, source, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, 0, m, 0, n, k, Scratch.get());
      return;
    }
    GemmJob job = GemmJob.LOCAL.get();
    job.set(op, source, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, byCols, tiles);
    try {
      WorkerPool.run(job, parts);
    } finally {
      job.clear();
    }
  }

  private static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

  /** One part of a multi-threaded call: a contiguous range of column (or row) tiles of C. */
  private static final class GemmJob implements WorkerPool.Job {
    static final ThreadLocal<GemmJob> LOCAL = ThreadLocal.withInitial(GemmJob::new);
    int op, source, cOff, ldc, aOff, lda, bOff, ldb, m, n, k, tiles;
    float[] c, a, b;
    boolean byCols;

    void set(int op, int source, float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b,
        int bOff, int ldb, int m, int n, int k, boolean byCols, int tiles) {
      this.op = op; this.source = source; this.c = c; this.cOff = cOff; this.ldc = ldc; this.a = a;
      this.aOff = aOff; this.lda = lda; this.b = b; this.bOff = bOff; this.ldb = ldb;
      this.m = m; this.n = n; this.k = k; this.byCols = byCols; this.tiles = tiles;
    }

    void clear() { c = a = b = null; }

    @Override
    public void run(int part, int parts) {
      int t0 = (int) ((long) tiles * part / parts), t1 = (int) ((long) tiles * (part + 1) / parts);
      if (byCols)
        block(op, source, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, 0, m, t0 * NR, Math.min(n, t1 * NR), k, Scratch.get());
      else
        block(op, source, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, t0 * MR, Math.min(m, t1 * MR), 0, n, k, Scratch.get());
    }
  }

  /** Per-thread packing buffers, sized once (no allocation per call). */
  private static final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
    final float[] tile = new float[MR * NR];
    final float[] ap = new float[PACK_AT_ROWS * KC];
    final float[] edge = new float[KC * NR];
    private float[] bp;

    static Scratch get() { return LOCAL.get(); }

    float[] bp() {
      if (bp == null) bp = new float[KC * NC];
      return bp;
    }

    private float[] shared;

    /** A whole packed B of {@code length} floats for the parts of one call (grown, never shrunk). */
    float[] shared(int length) {
      if (shared == null || shared.length < length) shared = new float[length];
      return shared;
    }
  }

  /** Where the kernels read B from: see the class comment. Chosen once per call, from its whole shape. */
  static final int STREAM = 0, DIRECT = 1, PACK = 2, PREPACKED = 3;

  private static int bSource(int op, boolean packed, int rows, int n, int k) {
    if (packed) return PREPACKED;
    if (op == NT) return PACK;
    if (rows == 1 && (long) n * k > STREAM_MIN_FLOATS) return STREAM;
    return rows <= DIRECT_B_MAX_ROWS ? DIRECT : PACK;
  }

  /** C rows [i0,i1) × columns [j0,j1) += op(A) · op(B) over all of k, on the calling thread. */
  private static void block(int op, int source, float[] c, int cOff, int ldc, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, int i0, int i1, int j0, int j1, int k, Scratch s) {
    if (source == STREAM) {
      // One row, B (k,n) in place: stream its rows; column blocks keep the C row in L1.
      int ai = aOff + i0 * (op == TN ? 1 : lda), aP = op == TN ? lda : 1;
      for (int jc = j0; jc < j1; jc += STREAM_NC)
        SimdGemmKernels.streamRow(Math.min(STREAM_NC, j1 - jc), k, a, ai, aP, b, bOff + jc, ldb, c, cOff + i0 * ldc + jc);
      return;
    }
    if (source == PREPACKED && i1 - i0 == 1) {
      oneRowPacked(c, cOff + i0 * ldc, a, aOff + i0 * lda, b, j0, j1, k, s);
      return;
    }
    float[] bp = source == PACK ? s.bp() : null;
    for (int jc = j0; jc < j1; jc += NC) {
      int nc = Math.min(NC, j1 - jc);
      int fullW = nc / NR * NR;
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        if (source == PACK) {
          for (int jr = 0; jr < nc; jr += NR)
            packPanel(bp, jr * kc, b, bOff, ldb, op == NT, pc, kc, jc + jr, Math.min(NR, nc - jr));
        } else if (source == DIRECT && fullW < nc) { // the last, partial panel: zero-padded copy
          packPanel(s.edge, 0, b, bOff, ldb, false, pc, kc, jc + fullW, nc - fullW);
        }
        int atStart = i0, atEnd = i0; // rows of Aᵀ copied into s.ap (tn with a long lda)
        for (int ir = i0; ir < i1; ) {
          int r = SimdGemmKernels.kernelRows(i1 - ir);
          // A in place: row-major A (m,k), r rows each contiguous in p; or a stored Aᵀ (k,m), kc rows
          // of r floats lda apart. With a long lda those rows fall in few L1 sets (conflict misses on
          // every kernel call), so that slice is first copied contiguous (measured: +6% at 2048, but
          // -5..10% at 256..512, where the copy is not amortised).
          float[] aa = a;
          int ai, aP, aI;
          if (op == TN && lda >= PACK_AT_MIN_LDA) {
            if (ir >= atEnd) { // copy the next PACK_AT_ROWS rows (whole tiles: a multiple of MR, or up to i1)
              atStart = ir;
              atEnd = Math.min(i1, ir + PACK_AT_ROWS);
              packAt(s.ap, a, aOff + pc * lda + atStart, lda, atEnd - atStart, kc);
            }
            aa = s.ap; ai = ir - atStart; aP = atEnd - atStart; aI = 1;
          } else if (op == TN) {
            ai = aOff + pc * lda + ir; aP = lda; aI = 1;
          } else {
            ai = aOff + ir * lda + pc; aP = 1; aI = lda;
          }
          for (int jr = 0; jr < nc; jr += NR) {
            if (r == 1 && source == DIRECT && jr + 2 * NR <= fullW) { // one row: two panels at once
              SimdGemmKernels.row1Wide(kc, aa, ai, aP, b, bOff + pc * ldb + jc + jr, ldb, c, cOff + ir * ldc + jc + jr);
              jr += NR;
              continue;
            }
            float[] bb = b;
            int bi, bs = NR;
            if (source == PREPACKED) bi = (jc + jr) * k + pc * NR;
            else if (source == PACK) { bb = bp; bi = jr * kc; }
            else if (jr < fullW) { bi = bOff + pc * ldb + jc + jr; bs = ldb; }
            else { bb = s.edge; bi = 0; }
            int ci = cOff + ir * ldc + jc + jr;
            if (jr < fullW) {
              SimdGemmKernels.rows(r, kc, aa, ai, aP, aI, bb, bi, bs, c, ci, ldc);
            } else {
              int w = nc - jr;
              float[] t = s.tile;
              for (int i = 0; i < r; i++) System.arraycopy(c, ci + i * ldc, t, i * NR, w);
              SimdGemmKernels.rows(r, kc, aa, ai, aP, aI, bb, bi, bs, t, 0, NR);
              for (int i = 0; i < r; i++) System.arraycopy(t, i * NR, c, ci + i * ldc, w);
            }
          }
          ir += r;
        }
      }
    }
  }

  /**
   * C row columns [j0,j1) += a (1 × k) · B with B pre-packed (a batch-1 product with weights packed
   * once): a panel's k·NR floats are contiguous, so one pass per panel over all of k streams B front to
   * back; there is no reuse to block the cache for (measured, one thread, W (4H, H) as Wᵀ: 0.87-1.0 of
   * the read bandwidth of W's own memory for H = 128..1024, against 0.82-0.95 through the blocked
   * loops). The same chains: each C element's FMAs over k in order. A method of its own, so that its
   * compiled code does not depend on how GEMMs of other shapes profiled {@link #block}.
   */
  private static void oneRowPacked(float[] c, int ci, float[] a, int ai, float[] b, int j0, int j1, int k, Scratch s) {
    for (int j = j0; j < j1; j += NR) {
      int w = Math.min(NR, j1 - j);
      if (w == NR) {
        SimdGemmKernels.rowPanel(k, a, ai, b, j * k, c, ci + j);
      } else { // the last, partial panel (zero-padded in B) through a full-width copy of its C columns
        float[] t = s.tile;
        System.arraycopy(c, ci + j, t, 0, w);
        SimdGemmKernels.rowPanel(k, a, ai, b, j * k, t, 0);
        System.arraycopy(t, 0, c, ci + j, w);
      }
    }
  }

  /**
   * w rows of a stored Aᵀ (the kc rows of A from src, lda apart, w floats of each) made contiguous:
   * ap[p·w + i] = a[src + p·lda + i], one copy of a run of w floats per p.
   */
  private static void packAt(float[] ap, float[] a, int src, int lda, int w, int kc) {
    for (int p = 0; p < kc; p++) System.arraycopy(a, src + p * lda, ap, p * w, w);
  }

  /**
   * One B panel: dst[dOff + p·NR + j] = op(B)[pc + p, j0 + j] for p < kc, j < w, zeros for w ≤ j < NR.
   * op(B) is B (k,n) itself, or the transpose of B stored (n,k).
   */
  private static void packPanel(float[] dst, int dOff, float[] b, int bOff, int ldb, boolean transposed,
      int pc, int kc, int j0, int w) {
    // rows pc.. of op(B): B's rows pc.. (ldb apart) or, stored transposed, each stored row from its pc-th float
    packSegment(dst, dOff, b, bOff + (transposed ? pc : pc * ldb), ldb, transposed, kc, j0, w);
    if (w < NR)
      for (int p = 0; p < kc; p++) java.util.Arrays.fill(dst, dOff + p * NR + w, dOff + (p + 1) * NR, 0f);
  }

}
