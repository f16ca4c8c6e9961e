package dev.sequor.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.TokenStream;
import dev.sequor.testing.TinyRnnLm;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  static int[] tokens(int n, int v, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) t[i] = r.nextInt(v);
    return t;
  }

  static double crossEntropy(float[] logits, int target) {
    double max = Double.NEGATIVE_INFINITY, sum = 0;
    for (float l : logits) max = Math.max(max, l);
    for (float l : logits) sum += Math.exp(l - max);
    return max + Math.log(sum) - logits[target];
  }

  @Test
  void recurrentModelsReadOneStreamFromZeroState() {
    ModelSpec spec = new TinyRnnLm.Spec(6);
    LanguageModel m = TinyRnnLm.FACTORY.create(spec, 7, 0f, new SplittableRandom(1));
    int[] t = tokens(1300, 7, 2); // spans three stream chunks, the last partial
    TokenStream s = m.openStream();
    float[] logits = new float[7];
    double sum = 0;
    for (int i = 0; i + 1 < t.length; i++) {
      s.feed(t[i], logits);
      sum += crossEntropy(logits, t[i + 1]);
    }
    Evaluation e = Evaluator.evaluate(m, spec, t);
    assertEquals(1299, e.chars());
    assertEquals(sum / 1299, e.loss(), 1e-6);
    assertEquals(e.loss() / Math.log(2), e.bpc(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate(m, spec, new int[] {1}));
  }

  @Test
  void blockModelsReadConsecutiveNonOverlappingBlocks() {
    ModelSpec spec = new TinyRnnLm.BlockSpec(5, 8);
    LanguageModel m = TinyRnnLm.FACTORY.create(spec, 6, 0f, new SplittableRandom(3));
    int[] t = tokens(8 * 37 + 5, 6, 4); // ⌊(N−1)/T⌋ = 37 blocks: more than one call of 16
    double sum = 0;
    float[] logits = new float[6];
    for (int b = 0; b < 37; b++) {
      TokenStream s = m.openStream();
      for (int i = 0; i < 8; i++) {
        s.feed(t[b * 8 + i], logits);
        sum += crossEntropy(logits, t[b * 8 + i + 1]);
      }
    }
    Evaluation e = Evaluator.evaluate(m, spec, t);
    assertEquals(37 * 8, e.chars());
    assertEquals(sum / (37 * 8), e.loss(), 1e-6);
    // exactly one block needs T+1 characters
    assertEquals(8, Evaluator.evaluate(m, spec, java.util.Arrays.copyOf(t, 9)).chars());
    assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate(m, spec, java.util.Arrays.copyOf(t, 8)));
  }
}
