package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequor.attention.ScaledDotProductAttention;
import dev.sequor.kernel.ref.RefCausalAttention;
import dev.sequor.kernel.simd.SimdCausalAttention;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused causal attention kernel against the general per-head {@link ScaledDotProductAttention}
 * (forward and backward, with and without dropout masks), its SIMD path against its scalar twin, its
 * KV-cached rows against its batched rows (bit for bit), and thread-count independence.
 * Shapes include head widths and lengths that are not multiples of the vector length.
 */
class CausalAttentionTest {
  /** Float round-off of sums of a few dozen terms of size ~1, with margin. */
  private static final double TOL = 2e-5;

  @ParameterizedTest(name = "B={0} NH={1} T={2} hd={3} dropout={4}")
  @CsvSource({"2, 3, 7, 5, false", "1, 2, 19, 16, false", "2, 2, 33, 32, true", "1, 1, 64, 33, false", "3, 4, 16, 20, true"})
  void matchesPerHeadAttention(int batch, int heads, int t, int hd, boolean dropout) {
    SplittableRandom rng = new SplittableRandom(batch * 1000 + heads * 100 + t * 10 + hd);
    int c = heads * hd, c3 = 3 * c, n = batch * t, size = batch * heads * t * t;
    float[] qkv = gaussian(rng, n * c3), dy = gaussian(rng, n * c);
    float[] mask = null;
    if (dropout) {
      mask = new float[size];
      for (int i = 0; i < size; i++) mask[i] = rng.nextDouble() < 0.2 ? 0f : 1.25f;
    }
    // fused
    float[] y = new float[n * c], probs = new float[size], dropped = dropout ? new float[size] : null;
    CausalAttention.forward(y, 0, c, probs, 0, dropped, 0, mask, 0, qkv, 0, batch, heads, t, hd);
    float[] dqkv = gaussian(rng, n * c3), dqkv0 = dqkv.clone();
    CausalAttention.backward(dqkv, 0, true, dy, 0, c, qkv, 0, probs, 0, dropped, 0, mask, 0, batch, heads, t, hd);
    // per head, the general kernel
    float[] yRef = new float[n * c], pRef = new float[size], dRef = dropout ? new float[size] : null, dqkvRef = dqkv0.clone();
    float[] dP = new float[t * t], dS = new float[t * t];
    for (int b = 0; b < batch; b++)
      for (int h = 0; h < heads; h++) {
        int rows = b * t * c3, slot = (b * heads + h) * t * t;
        ScaledDotProductAttention.forward(yRef, b * t * c + h * hd, c, pRef, slot, dRef, slot, mask, slot,
            qkv, rows + h * hd, c3, qkv, rows + c + h * hd, c3, qkv, rows + 2 * c + h * hd, c3, true, 0, null, 0, t, t, hd);
        ScaledDotProductAttention.backward(dqkvRef, rows + h * hd, c3, dqkvRef, rows + c + h * hd, c3, dqkvRef, rows + 2 * c + h * hd, c3,
            dP, 0, dS, 0, dy, b * t * c + h * hd, c, qkv, rows + h * hd, c3, qkv, rows + c + h * hd, c3, qkv, rows + 2 * c + h * hd, c3,
            pRef, slot, dRef, slot, mask, slot, t, t, hd);
      }
    close("y", yRef, y);
    close("probs", pRef, probs);
    for (int i = 0; i < size; i++) if (pRef[i] == 0f && (i % t) > (i / t) % t) assertEquals(0f, probs[i], "future key weight");
    if (dropout) close("dropped", dRef, dropped);
    close("dqkv", dqkvRef, dqkv);
  }

  @ParameterizedTest(name = "T={0} hd={1}")
  @CsvSource({"5, 3", "17, 16", "40, 32", "64, 33"})
  void simdMatchesScalarTwin(int t, int hd) {
    SplittableRandom rng = new SplittableRandom(t * 31 + hd);
    int ld = 3 * hd, tp = SimdCausalAttention.padded(t);
    float[] qkv = gaussian(rng, t * ld), dy = gaussian(rng, t * hd);
    float scale = CausalAttention.scale(hd);
    float[] kT = new float[hd * tp], row = new float[SimdCausalAttention.rowScratch(tp)];
    SimdCausalAttention.transpose(kT, tp, qkv, hd, ld, t, hd);
    float[] y1 = new float[t * hd], p1 = new float[t * t], y2 = new float[t * hd], p2 = new float[t * t];
    SimdCausalAttention.forward(y1, 0, hd, p1, 0, t, null, 0, null, 0, qkv, 0, ld, kT, tp, qkv, 2 * hd, ld, 0, t, hd, scale, row);
    RefCausalAttention.forward(y2, 0, hd, p2, 0, t, null, 0, null, 0, qkv, 0, ld, kT, tp, qkv, 2 * hd, ld, 0, t, hd, scale, row);
    close("y", y2, y1);
    close("probs", p2, p1);
    float[] g1 = new float[t * ld], g2 = new float[t * ld], vT = new float[hd * tp], dS = new float[t * tp];
    SimdCausalAttention.backward(g1, 0, g1, hd, g1, 2 * hd, ld, dy, 0, hd, qkv, 0, qkv, hd, qkv, 2 * hd, ld,
        p1, 0, t, null, 0, null, 0, t, hd, scale, true, vT, tp, row, dS);
    RefCausalAttention.backward(g2, 0, g2, hd, g2, 2 * hd, ld, dy, 0, hd, qkv, 0, qkv, hd, qkv, 2 * hd, ld,
        p1, 0, t, null, 0, null, 0, t, hd, scale, true, vT, tp, row, dS);
    close("dqkv", g2, g1);
  }

  /** Rows computed against a KV cache (keys transposed), in any split, equal the batched rows bit for bit. */
  @ParameterizedTest(name = "T={0} hd={1}")
  @CsvSource({"9, 4", "21, 16", "64, 32"})
  void cachedRowsEqualBatchedRows(int t, int hd) {
    SplittableRandom rng = new SplittableRandom(t + 7 * hd);
    int heads = 2, c = heads * hd, c3 = 3 * c, cap = t + 3;
    float[] qkv = gaussian(rng, t * c3);
    float[] y = new float[t * c];
    CausalAttention.forward(y, 0, c, null, 0, null, 0, null, 0, qkv, 0, 1, heads, t, hd);
    float[] kT = new float[c * cap], v = new float[cap * c];
    for (int j = 0; j < t; j++)
      for (int d = 0; d < c; d++) {
        kT[d * cap + j] = qkv[j * c3 + c + d];
        v[j * c + d] = qkv[j * c3 + 2 * c + d];
      }
    float[] yc = new float[t * c];
    int split = t / 3;
    for (int h = 0; h < heads; h++) {
      CausalAttention.forwardCached(yc, h * hd, c, qkv, h * hd, c3, kT, h * hd * cap, cap, v, h * hd, c, 0, split, hd);
      for (int i = split; i < t; i++) // then one row at a time, as decoding does
        CausalAttention.forwardCached(yc, i * c + h * hd, c, qkv, i * c3 + h * hd, c3, kT, h * hd * cap, cap, v, h * hd, c, i, 1, hd);
    }
    assertArrayEquals(y, yc);
  }

  @ParameterizedTest(name = "threads={0}")
  @CsvSource({"1", "3"})
  void resultsDoNotDependOnThreads(int threads) {
    SplittableRandom rng = new SplittableRandom(5);
    int batch = 3, heads = 2, t = 24, hd = 16, c = heads * hd, n = batch * t, size = batch * heads * t * t;
    float[] qkv = gaussian(rng, n * 3 * c), dy = gaussian(rng, n * c);
    float[][] one = run(qkv, dy, batch, heads, t, hd, size, 2);
    float[][] other = run(qkv, dy, batch, heads, t, hd, size, threads);
    for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], other[i]);
  }

  @org.junit.jupiter.api.Test
  void badArgumentsSayWhatIsWrong() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CausalAttention.forward(new float[8], 0, 4, new float[4], 0, null, 0, null, 0, new float[24], 0, 1, 2, 2, 0));
    assertTrue(e.getMessage().contains("hd"), e.getMessage());
    var span = assertThrows(IllegalArgumentException.class,
        () -> CausalAttention.forward(new float[8], 0, 4, new float[8], 0, null, 0, null, 0, new float[20], 0, 1, 2, 2, 2));
    assertTrue(span.getMessage().contains("qkv"), span.getMessage());
  }

  private static float[][] run(float[] qkv, float[] dy, int batch, int heads, int t, int hd, int size, int threads) {
    int before = WorkerPool.threads();
    WorkerPool.setThreads(threads);
    try {
      int c = heads * hd, n = batch * t;
      float[] y = new float[n * c], probs = new float[size], dqkv = new float[n * 3 * c];
      java.util.Arrays.fill(dqkv, Float.NaN); // overwritten, not accumulated
      CausalAttention.forward(y, 0, c, probs, 0, null, 0, null, 0, qkv, 0, batch, heads, t, hd);
      CausalAttention.backward(dqkv, 0, false, dy, 0, c, qkv, 0, probs, 0, null, 0, null, 0, batch, heads, t, hd);
      return new float[][] {y, probs, dqkv};
    } finally {
      WorkerPool.setThreads(before);
    }
  }

  private static void close(String what, float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i], a = actual[i];
      if (Math.abs(e - a) > TOL * (1 + Math.abs(e))) throw new AssertionError(what + "[" + i + "]: expected " + e + ", got " + a);
    }
  }

  private static float[] gaussian(SplittableRandom rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
    return a;
  }
}
