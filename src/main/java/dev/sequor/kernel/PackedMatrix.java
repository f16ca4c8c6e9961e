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
 *
 * <p>A gate-interleaved matrix ({@link #ofTransposedInterleaved}) is B with its columns permuted so
 * that each panel of {@link #panel()} columns holds the same {@code panel()/groups} units of every
 * gate block: {@link #get}, the products and {@link #sourceColumn} all speak of the permuted B.
 */
public final class PackedMatrix {
  private final int k, n, groups;
  private final boolean transposed;
  private final float[] data;

  private PackedMatrix(int k, int n, boolean transposed, int groups) {
    Checks.nonNegative("k", k);
    Checks.nonNegative("n", n);
    if (groups != 1 && !canInterleave(n, groups))
      throw new IllegalArgumentException(groups + " interleaved groups need n (" + n + ") a multiple of " + groups
          + " whose blocks are multiples of " + SimdGemm.PANEL + "/" + groups);
    this.k = k;
    this.n = n;
    this.groups = groups;
    this.transposed = transposed;
    this.data = new float[SimdGemm.packedLength(k, n)];
  }

  /** Columns of one panel: products split by columns in multiples of it keep panels whole. */
  public static int panel() { return SimdGemm.PANEL; }

  /** Packs B (k,n) stored row-major at {@code off} with leading dimension {@code ld}. */
  public static PackedMatrix of(float[] b, int off, int ld, int k, int n) {
    PackedMatrix p = new PackedMatrix(k, n, false, 1);
    p.repack(b, off, ld);
    return p;
  }

  /**
   * Packs Wᵀ (k,n) for W (n,k) stored row-major at {@code off} with leading dimension {@code ld}: the
   * Linear forward {@code y = x Wᵀ} with W (out,in) becomes {@code Gemm.nn(y, x, packed)}.
   */
  public static PackedMatrix ofTransposed(float[] w, int off, int ld, int n, int k) {
    PackedMatrix p = new PackedMatrix(k, n, true, 1);
    p.repack(w, off, ld);
    return p;
  }

  /**
   * Packs Wᵀ (k,n) for W (n,k) as {@link #ofTransposed}, with the n columns gate-interleaved: W's rows are
   * {@code groups} blocks of n/groups (e.g. an LSTM's [i|f|g|o]) and panel q holds rows
   * [q·u, (q+1)·u) of every block in turn, u = {@link #panel()}/groups; n/groups must be a multiple of
   * u. A product then yields, in each panel's columns, all gates of u units: see {@link #sourceColumn}.
   */
  public static PackedMatrix ofTransposedInterleaved(float[] w, int off, int ld, int n, int k, int groups) {
    PackedMatrix p = new PackedMatrix(k, n, true, groups);
    p.repack(w, off, ld);
    return p;
  }

  /** Whether gate-interleaving {@code n} columns in {@code groups} blocks is possible: n/groups a multiple of panel()/groups. */
  public static boolean canInterleave(int n, int groups) {
    return groups >= 1 && groups <= SimdGemm.PANEL && SimdGemm.PANEL % groups == 0 && n % groups == 0 && (n / groups) % (SimdGemm.PANEL / groups) == 0;
  }

  /** The column of the unpermuted op(source) that column j of this B holds (j itself unless interleaved). */
  public int sourceColumn(int j) {
    if (groups == 1) return j;
    int u = SimdGemm.PANEL / groups, r = j % SimdGemm.PANEL;
    return (r / u) * (n / groups) + (j / SimdGemm.PANEL) * u + r % u;
  }

  /** Refreshes the packed copy from a source of the same shape and orientation as at creation. */
  public void repack(float[] src, int off, int ld) {
    if (transposed) Checks.matrix("W", src, off, ld, n, k);
    else Checks.matrix("B", src, off, ld, k, n);
    SimdGemm.pack(data, src, off, ld, transposed, groups, k, n);
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
