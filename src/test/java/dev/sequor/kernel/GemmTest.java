package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.kernel.ref.RefGemm;
import dev.sequor.kernel.simd.SimdGemm;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIMD GEMM against its scalar twin. Both are one FMA chain per output over p in order (Gemm's
 * contract), so they must agree bit for bit (assertArrayEquals on float[] compares bit patterns),
 * whatever the shape, offsets, leading dimensions and thread count.
 */
class GemmTest {
  /** Operand shapes: a matrix (rows, cols) with leading dimension ld at offset off in a larger array. */
  record Operand(float[] data, int off, int ld) {}

  static final int NN = 0, NT = 1, TN = 2;
  static final String[] NAMES = {"nn", "nt", "tn"};

  private int savedThreads;

  @BeforeEach
  void saveThreads() { savedThreads = WorkerPool.threads(); }

  @AfterEach
  void restoreThreads() { WorkerPool.setThreads(savedThreads); }

  /** Random values in [-1, 1) with padding before, between rows (ld > cols) and after. */
  static Operand operand(Random rnd, int rows, int cols) {
    int off = rnd.nextInt(5), ld = cols + rnd.nextInt(4);
    float[] d = new float[off + rows * ld + rnd.nextInt(5)];
    for (int i = 0; i < d.length; i++) d[i] = rnd.nextFloat() * 2 - 1;
    return new Operand(d, off, ld);
  }

  static void simd(int op, Operand c, Operand a, Operand b, int m, int n, int k) {
    switch (op) {
      case NN -> SimdGemm.nn(c.data, c.off, c.ld, a.data, a.off, a.ld, b.data, b.off, b.ld, m, n, k);
      case NT -> SimdGemm.nt(c.data, c.off, c.ld, a.data, a.off, a.ld, b.data, b.off, b.ld, m, n, k);
      default -> SimdGemm.tn(c.data, c.off, c.ld, a.data, a.off, a.ld, b.data, b.off, b.ld, m, n, k);
    }
  }

  static void ref(int op, Operand c, Operand a, Operand b, int m, int n, int k) {
    switch (op) {
      case NN -> RefGemm.nn(c.data, c.off, c.ld, a.data, a.off, a.ld, b.data, b.off, b.ld, m, n, k);
      case NT -> RefGemm.nt(c.data, c.off, c.ld, a.data, a.off, a.ld, b.data, b.off, b.ld, m, n, k);
      default -> RefGemm.tn(c.data, c.off, c.ld, a.data, a.off, a.ld, b.data, b.off, b.ld, m, n, k);
    }
  }

  static Operand a(Random rnd, int op, int m, int k) { return op == TN ? operand(rnd, k, m) : operand(rnd, m, k); }

  static Operand b(Random rnd, int op, int n, int k) { return op == NT ? operand(rnd, n, k) : operand(rnd, k, n); }

  /** Runs SIMD and reference on copies of the same C (padding included) and requires identical arrays. */
  static void checkAgainstRef(Random rnd, int op, int m, int n, int k) {
    Operand a = a(rnd, op, m, k), b = b(rnd, op, n, k), c = operand(rnd, m, n);
    Operand expected = new Operand(c.data.clone(), c.off, c.ld);
    ref(op, expected, a, b, m, n, k);
    simd(op, c, a, b, m, n, k);
    assertArrayEquals(expected.data, c.data, () -> NAMES[op] + " m=" + m + " n=" + n + " k=" + k);
  }

  @Test
  void matchesReferenceBitForBitOnEdgeSizes() {
    // Around the kernel's tile (6 rows, 64 columns), the vector (16 lanes) and the k block (256).
    int[] ms = {1, 2, 5, 6, 7, 13, 17, 33};
    int[] ns = {1, 15, 16, 17, 63, 64, 65, 129, 207};
    int[] ks = {1, 16, 17, 257};
    Random rnd = new Random(1);
    for (int op = 0; op < 3; op++)
      for (int m : ms) for (int n : ns) for (int k : ks) checkAgainstRef(rnd, op, m, n, k);
  }

  @Test
  void matchesReferenceBitForBitOnOddAndLargeShapes() {
    int[][] shapes = {
      {37, 53, 29}, {207, 207, 207}, {1, 700, 517}, {1, 1024, 256}, {1, 4200, 70}, {1024, 3, 5}, {3, 1024, 5}, {2, 5, 1024}, {1, 1030, 40},
      {13, 1100, 300}, {100, 70, 513}, {1030, 70, 20}, {12, 200, 64}, {0, 5, 5}, {5, 0, 5}, {5, 5, 0}
    };
    Random rnd = new Random(2);
    for (int op = 0; op < 3; op++) for (int[] s : shapes) checkAgainstRef(rnd, op, s[0], s[1], s[2]);
  }

  @Test
  void anyThreadCountGivesTheSameBits() {
    // Above the parallel threshold, split by columns (wide), by rows (tall) and for one row; then tall
    // with B packed by each row part and, for tn, a long lda (Aᵀ copied in runs) over two k blocks; and
    // tall with a B large enough to be packed once, over the pool, for all row parts (16 k blocks).
    int[][] shapes = {{37, 1100, 30}, {700, 40, 33}, {1, 4100, 70}, {64, 300, 64}, {1100, 70, 300}, {150, 65, 4040}};
    Random rnd = new Random(3);
    for (int op = 0; op < 3; op++)
      for (int[] s : shapes) {
        int m = s[0], n = s[1], k = s[2];
        Operand a = a(rnd, op, m, k), b = b(rnd, op, n, k), c0 = operand(rnd, m, n);
        float[] expected = null;
        for (int t : new int[] {1, 2, 3}) {
          WorkerPool.setThreads(t);
          Operand c = new Operand(c0.data.clone(), c0.off, c0.ld);
          simd(op, c, a, b, m, n, k);
          if (expected == null) expected = c.data;
          else assertArrayEquals(expected, c.data, NAMES[op] + " " + m + "x" + n + "x" + k + " threads=" + t);
        }
        Operand r = new Operand(c0.data.clone(), c0.off, c0.ld);
        ref(op, r, a, b, m, n, k);
        assertArrayEquals(r.data, expected, NAMES[op] + " vs reference");
      }
  }

  @Test
  void oneRowEqualsTheSameRowOfABatch() {
    // The recurrent layers' contract: a streamed step (m = 1) equals its row inside a whole-sequence GEMM.
    Random rnd = new Random(4);
    int m = 29, n = 300, k = 270;
    for (int op = 0; op < 3; op++) {
      Operand a = a(rnd, op, m, k), b = b(rnd, op, n, k), c = operand(rnd, m, n);
      float[] c0 = c.data.clone();
      simd(op, c, a, b, m, n, k);
      for (int i = 0; i < m; i += 7) {
        float[] row = new float[n];
        System.arraycopy(c0, c.off + i * c.ld, row, 0, n);
        Operand rowC = new Operand(row, 0, n);
        Operand rowA;
        if (op == TN) { // column i of the stored (k, m) A
          float[] col = new float[k];
          for (int p = 0; p < k; p++) col[p] = a.data[a.off + p * a.ld + i];
          rowA = new Operand(col, 0, 1);
        } else {
          rowA = new Operand(a.data, a.off + i * a.ld, a.ld);
        }
        simd(op, rowC, rowA, b, 1, n, k);
        for (int j = 0; j < n; j++)
          assertEquals(Float.floatToRawIntBits(c.data[c.off + i * c.ld + j]), Float.floatToRawIntBits(row[j]),
              NAMES[op] + " row " + i + " col " + j);
      }
    }
  }

  @Test
  void facadeIsBitIdenticalToReferenceIncludingSpecialValues() {
    float[] a = {1f, Float.NaN, -0f, 3e38f, 2f, 1e-30f};
    float[] b = {Float.POSITIVE_INFINITY, 1f, 0f, 5f, -0f, 3e38f};
    float[] c1 = {-0f, 1f, 2f, 3f}, c2 = c1.clone();
    Gemm.nn(c1, 0, 2, a, 0, 3, b, 0, 2, 2, 2, 3);
    RefGemm.nn(c2, 0, 2, a, 0, 3, b, 0, 2, 2, 2, 3);
    assertArrayEquals(c2, c1);
    assertTrue(Float.isNaN(c1[0]), "NaN in A propagates");
  }

  @Test
  void knownProduct() {
    float[] a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12}, c = {1, 1, 1, 1};
    Gemm.nn(c, 0, 2, a, 0, 3, b, 0, 2, 2, 2, 3); // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] + 1
    assertArrayEquals(new float[] {59, 65, 140, 155}, c);
    float[] ct = new float[4];
    Gemm.nt(ct, 0, 2, a, 0, 3, new float[] {7, 9, 11, 8, 10, 12}, 0, 3, 2, 2, 3);
    assertArrayEquals(new float[] {58, 64, 139, 154}, ct);
    float[] cn = new float[4];
    Gemm.tn(cn, 0, 2, new float[] {1, 4, 2, 5, 3, 6}, 0, 2, b, 0, 2, 2, 2, 3);
    assertArrayEquals(new float[] {58, 64, 139, 154}, cn);
  }

  @Test
  void packedMatrixEqualsUnpackedBitForBit() {
    Random rnd = new Random(5);
    int[][] shapes = {{1, 70, 300}, {7, 129, 33}, {40, 1100, 20}, {1, 2, 1}};
    for (int[] s : shapes) {
      int m = s[0], n = s[1], k = s[2];
      Operand a = operand(rnd, m, k), bn = operand(rnd, k, n), bt = operand(rnd, n, k), c0 = operand(rnd, m, n);
      PackedMatrix pn = PackedMatrix.of(bn.data, bn.off, bn.ld, k, n);
      PackedMatrix pt = PackedMatrix.ofTransposed(bt.data, bt.off, bt.ld, n, k);
      assertEquals(k, pt.rows());
      assertEquals(n, pt.cols());
      Operand viaNn = copy(c0), viaPn = copy(c0), viaNt = copy(c0), viaPt = copy(c0);
      simd(NN, viaNn, a, bn, m, n, k);
      Gemm.nn(viaPn.data, viaPn.off, viaPn.ld, a.data, a.off, a.ld, pn, m);
      simd(NT, viaNt, a, bt, m, n, k);
      Gemm.nn(viaPt.data, viaPt.off, viaPt.ld, a.data, a.off, a.ld, pt, m);
      assertArrayEquals(viaNn.data, viaPn.data, "packed nn " + m + "x" + n + "x" + k);
      assertArrayEquals(viaNt.data, viaPt.data, "packed nt " + m + "x" + n + "x" + k);
      Operand viaRef = copy(c0);
      RefGemm.nnPacked(viaRef.data, viaRef.off, viaRef.ld, a.data, a.off, a.ld, pn, m);
      assertArrayEquals(viaNn.data, viaRef.data, "reference on packed");
      // Repack after the source changes: the packed operand follows.
      for (int i = 0; i < bn.data.length; i++) bn.data[i] *= -0.5f;
      pn.repack(bn.data, bn.off, bn.ld);
      Operand again = copy(c0), againPacked = copy(c0);
      simd(NN, again, a, bn, m, n, k);
      Gemm.nn(againPacked.data, againPacked.off, againPacked.ld, a.data, a.off, a.ld, pn, m);
      assertArrayEquals(again.data, againPacked.data, "after repack");
    }
  }

  /**
   * A gate-interleaved Wᵀ is Wᵀ with its columns permuted (sourceColumn): products with it, whole or
   * column range by column range on the caller (nnColumns, as a fused per-step job splits them), equal
   * the unpacked nt product's columns bit for bit, at 1 and 2 threads and in the scalar reference; a
   * large one is packed over the pool (threads 2) into the same floats.
   */
  @Test
  void interleavedPackingPermutesColumnsOnly() {
    Random rnd = new Random(6);
    int panel = PackedMatrix.panel(), units = panel / 4;
    for (int threads : new int[] {1, 2}) {
      WorkerPool.setThreads(threads);
      for (int[] s : new int[][] {{32, 8 * units, 300}, {5, 12 * units, 23}, {3, 4 * units, 1100}}) {
        int m = s[0], n = s[1], k = s[2];
        Operand a = operand(rnd, m, k), w = operand(rnd, n, k), c0 = operand(rnd, m, n);
        PackedMatrix pi = PackedMatrix.ofTransposedInterleaved(w.data, w.off, w.ld, n, k, 4);
        PackedMatrix pt = PackedMatrix.ofTransposed(w.data, w.off, w.ld, n, k);
        boolean[] seen = new boolean[n];
        for (int j = 0; j < n; j++) {
          int src = pi.sourceColumn(j);
          assertFalse(seen[src], "sourceColumn is a permutation");
          seen[src] = true;
          assertEquals((j % panel) / units, src / (n / 4), "panel lanes hold the gates in turn");
          for (int p = 0; p < k; p += 37) assertEquals(pt.get(p, src), pi.get(p, j));
        }
        Operand plain = copy(c0);
        simd(NT, plain, a, w, m, n, k);
        Operand permuted = copy(c0); // C's previous values in the permuted column order
        for (int i = 0; i < m; i++)
          for (int j = 0; j < n; j++) permuted.data[permuted.off + i * permuted.ld + j] = c0.data[c0.off + i * c0.ld + pi.sourceColumn(j)];
        Operand whole = copy(permuted), ranges = copy(permuted), ref = copy(permuted);
        Gemm.nn(whole.data, whole.off, whole.ld, a.data, a.off, a.ld, pi, m);
        for (int j0 = 0; j0 < n; j0 += 2 * panel)
          Gemm.nnColumns(ranges.data, ranges.off, ranges.ld, a.data, a.off, a.ld, pi, m, j0, Math.min(n, j0 + 2 * panel));
        RefGemm.nnPackedColumns(ref.data, ref.off, ref.ld, a.data, a.off, a.ld, pi, m, 0, n);
        for (int i = 0; i < m; i++)
          for (int j = 0; j < n; j++) {
            float expected = plain.data[plain.off + i * plain.ld + pi.sourceColumn(j)];
            int at = whole.off + i * whole.ld + j;
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(whole.data[at]), "whole " + i + "," + j);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(ranges.data[at]), "ranges " + i + "," + j);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(ref.data[at]), "reference " + i + "," + j);
          }
      }
    }
    assertFalse(PackedMatrix.canInterleave(4 * units + 4, 4));
    float[] x = new float[4 * units * 3];
    assertThrows(IllegalArgumentException.class, () -> PackedMatrix.ofTransposedInterleaved(x, 0, 3, 2 * units + 4, 3, 4));
    PackedMatrix p = PackedMatrix.ofTransposed(x, 0, 3, 4 * units, 3);
    assertMessage("columns", () -> Gemm.nnColumns(new float[4 * units], 0, 4 * units, x, 0, 3, p, 1, 1, 4));
  }

  static Operand copy(Operand o) { return new Operand(o.data.clone(), o.off, o.ld); }

  @Test
  void badArgumentsNameTheOperand() {
    float[] x = new float[12];
    assertMessage("A:", () -> Gemm.nn(x, 0, 3, x, 5, 3, x, 0, 3, 3, 3, 3));
    assertMessage("B:", () -> Gemm.nn(x, 0, 3, x, 0, 3, x, 0, 2, 3, 3, 3));
    assertMessage("C:", () -> Gemm.nn(new float[8], 0, 3, x, 0, 3, x, 0, 3, 3, 3, 3));
    assertMessage("C:", () -> Gemm.nn(x, -1, 3, x, 0, 3, x, 0, 3, 3, 3, 3));
    assertMessage("C:", () -> Gemm.nn(x, 0, 3, x, 0, 3, x, 0, 3, -1, 3, 3));
    assertMessage("A:", () -> Gemm.nt(x, 0, 4, x, 0, 5, x, 0, 4, 3, 4, 5));
    assertMessage("B:", () -> Gemm.nt(x, 0, 4, x, 0, 4, new float[11], 0, 4, 3, 3, 4));
    assertMessage("A:", () -> Gemm.tn(x, 0, 3, x, 0, 3, x, 0, 4, 4, 3, 3));
    assertMessage("B is null", () -> Gemm.tn(x, 0, 4, x, 0, 4, null, 0, 4, 3, 4, 3));
    PackedMatrix p = PackedMatrix.of(x, 0, 4, 3, 4);
    assertMessage("A:", () -> Gemm.nn(x, 0, 4, x, 0, 2, p, 3));
    assertMessage("C:", () -> Gemm.nn(new float[11], 0, 4, x, 0, 3, p, 3));
    assertMessage("B:", () -> PackedMatrix.of(x, 0, 4, 4, 4));
    assertMessage("W:", () -> PackedMatrix.ofTransposed(x, 0, 4, 4, 4));
    assertMessage("B:", () -> p.repack(new float[11], 0, 4));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.setThreads(0));
  }

  static void assertMessage(String prefix, Runnable call) {
    var e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().startsWith(prefix), () -> "expected '" + prefix + "...', got: " + e.getMessage());
  }
}
