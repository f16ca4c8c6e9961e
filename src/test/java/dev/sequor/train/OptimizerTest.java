package dev.sequor.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.tensor.ParamStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OptimizerTest {
  /** A matrix (decays) of 7x5 = 35 elements — not a multiple of any vector length — and a bias of 3. */
  static ParamStore store(long seed) {
    ParamStore.Builder b = ParamStore.builder();
    b.add("w", 7, 5);
    b.add("b", 3);
    ParamStore p = b.build();
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < p.size(); i++) p.value[i] = (float) r.nextGaussian();
    return p;
  }

  static void randomGrad(ParamStore p, SplittableRandom r) {
    for (int i = 0; i < p.size(); i++) p.grad[i] = (float) r.nextGaussian();
  }

  /** PyTorch's AdamW / Adam(L2) in plain float arithmetic, element by element. */
  static void referenceAdam(float[] p, float[] g, float[] m, float[] v, boolean[] decays, long t, float lr,
      float b1, float b2, float eps, float wd, boolean decoupled) {
    double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
    float stepSize = (float) (lr / bc1), bc2Sqrt = (float) Math.sqrt(bc2);
    for (int i = 0; i < p.length; i++) {
      float w = decays[i] ? wd : 0f;
      float gi = decoupled ? g[i] : g[i] + p[i] * w;
      float pi = decoupled ? p[i] * (1f - lr * w) : p[i];
      m[i] = m[i] * b1 + gi * (1f - b1);
      v[i] = v[i] * b2 + gi * gi * (1f - b2);
      p[i] = pi + m[i] / ((float) Math.sqrt(v[i]) / bc2Sqrt + eps) * -stepSize;
    }
  }

  @Test
  void adamWAndAdamMatchPyTorchArithmeticBitForBit() {
    for (boolean decoupled : new boolean[] {true, false}) {
      ParamStore p = store(1);
      float[] ref = p.value.clone(), m = new float[p.size()], v = new float[p.size()];
      boolean[] decays = new boolean[p.size()];
      java.util.Arrays.fill(decays, 0, 35, true);
      Adam opt = new Adam(p, 0.9f, 0.99f, 1e-8f, 0.1f, decoupled);
      SplittableRandom r = new SplittableRandom(2);
      for (int t = 1; t <= 5; t++) {
        randomGrad(p, r);
        float lr = 1e-2f * t;
        referenceAdam(ref, p.grad, m, v, decays, t, lr, 0.9f, 0.99f, 1e-8f, 0.1f, decoupled);
        opt.step(lr);
        assertArrayEquals(ref, p.value, "step " + t + (decoupled ? " adamw" : " adam"));
      }
      assertEquals(5, opt.steps());
      assertArrayEquals(m, opt.state().get("exp_avg"));
    }
  }

  @Test
  void weightDecayTouchesOnlyMatrices() {
    ParamStore p = store(3);
    float[] before = p.value.clone();
    new Adam(p, 0.9f, 0.99f, 1e-8f, 0.5f, true).step(0.1f); // zero gradients: only the decay moves values
    for (int i = 0; i < 35; i++) assertEquals(before[i] * (1f - 0.1f * 0.5f), p.value[i]);
    for (int i = 35; i < 38; i++) assertEquals(before[i], p.value[i]);
  }

  @Test
  void sgdMomentumFollowsPyTorch() {
    ParamStore p = store(4);
    float[] ref = p.value.clone(), buf = new float[p.size()];
    SgdMomentum opt = new SgdMomentum(p, 0.9f, 0.01f);
    SplittableRandom r = new SplittableRandom(5);
    for (int t = 0; t < 4; t++) {
      randomGrad(p, r);
      for (int i = 0; i < ref.length; i++) {
        float d = i < 35 ? p.grad[i] + ref[i] * 0.01f : p.grad[i];
        buf[i] = t == 0 ? d : buf[i] * 0.9f + d;
        ref[i] = ref[i] + buf[i] * -0.05f;
      }
      opt.step(0.05f);
      assertArrayEquals(ref, p.value);
    }
  }

  @Test
  void stateRestoresExactly() {
    ParamStore a = store(6), b = store(6);
    Adam oa = new Adam(a, 0.9f, 0.999f, 1e-8f, 0f, false);
    SplittableRandom r = new SplittableRandom(7);
    for (int t = 0; t < 3; t++) {
      randomGrad(a, r);
      oa.step(0.01f);
    }
    System.arraycopy(a.value, 0, b.value, 0, a.size());
    Adam ob = new Adam(b, 0.9f, 0.999f, 1e-8f, 0f, false);
    ob.restore(oa.steps(), oa.state());
    randomGrad(a, r);
    System.arraycopy(a.grad, 0, b.grad, 0, a.size());
    oa.step(0.01f);
    ob.step(0.01f);
    assertArrayEquals(a.value, b.value);
    assertThrows(IllegalArgumentException.class, () -> ob.restore(1, java.util.Map.of("exp_avg", new float[3], "exp_avg_sq", new float[3])));
  }

  @Test
  void clippingScalesToTheGlobalNorm() {
    ParamStore p = store(8);
    java.util.Arrays.fill(p.grad, 0f);
    p.grad[0] = 3f;
    p.grad[36] = 4f; // norm 5, across two tensors
    assertEquals(5.0, GradClip.clip(p, 1.0), 1e-12);
    assertEquals(1.0, GradClip.norm(p), 1e-5);
    assertEquals(3f / 5, p.grad[0], 1e-6f);
    p.grad[0] = 0.3f;
    p.grad[36] = 0.4f;
    GradClip.clip(p, 1.0);
    assertEquals(0.3f, p.grad[0], "below the limit: untouched");
    p.grad[1] = Float.NaN;
    assertTrue(Double.isNaN(GradClip.clip(p, 1.0)));
  }

  @Test
  void scheduleWarmsUpThenDecaysToTheFloor() {
    LrSchedule s = new LrSchedule(1e-3, 1e-4, 100, 2000);
    assertEquals(1e-3 / 101, s.at(0), 1e-15);
    assertEquals(1e-3 * 100 / 101, s.at(99), 1e-15);
    assertEquals(1e-3, s.at(100), 1e-15);
    assertEquals(0.55e-3, s.at(1050), 1e-12);
    assertEquals(1e-4, s.at(2000), 1e-15);
    for (int i = 101; i < 2000; i++) assertTrue(s.at(i) <= s.at(i - 1));
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule(0, 0, 0, 1));
  }
}
