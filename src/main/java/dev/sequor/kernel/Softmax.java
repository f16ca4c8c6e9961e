package dev.sequor.kernel;

import dev.sequor.kernel.ref.RefSoftmax;
import dev.sequor.kernel.simd.SimdSoftmax;

/**
 * Row-wise softmax and log-softmax on a row-major (rows, cols) block (leading dimension = cols), with
 * their backward passes. Derivations: {@code math/softmax.md}. out may be x itself (same array and
 * offset); backward passes <b>accumulate</b> into dx.
 */
public final class Softmax {
  private Softmax() {}

  // out (rows,cols) = softmax over each row of x (rows,cols); out may alias x; math/softmax.md (1)–(3)
  public static void rows(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
    block("out", out, outOff, rows, cols);
    block("x", x, xOff, rows, cols);
    if (Engine.SCALAR) RefSoftmax.rows(out, outOff, x, xOff, rows, cols);
    else SimdSoftmax.rows(out, outOff, x, xOff, rows, cols);
  }

  /**
   * Causal softmax: row r may see columns {@code 0 .. firstPos + r} (inclusive); later columns get
   * exactly 0 and each row's visible part sums to 1. With a (T,T) score block, firstPos = 0; for a
   * cached decode of query positions starting at p over keys 0..p+rows-1, firstPos = p.
   * math/softmax.md (4)
   */
  public static void rowsCausal(float[] out, int outOff, float[] x, int xOff, int rows, int cols, int firstPos) {
    block("out", out, outOff, rows, cols);
    block("x", x, xOff, rows, cols);
    if (firstPos < 0 || (long) firstPos + rows > cols)
      throw new IllegalArgumentException(
          "causal softmax: rows " + rows + " from position " + firstPos + " need cols >= " + ((long) firstPos + rows) + ", got " + cols);
    if (Engine.SCALAR) RefSoftmax.rowsCausal(out, outOff, x, xOff, rows, cols, firstPos);
    else SimdSoftmax.rowsCausal(out, outOff, x, xOff, rows, cols, firstPos);
  }

  // dx (rows,cols) += y ⊙ (dy − rowsum(y ⊙ dy)), y the saved softmax output; math/softmax.md (6)
  public static void backward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
    block("dx", dx, dxOff, rows, cols);
    block("y", y, yOff, rows, cols);
    block("dy", dy, dyOff, rows, cols);
    if (Engine.SCALAR) RefSoftmax.backward(dx, dxOff, y, yOff, dy, dyOff, rows, cols);
    else SimdSoftmax.backward(dx, dxOff, y, yOff, dy, dyOff, rows, cols);
  }

  // out (rows,cols) = log softmax over each row of x, stable for huge logits; out may alias x; math/softmax.md (7)
  public static void logRows(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
    block("out", out, outOff, rows, cols);
    block("x", x, xOff, rows, cols);
    if (Engine.SCALAR) RefSoftmax.logRows(out, outOff, x, xOff, rows, cols);
    else SimdSoftmax.logRows(out, outOff, x, xOff, rows, cols);
  }

  // dx (rows,cols) += dy − softmax ⊙ rowsum(dy), y the saved log-softmax output; math/softmax.md (8)
  public static void logBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
    block("dx", dx, dxOff, rows, cols);
    block("y", y, yOff, rows, cols);
    block("dy", dy, dyOff, rows, cols);
    if (Engine.SCALAR) RefSoftmax.logBackward(dx, dxOff, y, yOff, dy, dyOff, rows, cols);
    else SimdSoftmax.logBackward(dx, dxOff, y, yOff, dy, dyOff, rows, cols);
  }

  private static void block(String what, float[] a, int off, int rows, int cols) {
    if (rows < 0 || cols < 0) throw new IllegalArgumentException(what + ": negative shape (" + rows + ", " + cols + ")");
    Checks.span(what, a, off, (long) rows * cols);
  }
}
