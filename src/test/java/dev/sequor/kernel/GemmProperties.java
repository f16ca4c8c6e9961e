package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import net.jqwik.api.*;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/** Algebraic properties of the GEMM facade on random shapes (small tries: the suite has a time budget). */
class GemmProperties {
  private int savedThreads;

  @BeforeProperty
  void saveThreads() { savedThreads = WorkerPool.threads(); }

  @AfterProperty
  void restoreThreads() { WorkerPool.setThreads(savedThreads); }

  static float[] random(long seed, int n) {
    Random rnd = new Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = rnd.nextFloat() * 2 - 1;
    return a;
  }

  /** (αA₁ + A₂)·B = α(A₁·B) + A₂·B within {@link GemmTolerance#dot}: different roundings, same maths. */
  @Property(tries = 40)
  void linearInA(@ForAll("dim") int m, @ForAll("dim") int n, @ForAll("dim") int k,
      @ForAll("scale") float alpha, @ForAll long seed) {
    float[] a1 = random(seed, m * k), a2 = random(seed + 1, m * k), b = random(seed + 2, k * n);
    float[] mix = new float[m * k];
    for (int i = 0; i < mix.length; i++) mix[i] = alpha * a1[i] + a2[i];
    float[] left = new float[m * n], p1 = new float[m * n], p2 = new float[m * n];
    Gemm.nn(left, 0, n, mix, 0, k, b, 0, n, m, n, k);
    Gemm.nn(p1, 0, n, a1, 0, k, b, 0, n, m, n, k);
    Gemm.nn(p2, 0, n, a2, 0, k, b, 0, n, m, n, k);
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) {
        double abs = 0;
        for (int p = 0; p < k; p++)
          abs += (Math.abs(alpha * a1[i * k + p]) + Math.abs(a2[i * k + p])) * Math.abs(b[p * n + j]);
        float right = alpha * p1[i * n + j] + p2[i * n + j];
        assertEquals(right, left[i * n + j], GemmTolerance.dot(k + 2, abs), "(" + i + "," + j + ")");
      }
  }

  /**
   * (AB)ᵀ = BᵀAᵀ. Computing BᵀAᵀ with {@code tn} (B as the transposed left operand, A as the
   * transposed right one) multiplies the same pairs in the same p order, so under Gemm's FMA-chain
   * contract the equality is exact, which is what this checks (stronger than any tolerance).
   */
  @Property(tries = 40)
  void transposeOfProduct(@ForAll("dim") int m, @ForAll("dim") int n, @ForAll("dim") int k, @ForAll long seed) {
    float[] a = random(seed, m * k), b = random(seed + 1, k * n);
    float[] ab = new float[m * n];
    Gemm.nn(ab, 0, n, a, 0, k, b, 0, n, m, n, k);
    // Bᵀ (n,k) · Aᵀ (k,m): tn takes its left operand stored (k, n) = B, its right (k, m) = Aᵀ.
    float[] at = new float[k * m];
    for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) at[p * m + i] = a[i * k + p];
    float[] btat = new float[n * m];
    Gemm.tn(btat, 0, m, b, 0, n, at, 0, m, n, m, k);
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) assertEquals(ab[i * n + j], btat[j * m + i], 0f, "(" + i + "," + j + ")");
    // And through nt: C (n,m) = Bᵀ · (A)ᵀ with Bᵀ materialised.
    float[] bt = new float[n * k];
    for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) bt[j * k + p] = b[p * n + j];
    float[] viaNt = new float[n * m];
    Gemm.nt(viaNt, 0, m, bt, 0, k, a, 0, k, n, m, k);
    assertArrayEquals(btat, viaNt);
  }

  /** Any thread count gives the same bits (shapes large enough to be split). */
  @Property(tries = 12)
  void threadCountIndependent(@ForAll("big") int m, @ForAll("big") int n, @ForAll("dim") int k,
      @ForAll("threads") int threads, @ForAll("op") int op, @ForAll long seed) {
    float[] a = random(seed, m * k), b = random(seed + 1, Math.max(k * n, n * k)), c0 = random(seed + 2, m * n);
    float[] one = c0.clone(), many = c0.clone();
    WorkerPool.setThreads(1);
    run(op, one, a, b, m, n, k);
    WorkerPool.setThreads(threads);
    run(op, many, a, b, m, n, k);
    assertArrayEquals(one, many);
  }

  static void run(int op, float[] c, float[] a, float[] b, int m, int n, int k) {
    switch (op) {
      case 0 -> Gemm.nn(c, 0, n, a, 0, k, b, 0, n, m, n, k);
      case 1 -> Gemm.nt(c, 0, n, a, 0, k, b, 0, k, m, n, k);
      default -> Gemm.tn(c, 0, n, a, 0, m, b, 0, n, m, n, k);
    }
  }

  @Provide
  Arbitrary<Integer> dim() { return Arbitraries.integers().between(1, 80).edgeCases(e -> e.includeOnly(1, 80)); }

  @Provide
  Arbitrary<Integer> big() { return Arbitraries.integers().between(1, 400); }

  @Provide
  Arbitrary<Integer> threads() { return Arbitraries.integers().between(2, 4); }

  @Provide
  Arbitrary<Integer> op() { return Arbitraries.integers().between(0, 2); }

  @Provide
  Arbitrary<Float> scale() { return Arbitraries.floats().between(-4f, 4f); }
}
