package dev.sequor.bench;

import dev.sequor.rnn.RecurrentLM;
import dev.sequor.rnn.RecurrentLmConfig;
import dev.sequor.model.LanguageModel;
import dev.sequor.tensor.ParamStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A test-free demonstration that the three recurrent LMs learn real text: each of rnn, gru and lstm
 * trains on a character corpus with truncated BPTT (a carry across consecutive windows), a minimal
 * Adam and global-norm clipping, printing the training loss and the validation loss (last 10% of the
 * corpus) before and after. The real training loop lives in dev.sequor.train; this only shows the loss
 * falls.
 *
 * <pre>
 * ./mvnw -q test-compile
 * java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes \
 *   dev.sequor.bench.RecurrentTrainDemo ../shared/data/tinyshakespeare.txt 300
 * </pre>
 * (with a JDK 25 {@code java}; the corpus path is relative to the main checkout).
 * Arguments: corpus path, steps per architecture (default 300), cells (default rnn,gru,lstm).
 */
public final class RecurrentTrainDemo {
  static final int BATCH = 16, SEQ = 64, EMBED = 32, HIDDEN = 128;
  static final float LR = 3e-3f, CLIP = 1f;

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: RecurrentTrainDemo <corpus.txt> [steps] [cells]");
      System.exit(2);
    }
    String text = Files.readString(Path.of(args[0]));
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    String[] cells = (args.length > 2 ? args[2] : "rnn,gru,lstm").split(",");
    TreeSet<Integer> chars = new TreeSet<>();
    text.codePoints().forEach(chars::add);
    int[] vocab = chars.stream().mapToInt(Integer::intValue).toArray();
    int[] data = text.codePoints().map(c -> java.util.Arrays.binarySearch(vocab, c)).toArray();
    int split = data.length * 9 / 10;
    System.out.printf(Locale.ROOT, "corpus %d chars, vocabulary %d, train %d / val %d%n", data.length, vocab.length, split,
        data.length - split);
    for (String cell : cells) train(cell, data, split, vocab.length, steps);
  }

  static void train(String cell, int[] data, int split, int vocab, int steps) {
    RecurrentLM lm = new RecurrentLM(new RecurrentLmConfig(cell, null, EMBED, HIDDEN, 1, 0f), vocab);
    lm.initialize(new SplittableRandom(1));
    ParamStore p = lm.params();
    float[] m = new float[p.size()], v = new float[p.size()];
    // B parallel streams through the training part, each continuing where its last window ended
    int[] cursor = new int[BATCH];
    int span = (split - 1) / BATCH;
    for (int b = 0; b < BATCH; b++) cursor[b] = b * span;
    LanguageModel.Carry carry = lm.newCarry(BATCH);
    int[] in = new int[BATCH * SEQ], tg = new int[BATCH * SEQ];
    double before = validation(lm, data, split);
    System.out.printf(Locale.ROOT, "%s: %d parameters, val loss before %.4f nats/char%n", cell, p.size(), before);
    long t0 = System.nanoTime();
    double avg = 0;
    for (int step = 1; step <= steps; step++) {
      for (int b = 0; b < BATCH; b++) {
        if (cursor[b] + SEQ + 1 > (b + 1) * span) cursor[b] = b * span; // wrap within the stream's span
        for (int t = 0; t < SEQ; t++) {
          in[b * SEQ + t] = data[cursor[b] + t];
          tg[b * SEQ + t] = data[cursor[b] + t + 1];
        }
        cursor[b] += SEQ;
      }
      p.zeroGrad();
      double loss = lm.forwardBackward(in, tg, BATCH, SEQ, carry, null);
      adam(p, m, v, step);
      avg = step == 1 ? loss : 0.95 * avg + 0.05 * loss;
      if (step % 50 == 0 || step == 1)
        System.out.printf(Locale.ROOT, "%s step %4d  loss %.4f  (smoothed %.4f)  %.0f tokens/s%n", cell, step, loss, avg,
            step * (double) BATCH * SEQ / ((System.nanoTime() - t0) / 1e9));
    }
    double after = validation(lm, data, split);
    System.out.printf(Locale.ROOT, "%s: val loss %.4f -> %.4f nats/char after %d steps (%.1f s)%n", cell, before, after, steps,
        (System.nanoTime() - t0) / 1e9);
  }

  // mean loss over the first 8·256 validation characters, 8 streams of 256
  static double validation(RecurrentLM lm, int[] data, int split) {
    int b = 8, seq = 256;
    int[] in = new int[b * seq], tg = new int[b * seq];
    int span = (data.length - 1 - split) / b;
    for (int s = 0; s < b; s++)
      for (int t = 0; t < seq; t++) {
        in[s * seq + t] = data[split + s * span + t];
        tg[s * seq + t] = data[split + s * span + t + 1];
      }
    return lm.lossSum(in, tg, b, seq, null) / (b * seq);
  }

  // Adam (β 0.9, 0.999) after clipping the global gradient norm to CLIP
  static void adam(ParamStore p, float[] m, float[] v, int step) {
    double sq = 0;
    for (float g : p.grad) sq += (double) g * g;
    float scale = (float) Math.min(1.0, CLIP / (Math.sqrt(sq) + 1e-12));
    double c1 = 1 - Math.pow(0.9, step), c2 = 1 - Math.pow(0.999, step);
    for (int i = 0; i < p.size(); i++) {
      float g = p.grad[i] * scale;
      m[i] = 0.9f * m[i] + 0.1f * g;
      v[i] = 0.999f * v[i] + 0.001f * g * g;
      p.value[i] -= (float) (LR * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
    }
  }
}
