package dev.sequor.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stream's API contracts beyond cached = full recomputation (GptProperties), and config checks. */
class GptStreamTest {
  private static Gpt model() {
    Gpt gpt = new Gpt(new GptConfig(8, 2, 1, 4, true, false, 0f), 6);
    gpt.initialize(new SplittableRandom(1));
    return gpt;
  }

  @Test
  void refreshWeightsFollowsParameterChanges() {
    Gpt gpt = model();
    GptStream stream = gpt.openStream();
    float[] logits = new float[6], full = new float[6];
    stream.feed(new int[] {1, 2}, 0, 2, logits);
    float[] v = gpt.params().value;
    for (int i = 0; i < v.length; i++) v[i] *= 1.5f;
    stream.rewind(0);
    stream.refreshWeights();
    stream.feed(new int[] {1, 2, 3}, 0, 3, logits);
    float[] all = new float[3 * 6];
    gpt.logits(all, new int[] {1, 2, 3}, 1, 3);
    System.arraycopy(all, 12, full, 0, 6);
    Compare.identical("logits after refreshWeights", logits, full, 6);
  }

  @Test
  void rewindReplaysTheSameLogits() {
    GptStream stream = model().openStream();
    float[] a = new float[6], b = new float[6];
    stream.feed(new int[] {0, 5, 4}, 0, 3, a);
    stream.rewind(2);
    assertEquals(2, stream.position());
    stream.feed(4, b);
    Compare.identical("logits after rewind", b, a, 6);
    stream.feed(new int[] {1, 1}, 0, 2, a); // position 5 > context 4: the window slid
    assertEquals(4, stream.windowLength());
    assertThrows(IllegalArgumentException.class, () -> stream.rewind(1));
    stream.reset();
    assertEquals(0, stream.position());
    stream.feed(new int[] {0, 5, 4}, 0, 3, b);
    Compare.identical("logits after reset", b, a0(), 6);
  }

  private static float[] a0() {
    float[] a = new float[6];
    model().openStream().feed(new int[] {0, 5, 4}, 0, 3, a);
    return a;
  }

  /** One workspace serves training with and without dropout and evaluation, without stale masks. */
  @Test
  void reusedWorkspaceGivesTheSameGradients() {
    GptConfig cfg = new GptConfig(8, 2, 2, 4, true, true, 0.3f);
    Gpt used = new Gpt(cfg, 6), fresh = new Gpt(cfg, 6);
    used.initialize(new SplittableRandom(3));
    fresh.initialize(new SplittableRandom(3));
    int[] in = {1, 2, 3, 4, 5, 0, 1, 2}, tg = {2, 3, 4, 5, 0, 1, 2, 3};
    used.forwardBackward(in, tg, 2, 4, null, new SplittableRandom(9)); // with dropout masks
    double eval = used.lossSum(in, tg, 2, 4, null);
    used.params().zeroGrad();
    double a = used.forwardBackward(in, tg, 2, 4, null, null); // no dropout, same workspace
    double b = fresh.forwardBackward(in, tg, 2, 4, null, null);
    assertEquals(b, a);
    assertEquals(b * 8, eval, 1e-9 * Math.abs(eval), "evaluation on the training workspace");
    Compare.identical("gradients", used.params().grad, fresh.params().grad, fresh.params().size());
  }

  @Test
  void badInputsFailWithClearMessages() {
    Gpt gpt = model();
    var stream = gpt.openStream();
    var e = assertThrows(IllegalArgumentException.class, () -> stream.feed(6, new float[6]));
    assertTrue(e.getMessage().contains("outside vocabulary"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> stream.feed(1, new float[5]));
    var seq = assertThrows(IllegalArgumentException.class, () -> gpt.logits(new float[100], new int[5], 1, 5));
    assertTrue(seq.getMessage().contains("exceeds the model's context"), seq.getMessage());
    var heads = assertThrows(IllegalArgumentException.class, () -> new GptConfig(10, 4, 1, 4, true, true, 0f));
    assertTrue(heads.getMessage().contains("not divisible by heads"), heads.getMessage());
    assertEquals("{\"d_model\":8,\"heads\":2,\"layers\":1,\"context\":4,\"bias\":true,\"tied\":false}", gpt.configJson());
    assertEquals("gpt", gpt.arch());
  }
}
