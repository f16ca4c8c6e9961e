package dev.sequor.kernel;

import dev.sequor.kernel.simd.SimdGemm;

/**
 * A right-hand GEMM operand B (k,n) copied once into the micro-kernel's panel layout, so repeated
 * products with the same weights ({@link Gemm#nn(float[], int, int, float[], int, int, PackedMatrix, int)})
 * skip the per-call packing — which for a recurrent step (m = 1) with a weight W (out,in) used as
 * Wᵀ would cost as much as the product. After the source changes (an optimizer step), call
 * {@link #repack} to refresh it without allocating.
 *
 * <p>Products with a packed B follow Gemm's summation-order contract and equal the unpacked call bit
 * for bit. The layout is private to the engine.
 */
public final class PackedMatrix {
  private final int k, n;
  private final boolean transposed;
  private final float[] data;

  private PackedMatrix(int k, int n, boolean transposed) {
    Checks.nonNegative("k", k);
    Checks.nonNegative("n", n);
    this.k = k;
    this.n = n;
    this.transposed = transposed;
    this.data = new float[SimdGemm.packedLength(k, n)];
  }

  /** Packs B (k,n) stored row-major at {@code off} with leading dimension {@code ld}. */
  public static PackedMatrix of(float[] b, int off, int ld, int k, int n) {
    PackedMatrix p = new PackedMatrix(k, n, false);
    p.repack(b, off, ld);
    return p;
  }

  /**
   * Packs Wᵀ (k,n) for W (n,k) stored row-major at {@code off} with leading dimension {@code ld}: the
   * Linear forward {@code y = x Wᵀ} with W (out,in) becomes {@code Gemm.nn(y, x, packed)}.
   */
  public static PackedMatrix ofTransposed(float[] w, int off, int ld, int n, int k) {
    PackedMatrix p = new PackedMatrix(k, n, true);
    p.repack(w, off, ld);
    return p;
  }

  /** Refreshes the packed copy from a source of the same shape and orientation as at creation. */
  public void repack(float[] src, int off, int ld) {
    if (transposed) Checks.matrix("W", src, off, ld, n, k);
    else Checks.matrix("B", src, off, ld, k, n);
    SimdGemm.pack(data, src, off, ld, transposed, k, n);
  }

  /** Rows of B (the product's k). */
  public int rows() { return k; }

  /** Columns of B (the product's n). */
  public int cols() { return n; }

  /** B[p, j]: for the scalar reference path and tests. */
  public float get(int p, int j) {
    if (p < 0 || p >= k || j < 0 || j >= n)
      throw new IllegalArgumentException("(" + p + ", " + j + ") outside (" + k + ", " + n + ")");
    return data[(j / SimdGemm.PANEL) * k * SimdGemm.PANEL + p * SimdGemm.PANEL + j % SimdGemm.PANEL];
  }

  /** The panel-layout floats, for the kernels only. */
  float[] data() { return data; }
}
