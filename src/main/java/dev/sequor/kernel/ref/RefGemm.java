package dev.sequor.kernel.ref;

import dev.sequor.kernel.PackedMatrix;

/**
 * Scalar twins of {@link dev.sequor.kernel.Gemm}: the algorithmic reference. No checks (the facade
 * checks). Each output is one {@link Math#fma} chain over p in increasing order (Gemm's contract).
 */
public final class RefGemm {
  private RefGemm() {}

  // C (m,n) += A (m,k) · B (k,n)
  public static void nn(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) {
        float acc = c[cOff + i * ldc + j];
        for (int p = 0; p < k; p++) acc = Math.fma(a[aOff + i * lda + p], b[bOff + p * ldb + j], acc);
        c[cOff + i * ldc + j] = acc;
      }
  }

  // C (m,n) += A (m,k) · Bᵀ, B (n,k)
  public static void nt(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) {
        float acc = c[cOff + i * ldc + j];
        for (int p = 0; p < k; p++) acc = Math.fma(a[aOff + i * lda + p], b[bOff + j * ldb + p], acc);
        c[cOff + i * ldc + j] = acc;
      }
  }

  // C (m,n) += Aᵀ · B, A (k,m), B (k,n)
  public static void tn(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int m, int n, int k) {
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) {
        float acc = c[cOff + i * ldc + j];
        for (int p = 0; p < k; p++) acc = Math.fma(a[aOff + p * lda + i], b[bOff + p * ldb + j], acc);
        c[cOff + i * ldc + j] = acc;
      }
  }

  // C (m,n) += A (m,k) · B, B (k,n) pre-packed
  public static void nnPacked(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      PackedMatrix b, int m) {
    nnPackedColumns(c, cOff, ldc, a, aOff, lda, b, m, 0, b.cols());
  }

  // C (m, [j0,j1)) += A (m,k) · B (k, [j0,j1)), B packed
  public static void nnPackedColumns(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      PackedMatrix b, int m, int j0, int j1) {
    int k = b.rows();
    for (int i = 0; i < m; i++)
      for (int j = j0; j < j1; j++) {
        float acc = c[cOff + i * ldc + j];
        for (int p = 0; p < k; p++) acc = Math.fma(a[aOff + i * lda + p], b.get(p, j), acc);
        c[cOff + i * ldc + j] = acc;
      }
  }
}
