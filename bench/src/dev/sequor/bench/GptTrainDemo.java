package dev.sequor.bench;

import dev.sequor.model.TokenStream;
import dev.sequor.tensor.ParamStore;
import dev.sequor.tensor.ParamTensor;
import dev.sequor.transformer.Gpt;
import dev.sequor.transformer.GptConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A small character-level GPT trained on a text file, then sampled through the KV-cached stream: the
 * demonstration that the decoder learns (its loss falls) and generates. Not a test and not the
 * training loop (that is the training issue's job): a minimal AdamW (nanoGPT's defaults, decay on
 * matrices only) is written out here.
 *
 * <p>Run after {@code ./mvnw -q test-compile}, on JDK 25:
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * dev.sequor.bench.GptTrainDemo ../shared/data/tinyshakespeare.txt [steps]} (default 300 steps).
 */
public final class GptTrainDemo {
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: GptTrainDemo CORPUS.txt [steps]");
      System.exit(2);
    }
    String text = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    TreeSet<Character> chars = new TreeSet<>();
    for (char ch : text.toCharArray()) chars.add(ch);
    char[] itos = new char[chars.size()];
    int[] stoi = new int[65536];
    int v = 0;
    for (char ch : chars) { itos[v] = ch; stoi[ch] = v++; }
    int[] data = new int[text.length()];
    for (int i = 0; i < data.length; i++) data[i] = stoi[text.charAt(i)];
    int split = (int) (data.length * 0.9);

    GptConfig cfg = new GptConfig(64, 4, 2, 32, true, true, 0f);
    Gpt gpt = new Gpt(cfg, v);
    gpt.initialize(new SplittableRandom(1337));
    ParamStore ps = gpt.params();
    System.out.printf("vocab %d, %d parameters, %s%n", v, ps.size(), gpt.configJson());

    int batch = 16, t = cfg.context();
    int[] in = new int[batch * t], tg = new int[batch * t];
    SplittableRandom rng = new SplittableRandom(7);
    float[] m = new float[ps.size()], s2 = new float[ps.size()];
    boolean[] decays = new boolean[ps.size()];
    for (ParamTensor pt : ps.tensors()) if (pt.decays()) java.util.Arrays.fill(decays, pt.offset(), pt.offset() + pt.size(), true);
    double lr = 1e-3, b1 = 0.9, b2 = 0.99, wd = 0.1;
    long t0 = System.nanoTime();
    for (int step = 1; step <= steps; step++) {
      sample(data, 0, split, in, tg, batch, t, rng);
      ps.zeroGrad();
      double loss = gpt.forwardBackward(in, tg, batch, t, null, rng);
      double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
      for (int i = 0; i < ps.size(); i++) { // AdamW
        float g = ps.grad[i];
        m[i] = (float) (b1 * m[i] + (1 - b1) * g);
        s2[i] = (float) (b2 * s2[i] + (1 - b2) * g * g);
        double upd = (m[i] / bc1) / (Math.sqrt(s2[i] / bc2) + 1e-8) + (decays[i] ? wd * ps.value[i] : 0);
        ps.value[i] -= (float) (lr * upd);
      }
      if (step == 1 || step % 50 == 0 || step == steps) {
        sample(data, split, data.length, in, tg, batch, t, new SplittableRandom(99));
        double val = gpt.lossSum(in, tg, batch, t, null) / (batch * t);
        System.out.printf("step %4d  train %.4f  val %.4f  (%.1f s)%n", step, loss, val, (System.nanoTime() - t0) / 1e9);
      }
    }
    TokenStream stream = gpt.openStream();
    float[] logits = new float[v];
    int[] prompt = new int[t];
    for (int i = 0; i < t; i++) prompt[i] = data[split + i];
    stream.feed(prompt, 0, t, logits); // one batched prefill
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < t; i++) out.append(itos[prompt[i]]);
    out.append("|");
    SplittableRandom sr = new SplittableRandom(5);
    for (int i = 0; i < 300; i++) {
      int next = sampleToken(logits, sr);
      out.append(itos[next]);
      stream.feed(next, logits);
    }
    System.out.println("--- prompt|sample ---\n" + out);
  }

  private static void sample(int[] data, int from, int to, int[] in, int[] tg, int batch, int t, SplittableRandom rng) {
    for (int b = 0; b < batch; b++) {
      int start = from + rng.nextInt(to - from - t - 1);
      System.arraycopy(data, start, in, b * t, t);
      System.arraycopy(data, start + 1, tg, b * t, t);
    }
  }

  private static int sampleToken(float[] logits, SplittableRandom rng) {
    double max = Double.NEGATIVE_INFINITY, sum = 0;
    for (float l : logits) max = Math.max(max, l);
    for (float l : logits) sum += Math.exp(l - max);
    double u = rng.nextDouble() * sum;
    for (int i = 0; i < logits.length; i++) if ((u -= Math.exp(logits[i] - max)) < 0) return i;
    return logits.length - 1;
  }
}
