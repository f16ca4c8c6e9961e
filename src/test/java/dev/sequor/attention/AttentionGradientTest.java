package dev.sequor.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sequor.transformer.GradCheck;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Central-difference checks of scaled dot-product and multi-head attention, with and without masks. */
class AttentionGradientTest {
  /** Strided q, k, v (leading dimension hd + 2) so head slices inside wider buffers are exercised. */
  @ParameterizedTest(name = "t={0} s={1} hd={2} causal={3} pad={4} dropout={5}")
  @CsvSource({
      "5, 5, 3, true, '', false",
      "4, 6, 3, false, '', false",
      "5, 5, 4, true, '0 3', false",   // row 0 sees only key 0, padded: a fully masked row
      "4, 6, 2, false, '1 4', false",
      "5, 5, 3, true, '', true",
      "3, 7, 5, true, '2', false"      // three query rows at positions 4..6 over 7 keys (cached decode)
  })
  void sdpaMatchesCentralDifferences(int t, int s, int hd, boolean causal, String pad, boolean dropout) {
    SplittableRandom rng = new SplittableRandom(t * 31 + s * 7 + hd);
    int ld = hd + 2, firstPos = causal ? s - t : 0;
    float[] q = GradCheck.random(rng, t * ld, 1.5), k = GradCheck.random(rng, s * ld, 1.5), v = GradCheck.random(rng, s * ld, 1);
    boolean[] keyPad = null;
    if (!pad.isEmpty()) {
      keyPad = new boolean[s + 1]; // offset 1: the padding mask is read at padOff
      for (String j : pad.split(" ")) keyPad[1 + Integer.parseInt(j)] = true;
    }
    float[] mask = null;
    if (dropout) {
      mask = new float[t * s];
      Dropout.fillMask(mask, 0, t * s, 0.3f, rng);
    }
    float[] r = GradCheck.random(rng, t * hd, 1);
    float[] y = new float[t * ld], probs = new float[t * s], dropped = dropout ? new float[t * s] : null;
    boolean[] kp = keyPad;
    float[] m = mask;
    Runnable fwd = () -> ScaledDotProductAttention.forward(y, 0, ld, probs, 0, dropped, 0, m, 0,
        q, 0, ld, k, 0, ld, v, 0, ld, causal, firstPos, kp, 1, t, s, hd);
    java.util.function.DoubleSupplier loss = () -> {
      fwd.run();
      double sum = 0;
      for (int i = 0; i < t; i++) for (int j = 0; j < hd; j++) sum += (double) y[i * ld + j] * r[i * hd + j];
      return sum;
    };
    fwd.run();
    for (float f : y) assertFalse(Float.isNaN(f), "NaN in attention output");
    float[] dy = new float[t * ld];
    for (int i = 0; i < t; i++) System.arraycopy(r, i * hd, dy, i * ld, hd);
    float[] dq = new float[t * ld], dk = new float[s * ld], dv = new float[s * ld];
    ScaledDotProductAttention.backward(dq, 0, ld, dk, 0, ld, dv, 0, ld, new float[t * s], 0, new float[t * s], 0,
        dy, 0, ld, q, 0, ld, k, 0, ld, v, 0, ld, probs, 0, dropped, 0, m, 0, t, s, hd);
    GradCheck.check("dq", q, 0, dq, 0, q.length, loss);
    GradCheck.check("dk", k, 0, dk, 0, k.length, loss);
    GradCheck.check("dv", v, 0, dv, 0, v.length, loss);
  }

  @Test
  void fullyMaskedRowGivesZeroOutputAndNoNaN() {
    int t = 3, s = 3, hd = 2;
    float[] q = {1, 2, 3, 4, 5, 6}, k = {1, 0, 0, 1, 1, 1}, v = {7, 8, 9, 10, 11, 12};
    boolean[] pad = {true, false, false};
    float[] y = new float[t * hd], probs = new float[t * s];
    Arrays.fill(y, Float.NaN);
    ScaledDotProductAttention.forward(y, 0, hd, probs, 0, null, 0, null, 0, q, 0, hd, k, 0, hd, v, 0, hd,
        true, 0, pad, 0, t, s, hd);
    assertEquals(0f, y[0]);
    assertEquals(0f, y[1]);
    assertEquals(0f, probs[0]); // row 0 sees only key 0, which is padded
    assertEquals(0f, probs[3]); // padded key 0 gets exactly zero weight in row 1
    assertEquals(1f, probs[4]); // row 1's only unpadded visible key
    assertEquals(v[2], y[2]);
    assertEquals(v[3], y[3]);
  }

  @ParameterizedTest(name = "C={0} heads={1} bias={2} padded={3}")
  @CsvSource({"10, 5, true, false", "12, 3, false, true", "8, 1, true, true"})
  void multiHeadMatchesCentralDifferences(int c, int heads, boolean bias, boolean padded) {
    SplittableRandom rng = new SplittableRandom(c * 100 + heads);
    int batch = 2, t = 3, n = batch * t;
    int wQkv = 0, bQkv = bias ? 3 * c * c : Linear.NO_BIAS;
    int wProj = 3 * c * c + (bias ? 3 * c : 0), bProj = bias ? wProj + c * c : Linear.NO_BIAS;
    int size = wProj + c * c + (bias ? c : 0);
    float[] p = GradCheck.random(rng, size, 0.5), x = GradCheck.random(rng, n * c, 1), r = GradCheck.random(rng, n * c, 1);
    boolean[] keyPad = padded ? new boolean[] {false, true, false, false, false, true} : null;
    MultiHeadAttention mha = new MultiHeadAttention(c, heads, wQkv, bQkv, wProj, bProj);
    float[] out = new float[n * c], qkv = new float[n * 3 * c], yh = new float[n * c];
    float[] probs = new float[MultiHeadAttention.probsSize(batch, heads, t)];
    Runnable fwd = () -> mha.forward(out, 0, qkv, 0, yh, 0, probs, 0, t * t, null, 0, null, 0, x, 0, p, true, keyPad, batch, t, 0f, null);
    java.util.function.DoubleSupplier loss = () -> { fwd.run(); return GradCheck.dot(out, 0, r, n * c); };
    fwd.run();
    float[] dx = new float[n * c], g = new float[size];
    mha.backward(dx, 0, g, new float[n * 3 * c], 0, new float[n * c], 0, new float[t * t], 0, new float[t * t], 0,
        r, 0, x, 0, qkv, 0, yh, 0, probs, 0, null, 0, null, 0, p, true, keyPad, batch, t);
    GradCheck.check("dx", x, 0, dx, 0, x.length, loss);
    GradCheck.check("dparams", p, 0, g, 0, size, loss);
  }
}
