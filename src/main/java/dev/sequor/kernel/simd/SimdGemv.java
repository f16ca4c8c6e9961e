package dev.sequor.kernel.simd;

import dev.sequor.kernel.ref.RefGemv;

/** Vector API GEMV. PLACEHOLDER: delegates to the reference until the SIMD kernel lands. */
public final class SimdGemv {
  private SimdGemv() {}

  public static void wx(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int rows, int cols) {
    RefGemv.wx(y, yOff, w, wOff, ldw, x, xOff, rows, cols);
  }

  public static void wtx(float[] y, int yOff, float[] w, int wOff, int ldw, float[] x, int xOff,
      int rows, int cols) {
    RefGemv.wtx(y, yOff, w, wOff, ldw, x, xOff, rows, cols);
  }
}
