package dev.sequor.cli.bench;

import dev.sequor.transformer.Gpt;
import dev.sequor.transformer.GptConfig;
import dev.sequor.transformer.GptStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@code generate}: batch-1 sampling from nanoGPT's CPU-size model (C 128, 4 layers, 4 heads, context
 * 64, vocabulary 65, random weights) through the KV-cached stream: a 1-token prompt, then 63 tokens
 * (filling the window) and 300 tokens (sliding past it, each further token one batched window
 * forward). Sampling is nanoGPT's: softmax at temperature 1, one multinomial draw per token.
 * Reports the median tokens/s of the runs that fit a 3 s budget per length (at least one), after warm-up.
 */
public final class GenerateBench implements QuickBench {
  static final GptConfig CONFIG = new GptConfig(128, 4, 4, 64, true, true, 0f);
  static final int VOCAB = 65;
  static final int[] LENGTHS = {63, 300};
  private static final long BUDGET_NANOS = 3_000_000_000L; // per length, after warm-up
  private static final int MAX_RUNS = 25;

  @Override public String name() { return "generate"; }

  @Override
  public void run(BenchReport report) {
    Gpt gpt = new Gpt(CONFIG, VOCAB);
    gpt.initialize(new SplittableRandom(1337));
    SplittableRandom rng = new SplittableRandom(42);
    GptStream stream = gpt.openStream(); // buffers and weight snapshot once; each run starts empty
    for (int i = 0; i < 2; i++) generate(stream, 100, rng); // warm-up: JIT both regimes (63 cached, 37 sliding)
    for (int tokens : LENGTHS) {
      double[] rates = new double[MAX_RUNS];
      int runs = 0;
      long start = System.nanoTime();
      while (runs < MAX_RUNS && (runs == 0 || System.nanoTime() - start < BUDGET_NANOS)) {
        long t0 = System.nanoTime();
        generate(stream, tokens, rng);
        rates[runs++] = tokens / ((System.nanoTime() - t0) / 1e9);
      }
      report.emit(BenchReport.record("generate").put("arch", gpt.arch()).put("d_model", CONFIG.dModel())
          .put("layers", CONFIG.layers()).put("heads", CONFIG.heads()).put("context", CONFIG.context())
          .put("tokens", tokens).put("tokens_per_s", median(rates, runs)));
    }
  }

  /** Generates {@code tokens} tokens after a 1-token prompt; returns the last one (keeps the work live). */
  static int generate(GptStream stream, int tokens, SplittableRandom rng) {
    stream.reset();
    float[] logits = new float[VOCAB];
    int token = 0;
    stream.feed(token, logits);
    for (int i = 0; i < tokens; i++) {
      token = sample(logits, rng);
      if (i + 1 < tokens) stream.feed(token, logits);
    }
    return token;
  }

  /** A draw from softmax(logits) (temperature 1, no top-k), as nanoGPT's torch.multinomial. */
  static int sample(float[] logits, SplittableRandom rng) {
    float max = Float.NEGATIVE_INFINITY;
    for (float l : logits) max = Math.max(max, l);
    double sum = 0;
    for (float l : logits) sum += Math.exp(l - max);
    double u = rng.nextDouble() * sum, acc = 0;
    for (int i = 0; i < logits.length; i++) {
      acc += Math.exp(logits[i] - max);
      if (u < acc) return i;
    }
    return logits.length - 1;
  }

  private static double median(double[] values, int n) {
    double[] s = Arrays.copyOf(values, n);
    Arrays.sort(s);
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
