package dev.sequor.rnn;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.kernel.CrossEntropy;
import dev.sequor.model.LanguageModel;
import dev.sequor.model.TokenStream;
import dev.sequor.tensor.ParamStore;
import dev.sequor.tensor.ParamTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecurrentLmTest {
  static final int V = 7;

  private static RecurrentLM model(String cell, String nl, int layers, float dropout, long seed) {
    RecurrentLM lm = new RecurrentLM(new RecurrentLmConfig(cell, nl, 3, 5, layers, dropout), V);
    lm.initialize(new SplittableRandom(seed));
    return lm;
  }

  private static int[] tokens(int n, SplittableRandom rng) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) t[i] = rng.nextInt(V);
    return t;
  }

  @Test
  void tensorNamesShapesAndConfig() {
    RecurrentLM lm = new RecurrentLM(new RecurrentLmConfig("lstm", null, 16, 32, 2, 0f), 65);
    List<String> names = new ArrayList<>();
    for (ParamTensor t : lm.params().tensors()) names.add(t.name() + t.shapeString());
    assertEquals(List.of("embed.weight[65, 16]",
        "rnn.weight_ih_l0[128, 16]", "rnn.weight_hh_l0[128, 32]", "rnn.bias_ih_l0[128]", "rnn.bias_hh_l0[128]",
        "rnn.weight_ih_l1[128, 32]", "rnn.weight_hh_l1[128, 32]", "rnn.bias_ih_l1[128]", "rnn.bias_hh_l1[128]",
        "head.weight[65, 32]", "head.bias[65]"), names);
    assertEquals("lstm", lm.arch());
    assertEquals("{\"embed\":16,\"hidden\":32,\"layers\":2}", lm.configJson());
    RecurrentLM rnn = new RecurrentLM(new RecurrentLmConfig("rnn", "relu", 4, 8, 1, 0f), 10);
    assertEquals("rnn", rnn.arch());
    assertEquals("{\"embed\":4,\"hidden\":8,\"layers\":1,\"nonlinearity\":\"relu\"}", rnn.configJson());
    assertEquals("{\"embed\":4,\"hidden\":8,\"layers\":1,\"nonlinearity\":\"tanh\"}",
        new RecurrentLM(new RecurrentLmConfig("rnn", null, 4, 8, 1, 0f), 10).configJson());
    assertEquals(24 * 4, new RecurrentLM(new RecurrentLmConfig("gru", null, 4, 8, 1, 0f), 10).params().get("rnn.weight_ih_l0").size());
  }

  @Test
  void initializationFollowsPyTorchDefaults() {
    RecurrentLM lm = new RecurrentLM(new RecurrentLmConfig("gru", null, 64, 100, 1, 0f), 50);
    lm.initialize(new SplittableRandom(3));
    ParamStore s = lm.params();
    double sum = 0, sq = 0;
    ParamTensor e = s.get("embed.weight");
    for (int i = 0; i < e.size(); i++) {
      sum += s.value[e.offset() + i];
      sq += (double) s.value[e.offset() + i] * s.value[e.offset() + i];
    }
    assertEquals(0, sum / e.size(), 0.05, "embedding mean");
    assertEquals(1, Math.sqrt(sq / e.size()), 0.05, "embedding std");
    for (String name : List.of("rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_hh_l0", "head.weight", "head.bias")) {
      ParamTensor t = s.get(name);
      float max = 0;
      for (int i = 0; i < t.size(); i++) max = Math.max(max, Math.abs(s.value[t.offset() + i]));
      assertTrue(max <= 0.1f && max > 0.09f, name + ": max |w| = " + max + ", expected just under 1/sqrt(100)");
    }
    RecurrentLM again = new RecurrentLM(new RecurrentLmConfig("gru", null, 64, 100, 1, 0f), 50);
    again.initialize(new SplittableRandom(3));
    assertArrayEquals(s.value, again.params().value, "same seed, same weights");
  }

  /** Central differences of the mean loss returned by forwardBackward (dropout mask fixed by the seed). */
  @ParameterizedTest
  @ValueSource(strings = {"rnn", "gru", "lstm"})
  void gradientOfTheMeanLoss(String cell) {
    RecurrentLM lm = model(cell, null, 2, 0.25f, 5);
    SplittableRandom rng = new SplittableRandom(9);
    int batch = 2, seq = 4;
    int[] in = tokens(batch * seq, rng), tg = tokens(batch * seq, rng);
    ParamStore s = lm.params();
    s.zeroGrad();
    lm.forwardBackward(in, tg, batch, seq, null, new SplittableRandom(77));
    float[] analytic = s.grad.clone();
    float eps = 3e-3f;
    int checked = 0;
    for (int i = 0; i < s.size(); i++) {
      float old = s.value[i];
      s.value[i] = old + eps;
      double plus = lm.forwardBackward(in, tg, batch, seq, null, new SplittableRandom(77));
      s.value[i] = old - eps;
      double minus = lm.forwardBackward(in, tg, batch, seq, null, new SplittableRandom(77));
      s.value[i] = old;
      double numeric = (plus - minus) / (2 * eps);
      assertEquals(analytic[i], numeric, 5e-4 + 1e-2 * Math.abs(analytic[i]), cell + " parameter " + i);
      checked++;
    }
    assertEquals(s.size(), checked);
  }

  /** Truncated BPTT: windows continued through a carry see the same states as one long window. */
  @ParameterizedTest
  @ValueSource(strings = {"rnn", "gru", "lstm"})
  void carryContinuesTheSequence(String cell) {
    RecurrentLM lm = model(cell, null, 2, 0f, 6);
    SplittableRandom rng = new SplittableRandom(10);
    int batch = 3, seq = 6;
    int[] in = tokens(batch * 2 * seq, rng), tg = tokens(batch * 2 * seq, rng);
    double whole = lm.lossSum(in, tg, batch, 2 * seq, null);
    int[][] halves = split(in, batch, seq), targets = split(tg, batch, seq);
    LanguageModel.Carry carry = lm.newCarry(batch);
    double first = lm.forwardBackward(halves[0], targets[0], batch, seq, carry, null) * batch * seq;
    double second = lm.lossSum(halves[1], targets[1], batch, seq, carry);
    assertEquals(whole, first + second, 1e-9 * whole);
    assertNotEquals(whole, lm.lossSum(halves[0], targets[0], batch, seq, null) + lm.lossSum(halves[1], targets[1], batch, seq, null),
        "without the carry the second window starts from zero");
  }

  // (batch, 2·seq) -> two (batch, seq) windows
  private static int[][] split(int[] a, int batch, int seq) {
    int[][] out = new int[2][batch * seq];
    for (int b = 0; b < batch; b++)
      for (int w = 0; w < 2; w++) System.arraycopy(a, b * 2 * seq + w * seq, out[w], b * seq, seq);
    return out;
  }

  /** A stream's logits are the training forward's, bit for bit: same loss whether fed token by token or prefilled. */
  @ParameterizedTest
  @ValueSource(strings = {"rnn", "gru", "lstm"})
  void streamsAgreeWithTheTrainingForward(String cell) {
    JitWarmup.cells();
    RecurrentLM lm = model(cell, null, 2, 0f, 7);
    SplittableRandom rng = new SplittableRandom(11);
    int seq = 45;
    int[] in = tokens(seq, rng), tg = tokens(seq, rng);
    double expected = lm.lossSum(in, tg, 1, seq, null);
    assertEquals(lm.forwardLossSum(in, tg, 1, seq, null), expected, 0.0, "batch-1 lossSum vs the training forward");
    TokenStream stream = lm.openStream();
    float[] logits = new float[V];
    double sum = 0;
    for (int t = 0; t < seq; t++) {
      stream.feed(in[t], logits);
      sum += CrossEntropy.forwardBackward(null, 0, logits, 0, tg, t, 1, V, 0f);
    }
    assertEquals(expected, sum, 0.0, "token-by-token stream vs lossSum");
    assertEquals(seq, stream.position());
    TokenStream prefilled = lm.openStream();
    float[] last = new float[V];
    prefilled.feed(in, 0, seq, last);
    Close.assertBitEqual("prefill vs token by token", logits, 0, last, 0, V);
  }

  /**
   * lossSum of one sequence (batch 1) runs through a streaming snapshot: equal bit for bit to the
   * training forward, loss and carried states, across chunk boundaries, with a carry in, at a size
   * whose steps split across threads, and after the weights change (the snapshot is retaken).
   */
  @ParameterizedTest
  @ValueSource(strings = {"rnn", "gru", "lstm"})
  void batchOneLossSumEqualsTheTrainingForward(String cell) {
    JitWarmup.cells();
    RecurrentLM lm = new RecurrentLM(new RecurrentLmConfig(cell, null, 3, 80, 2, 0f), V);
    lm.initialize(new SplittableRandom(12));
    SplittableRandom rng = new SplittableRandom(13);
    int seq = 70; // > 2 chunks of RecurrentModel.CHUNK
    int[] in = tokens(seq, rng), tg = tokens(seq, rng);
    double before = 0;
    for (int round = 0; round < 2; round++) {
      LanguageModel.Carry streamed = lm.newCarry(1), forward = lm.newCarry(1);
      lm.lossSum(in, tg, 1, 9, streamed); // a non-zero carry in
      lm.forwardLossSum(in, tg, 1, 9, forward);
      double a = lm.lossSum(in, tg, 1, seq, streamed), b = lm.forwardLossSum(in, tg, 1, seq, forward);
      assertEquals(b, a, 0.0, "round " + round + ": streamed vs training forward");
      float[] hs = new float[2 * 80], hf = new float[2 * 80];
      ((RecurrentCarry) streamed).hidden(hs, 0);
      ((RecurrentCarry) forward).hidden(hf, 0);
      Close.assertBitEqual("round " + round + ": carried h", hf, 0, hs, 0, hs.length);
      if (cell.equals("lstm")) {
        ((RecurrentCarry) streamed).cell(hs, 0);
        ((RecurrentCarry) forward).cell(hf, 0);
        Close.assertBitEqual("round " + round + ": carried c", hf, 0, hs, 0, hs.length);
      }
      if (round == 1) assertNotEquals(before, a, "the second round's weights differ");
      before = a;
      float[] v = lm.params().value; // change the weights: the next round must not reuse the snapshot
      for (int i = 0; i < v.length; i += 7) v[i] *= 0.5f;
    }
  }

  @Test
  void badInput() {
    RecurrentLM lm = model("gru", null, 1, 0f, 8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> lm.forwardBackward(new int[] {1, 2, 7, 0}, new int[4], 2, 2, null, null));
    assertTrue(e.getMessage().contains("inputs[2] = 7 outside vocabulary of 7"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> lm.lossSum(new int[3], new int[4], 2, 2, null));
    assertTrue(e.getMessage().contains("inputs has 3 tokens, batch x seq needs 4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> lm.lossSum(new int[4], new int[4], 2, 2, lm.newCarry(3)));
    assertTrue(e.getMessage().contains("carry is for batch 3, not 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> lm.openStream().feed(-1, new float[V]));
    assertTrue(e.getMessage().contains("token -1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RecurrentLmConfig("gru", "relu", 3, 3, 1, 0f));
    assertTrue(e.getMessage().contains("nonlinearity"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RecurrentLmConfig("lstm", null, 0, 3, 1, 0f));
    assertTrue(e.getMessage().contains("embed"), e.getMessage());
  }
}
