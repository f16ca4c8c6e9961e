package dev.sequor.rnn;

import dev.sequor.kernel.Checks;
import java.util.Arrays;

/** Row-level helpers for the recurrent layers: bias fills, transposes, finiteness guards. */
final class Rows {
  private Rows() {}

  // dst (rows, width) = src (width) broadcast, or zeros when src is null: the start of a GEMM chain
  static void fill(float[] dst, int dstOff, int rows, int width, float[] src, int srcOff) {
    if (src == null) {
      Arrays.fill(dst, dstOff, dstOff + rows * width, 0f);
      return;
    }
    for (int r = 0; r < rows; r++) System.arraycopy(src, srcOff, dst, dstOff + r * width, width);
  }

  // dst (cols, rows) = srcᵀ, src (rows, cols) at srcOff; blocked so both sides stay in cache
  static void transpose(float[] dst, int dstOff, float[] src, int srcOff, int rows, int cols) {
    final int blk = 32;
    for (int r0 = 0; r0 < rows; r0 += blk)
      for (int c0 = 0; c0 < cols; c0 += blk) {
        int r1 = Math.min(rows, r0 + blk), c1 = Math.min(cols, c0 + blk);
        for (int r = r0; r < r1; r++)
          for (int c = c0; c < c1; c++) dst[dstOff + c * rows + r] = src[srcOff + r * cols + c];
      }
  }

  /**
   * Requires a[off .. off+len) inside a; the message (what + shape) is built only on failure, so the
   * check costs nothing on a hot path.
   */
  static void span(String what, String shape, float[] a, int off, long len) {
    if (a == null || off < 0 || len < 0 || off + len > a.length)
      Checks.span(what + " " + shape, a, off, len); // throws with the full message
  }

  /** Throws naming the first NaN/Inf of x (n) at xOff, located as {@code where(index)} describes it. */
  static void requireFinite(String what, float[] x, int xOff, int n, java.util.function.IntFunction<String> where) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      if (!Float.isFinite(v)) throw new IllegalArgumentException(what + " is " + v + " at " + where.apply(i));
    }
  }
}
