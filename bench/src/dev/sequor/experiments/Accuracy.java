package dev.sequor.experiments;

import dev.sequor.model.LanguageModel;
import dev.sequor.model.TokenStream;
import dev.sequor.rnn.RecurrentLM;
import dev.sequor.rnn.RecurrentLmSnapshot;
import dev.sequor.transformer.Gpt;
import java.util.SplittableRandom;

/**
 * Accuracy of a model's most likely next token on the scored positions of a task, over held-out
 * sequences drawn from their own seed. The GPT is read through its batched forward
 * ({@link Gpt#logits}), the recurrent models through a generation stream per sequence (from a zero
 * state, as in training).
 */
final class Accuracy {
  private Accuracy() {}

  static double of(LanguageModel m, Task task, int sequences, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int t = task.seq(), v = task.vocab(), chunk = 32;
    int[] in = new int[chunk * t], tg = new int[chunk * t];
    float[] logits = new float[chunk * t * v];
    RecurrentLmSnapshot snap = m instanceof RecurrentLM r ? r.snapshot() : null;
    long correct = 0, total = 0;
    for (int s0 = 0; s0 < sequences; s0 += chunk) {
      int nb = Math.min(chunk, sequences - s0);
      for (int b = 0; b < nb; b++) task.sample(rng, in, tg, b * t);
      if (m instanceof Gpt gpt) {
        gpt.logits(logits, in, nb, t);
      } else if (snap != null) {
        float[] row = new float[v];
        for (int b = 0; b < nb; b++) {
          TokenStream stream = snap.openStream();
          for (int i = 0; i < t; i++) {
            stream.feed(in[b * t + i], row);
            System.arraycopy(row, 0, logits, (b * t + i) * v, v);
          }
        }
      } else {
        throw new IllegalArgumentException("accuracy: unsupported model " + m.arch());
      }
      for (int b = 0; b < nb; b++)
        for (int i = 0; i < t; i++) {
          if (!task.scored(i)) continue;
          total++;
          if (argmax(logits, (b * t + i) * v, v) == tg[b * t + i]) correct++;
        }
    }
    return (double) correct / total;
  }

  private static int argmax(float[] a, int off, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
    return best;
  }
}
