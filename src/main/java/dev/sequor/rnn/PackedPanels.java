package dev.sequor.rnn;

import dev.sequor.kernel.Engine;
import dev.sequor.kernel.simd.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix stored for batch-1 streaming: Wᵀ (rows = in, cols = G·H) cut into column panels of
 * {@link #WIDTH} = 8 vectors, each panel (rows, WIDTH) contiguous, so a step streams the weights
 * strictly sequentially into eight independent accumulators (enough to hide FMA latency). Columns are
 * zero-padded to whole panels; outputs y must have {@link #paddedCols()} entries.
 *
 * <p>Arithmetic: y[c] = one FMA chain over the rows in order starting from init[c] (the bias, or y[c]
 * itself), exactly {@code Gemm}'s contract, so in f32 a packed step equals the training forward's GEMM
 * bit for bit.
 *
 * <p>Optional bf16 storage halves the bytes a step streams (in f32 the step is bound by the bandwidth of
 * the L2 cache; in bf16 by the FMA rate, about one 16-lane FMA per cycle): each int
 * holds two weights, the high half for column c and the low half for column c + L of the same group of
 * 2L columns, so widening is a single AND or shift per L weights. Weights are rounded to nearest-even.
 */
final class PackedPanels {
  private static final VectorSpecies<Float> F = VectorMath.F;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.length() == F.length()
      ? IntVector.SPECIES_PREFERRED : VectorSpecies.of(int.class, F.vectorShape());
  private static final int L = F.length();
  /** Columns per panel. */
  static final int WIDTH = 8 * L;

  final int rows, cols, panels;
  final float[] f32; // (panels, rows, WIDTH) or null
  final int[] bf16;  // (panels, rows, WIDTH/2) or null

  /**
   * Packs Wᵀ where W (cols, rows) is PyTorch's (out, in) matrix at wOff in src; packed column k holds
   * W's row {@code order[k]} (a permutation of the outputs; a column's chain does not depend on it).
   */
  PackedPanels(float[] src, int wOff, int cols, int rows, int[] order, boolean bf16Storage) {
    this.rows = rows;
    this.cols = cols;
    this.panels = (cols + WIDTH - 1) / WIDTH;
    if ((long) panels * rows * WIDTH > Integer.MAX_VALUE - 8)
      throw new IllegalArgumentException("matrix (" + cols + ", " + rows + ") too large to pack");
    if (bf16Storage) {
      f32 = null;
      bf16 = new int[panels * rows * WIDTH / 2];
      for (int p = 0; p < panels; p++)
        for (int r = 0; r < rows; r++)
          for (int k = 0; k < WIDTH / 2; k++) {
            int group = k / L, lane = k % L;
            int hiCol = p * WIDTH + group * 2 * L + lane, loCol = hiCol + L;
            int hi = hiCol < cols ? toBf16(src[wOff + order[hiCol] * rows + r]) : 0;
            int lo = loCol < cols ? toBf16(src[wOff + order[loCol] * rows + r]) : 0;
            bf16[(p * rows + r) * (WIDTH / 2) + k] = (hi << 16) | lo;
          }
    } else {
      bf16 = null;
      f32 = new float[panels * rows * WIDTH];
      for (int p = 0; p < panels; p++)
        for (int r = 0; r < rows; r++)
          for (int k = 0; k < WIDTH; k++) {
            int c = p * WIDTH + k;
            f32[(p * rows + r) * WIDTH + k] = c < cols ? src[wOff + order[c] * rows + r] : 0f;
          }
    }
  }

  int paddedCols() { return panels * WIDTH; }

  /** Bytes a full product streams. */
  long bytes() { return f32 != null ? 4L * f32.length : 4L * bf16.length; }

  /** The weight at (row r, column c) as the kernels see it (bf16-rounded when so stored). */
  float weight(int r, int c) {
    int p = c / WIDTH, k = c % WIDTH;
    if (f32 != null) return f32[(p * rows + r) * WIDTH + k];
    int group = k / (2 * L), inGroup = k % (2 * L);
    int v = bf16[(p * rows + r) * (WIDTH / 2) + group * L + inGroup % L];
    return Float.intBitsToFloat(inGroup < L ? v & 0xFFFF0000 : v << 16);
  }

  /** float → bf16 bits, round to nearest even (NaN stays NaN). */
  static int toBf16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) return (bits >>> 16) | 0x40;
    return ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16) & 0xFFFF;
  }

  /**
   * y = init + Wᵀ x over panels p0..p1 (WIDTH columns each), y and init at their offsets, x (rows) at
   * xOff: one FMA chain per column over r, starting from init's value (a bias, or y itself to
   * accumulate; reading the start value here saves a copy of it into y).
   */
  void wtx(float[] y, int yOff, float[] init, int initOff, float[] x, int xOff, int p0, int p1) {
    if (Engine.SCALAR) {
      wtxScalar(y, yOff, init, initOff, x, xOff, p0, p1);
      return;
    }
    if (f32 != null)
      for (int p = p0; p < p1; p++)
        panelF32(y, yOff + p * WIDTH, init, initOff + p * WIDTH, f32, p * rows * WIDTH, x, xOff, rows);
    else
      for (int p = p0; p < p1; p++)
        panelBf16(y, yOff + p * WIDTH, init, initOff + p * WIDTH, bf16, p * rows * (WIDTH / 2), x, xOff, rows);
  }

  private static void panelF32(float[] y, int c0, float[] init, int i0, float[] w, int o, float[] x, int xOff, int rows) {
    FloatVector a0 = FloatVector.fromArray(F, init, i0), a1 = FloatVector.fromArray(F, init, i0 + L),
        a2 = FloatVector.fromArray(F, init, i0 + 2 * L), a3 = FloatVector.fromArray(F, init, i0 + 3 * L),
        a4 = FloatVector.fromArray(F, init, i0 + 4 * L), a5 = FloatVector.fromArray(F, init, i0 + 5 * L),
        a6 = FloatVector.fromArray(F, init, i0 + 6 * L), a7 = FloatVector.fromArray(F, init, i0 + 7 * L);
    for (int r = 0; r < rows; r++, o += 8 * L) {
      FloatVector xv = FloatVector.broadcast(F, x[xOff + r]);
      a0 = FloatVector.fromArray(F, w, o).fma(xv, a0);
      a1 = FloatVector.fromArray(F, w, o + L).fma(xv, a1);
      a2 = FloatVector.fromArray(F, w, o + 2 * L).fma(xv, a2);
      a3 = FloatVector.fromArray(F, w, o + 3 * L).fma(xv, a3);
      a4 = FloatVector.fromArray(F, w, o + 4 * L).fma(xv, a4);
      a5 = FloatVector.fromArray(F, w, o + 5 * L).fma(xv, a5);
      a6 = FloatVector.fromArray(F, w, o + 6 * L).fma(xv, a6);
      a7 = FloatVector.fromArray(F, w, o + 7 * L).fma(xv, a7);
    }
    a0.intoArray(y, c0);
    a1.intoArray(y, c0 + L);
    a2.intoArray(y, c0 + 2 * L);
    a3.intoArray(y, c0 + 3 * L);
    a4.intoArray(y, c0 + 4 * L);
    a5.intoArray(y, c0 + 5 * L);
    a6.intoArray(y, c0 + 6 * L);
    a7.intoArray(y, c0 + 7 * L);
  }

  private static void panelBf16(float[] y, int c0, float[] init, int i0, int[] w, int o, float[] x, int xOff, int rows) {
    FloatVector a0 = FloatVector.fromArray(F, init, i0), a1 = FloatVector.fromArray(F, init, i0 + L),
        a2 = FloatVector.fromArray(F, init, i0 + 2 * L), a3 = FloatVector.fromArray(F, init, i0 + 3 * L),
        a4 = FloatVector.fromArray(F, init, i0 + 4 * L), a5 = FloatVector.fromArray(F, init, i0 + 5 * L),
        a6 = FloatVector.fromArray(F, init, i0 + 6 * L), a7 = FloatVector.fromArray(F, init, i0 + 7 * L);
    for (int r = 0; r < rows; r++, o += 4 * L) {
      FloatVector xv = FloatVector.broadcast(F, x[xOff + r]);
      IntVector v0 = IntVector.fromArray(I, w, o), v1 = IntVector.fromArray(I, w, o + L),
          v2 = IntVector.fromArray(I, w, o + 2 * L), v3 = IntVector.fromArray(I, w, o + 3 * L);
      a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(xv, a0);
      a1 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xv, a1);
      a2 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(xv, a2);
      a3 = v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xv, a3);
      a4 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(xv, a4);
      a5 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xv, a5);
      a6 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(xv, a6);
      a7 = v3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xv, a7);
    }
    a0.intoArray(y, c0);
    a1.intoArray(y, c0 + L);
    a2.intoArray(y, c0 + 2 * L);
    a3.intoArray(y, c0 + 3 * L);
    a4.intoArray(y, c0 + 4 * L);
    a5.intoArray(y, c0 + 5 * L);
    a6.intoArray(y, c0 + 6 * L);
    a7.intoArray(y, c0 + 7 * L);
  }

  // the scalar twin: the same chains, one column at a time
  private void wtxScalar(float[] y, int yOff, float[] init, int initOff, float[] x, int xOff, int p0, int p1) {
    for (int c = p0 * WIDTH; c < p1 * WIDTH; c++) {
      float acc = init[initOff + c];
      for (int r = 0; r < rows; r++) acc = Math.fma(weight(r, c), x[xOff + r], acc);
      y[yOff + c] = acc;
    }
  }
}
