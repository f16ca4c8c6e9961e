package dev.sequor.kernel;

/**
 * Argument validation shared by every kernel entry point. Kernels check once at the facade, so that
 * a bad call fails with a message naming the operand and its shape, never deep inside a loop.
 */
public final class Checks {
  private Checks() {}

  /** Requires {@code n >= 0}. */
  public static void nonNegative(String what, int n) {
    if (n < 0) throw new IllegalArgumentException(what + " must be >= 0, got " + n);
  }

  /** Requires {@code a[off .. off+len)} to lie inside {@code a}. */
  public static void span(String what, float[] a, int off, long len) {
    if (a == null) throw new IllegalArgumentException(what + " is null");
    if (off < 0 || len < 0 || off + len > a.length)
      throw new IllegalArgumentException(
          what + ": span [" + off + ", " + (off + len) + ") outside array of length " + a.length);
  }

  /**
   * Requires a row-major {@code rows x cols} matrix with leading dimension {@code ld} starting at
   * {@code off} to lie inside {@code a}: element (r, c) is {@code a[off + r*ld + c]}.
   */
  public static void matrix(String what, float[] a, int off, int ld, int rows, int cols) {
    if (a == null) throw new IllegalArgumentException(what + " is null");
    if (rows < 0 || cols < 0)
      throw new IllegalArgumentException(what + ": negative shape (" + rows + ", " + cols + ")");
    if (ld < cols)
      throw new IllegalArgumentException(
          what + ": leading dimension " + ld + " < columns " + cols + " for shape (" + rows + ", " + cols + ")");
    if (rows == 0 || cols == 0) {
      if (off < 0 || off > a.length)
        throw new IllegalArgumentException(what + ": offset " + off + " outside array of length " + a.length);
      return;
    }
    long last = (long) off + (long) (rows - 1) * ld + cols;
    if (off < 0 || last > a.length)
      throw new IllegalArgumentException(
          what + ": (" + rows + ", " + cols + ") with ld " + ld + " at offset " + off
              + " needs " + last + " elements, array has " + a.length);
  }
}
