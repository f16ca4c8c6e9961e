package dev.sequor.sample;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.model.LanguageModel;
import dev.sequor.model.TokenStream;
import dev.sequor.model.Vocabulary;
import dev.sequor.testing.TinyRnnLm;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
  static final Vocabulary V = Vocabulary.of("abcdefgh \n");
  static final LanguageModel M = TinyRnnLm.FACTORY.create(new TinyRnnLm.Spec(8), V.size(), 0f, new SplittableRandom(5));

  @Test
  void greedyFollowsTheArgmaxAndStreamsEachCharacter() {
    List<String> seen = new ArrayList<>();
    String out = new Sampler(M, V).generate("abc", 30, SamplingOptions.greedy(), seen::add);
    assertEquals(30, seen.size());
    assertEquals(out, String.join("", seen));
    TokenStream s = M.openStream();
    float[] logits = new float[V.size()];
    for (int t : V.encode("abc")) s.feed(t, logits);
    StringBuilder want = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      int best = 0;
      for (int k = 1; k < logits.length; k++) if (logits[k] > logits[best]) best = k;
      want.append(V.decode(best));
      s.feed(best, logits);
    }
    assertEquals(want.toString(), out);
  }

  @Test
  void sameSeedSameTextAndTruncationsDegenerateToGreedy() {
    Sampler s = new Sampler(M, V);
    String a = s.generate("ab", 60, new SamplingOptions(1.0, 0, 1.0, 9), null);
    assertEquals(a, s.generate("ab", 60, new SamplingOptions(1.0, 0, 1.0, 9), null));
    assertNotEquals(a, s.generate("ab", 60, new SamplingOptions(1.0, 0, 1.0, 10), null));
    String greedy = s.generate("ab", 40, SamplingOptions.greedy(), null);
    assertEquals(greedy, s.generate("ab", 40, new SamplingOptions(1.3, 1, 1.0, 1), null));
    assertEquals(greedy, s.generate("ab", 40, new SamplingOptions(0.7, 0, 1e-9, 2), null));
    assertEquals(s.generate("", 20, SamplingOptions.greedy(), null), s.generate("\n", 20, SamplingOptions.greedy(), null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.generate("abz", 5, SamplingOptions.greedy(), null));
    assertTrue(e.getMessage().contains("'z' (U+007A) at position 2"), e.getMessage());
  }

  @Test
  void drawsFollowTheTruncatedSoftmax() {
    float[] logits = {2f, 1f, 0f, -1f, 0.5f};
    double[] p = new double[5];
    double z = 0;
    for (int i = 0; i < 5; i++) z += p[i] = Math.exp(logits[i]);
    int n = 40_000;
    int[] counts = new int[5];
    TokenPicker picker = new TokenPicker(5, new SamplingOptions(1.0, 0, 1.0, 3));
    for (int i = 0; i < n; i++) counts[picker.pick(logits)]++;
    for (int i = 0; i < 5; i++) assertEquals(p[i] / z, counts[i] / (double) n, 0.01, "token " + i);

    // top-k 2 keeps tokens 0 and 1, renormalised; top-p 0.7 keeps 0 and 1 too (0.53 + 0.19 ≥ 0.7)
    for (SamplingOptions o : List.of(new SamplingOptions(1.0, 2, 1.0, 4), new SamplingOptions(1.0, 0, 0.7, 4))) {
      int[] c = new int[5];
      TokenPicker k = new TokenPicker(5, o);
      for (int i = 0; i < n; i++) c[k.pick(logits)]++;
      assertEquals(0, c[2] + c[3] + c[4], o.toString());
      assertEquals(p[0] / (p[0] + p[1]), c[0] / (double) n, 0.01);
    }
    // temperature sharpens: at 0.25 token 0 dominates more than at 1
    int[] cold = new int[5];
    TokenPicker t = new TokenPicker(5, new SamplingOptions(0.25, 0, 1.0, 5));
    for (int i = 0; i < n; i++) cold[t.pick(logits)]++;
    assertTrue(cold[0] > 0.95 * n);
  }
}
