package dev.sequor.kernel.simd;

import dev.sequor.kernel.ref.RefGemm;

/** Vector API GEMM. PLACEHOLDER: delegates to the reference until the packed micro-kernel lands. */
public final class SimdGemm {
  private SimdGemm() {}

  public static void nn(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    RefGemm.nn(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k);
  }

  public static void nt(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    RefGemm.nt(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k);
  }

  public static void tn(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    RefGemm.tn(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k);
  }
}
