package dev.sequor.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sequor.kernel.LayerNorm;
import dev.sequor.model.TokenStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;

/** jqwik properties of the decoder: causality, KV-cached decoding, layer norm statistics. */
class GptProperties {
  private static final int VOCAB = 13;

  private static Gpt model(long seed, int c, int heads, int layers, int context, boolean bias, boolean tied) {
    Gpt gpt = new Gpt(new GptConfig(c, heads, layers, context, bias, tied, 0f), VOCAB);
    gpt.initialize(new SplittableRandom(seed));
    SplittableRandom rng = new SplittableRandom(seed + 17); // wider than nanoGPT's init: attention not uniform
    float[] v = gpt.params().value;
    for (int i = 0; i < v.length; i++) v[i] += (float) ((rng.nextDouble() * 2 - 1) * 0.3);
    return gpt;
  }

  private static int[] tokens(long seed, int n) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) t[i] = rng.nextInt(VOCAB);
    return t;
  }

  @Property(tries = 40)
  void decoderIsCausalBitForBit(@ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int t, @ForAll @IntRange(min = 0, max = 6) int cutSeed) {
    Gpt gpt = model(seed, 12, 3, 2, 8, true, false);
    int cut = cutSeed % (t - 1); // positions > cut change
    int[] in = tokens(seed, t);
    float[] before = new float[t * VOCAB], after = new float[t * VOCAB];
    gpt.logits(before, in, 1, t);
    for (int i = cut + 1; i < t; i++) in[i] = (in[i] + 1 + Math.floorMod(seed, VOCAB - 1)) % VOCAB;
    gpt.logits(after, in, 1, t);
    int keep = (cut + 1) * VOCAB;
    Compare.identical("logits at positions <= " + cut, Arrays.copyOf(after, keep), Arrays.copyOf(before, keep), keep);
  }

  /**
   * Feeding tokens one at a time through the KV cache gives, at every step, bit for bit the logits of
   * a full recomputation over the last {@code context} tokens — inside the window and after it slides.
   */
  @Property(tries = 50)
  void cachedDecodingEqualsFullRecomputation(@ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int length,
      @ForAll boolean bias, @ForAll boolean tied, @ForAll("shapes") int[] shape) {
    int c = shape[0], heads = shape[1], context = 6;
    Gpt gpt = model(seed, c, heads, 2, context, bias, tied);
    int[] seq = tokens(seed ^ 99, length);
    TokenStream stream = gpt.openStream();
    float[] cached = new float[VOCAB], full = new float[context * VOCAB];
    for (int i = 0; i < length; i++) {
      stream.feed(seq[i], cached);
      int from = Math.max(0, i + 1 - context), n = i + 1 - from;
      gpt.logits(full, Arrays.copyOfRange(seq, from, i + 1), 1, n);
      Compare.identical("step " + i + " logits", cached, Arrays.copyOfRange(full, (n - 1) * VOCAB, n * VOCAB), VOCAB);
    }
    assertEquals(length, stream.position());
  }

  /** A prompt fed in one batched call equals the same tokens fed one at a time (and continues equally). */
  @Property(tries = 40)
  void batchedPrefillEqualsTokenByToken(@ForAll long seed, @ForAll @IntRange(min = 1, max = 14) int prompt,
      @ForAll @IntRange(min = 0, max = 5) int before) {
    Gpt gpt = model(seed, 8, 2, 2, 6, true, true);
    int[] seq = tokens(seed, before + prompt + 1);
    TokenStream batched = gpt.openStream(), single = gpt.openStream();
    float[] a = new float[VOCAB], b = new float[VOCAB];
    for (int i = 0; i < before; i++) { batched.feed(seq[i], a); single.feed(seq[i], b); }
    batched.feed(seq, before, prompt, a);
    for (int i = before; i < before + prompt; i++) single.feed(seq[i], b);
    Compare.identical("logits after the prompt", a, b, VOCAB);
    batched.feed(seq[before + prompt], a);
    single.feed(seq[before + prompt], b);
    Compare.identical("logits of the next token", a, b, VOCAB);
  }

  @Property(tries = 50)
  void layerNormHasMeanZeroVarianceOneBeforeAffine(@ForAll long seed, @ForAll @IntRange(min = 2, max = 200) int c,
      @ForAll @IntRange(min = 1, max = 4) int rows, @ForAll("scales") double scale) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[rows * c];
    double shift = (rng.nextDouble() - 0.5) * 10;
    for (int i = 0; i < x.length; i++) x[i] = (float) (shift + rng.nextGaussian() * scale);
    float[] w = new float[c];
    Arrays.fill(w, 1f);
    float[] out = new float[rows * c];
    LayerNorm.forward(out, 0, new float[rows], 0, new float[rows], 0, x, 0, w, 0, null, 0, rows, c, 1e-5f);
    for (int r = 0; r < rows; r++) {
      double m = 0, v = 0;
      for (int i = 0; i < c; i++) m += out[r * c + i];
      m /= c;
      for (int i = 0; i < c; i++) v += (out[r * c + i] - m) * (out[r * c + i] - m);
      v /= c;
      double inputVar = 0, im = 0;
      for (int i = 0; i < c; i++) im += x[r * c + i];
      im /= c;
      for (int i = 0; i < c; i++) inputVar += (x[r * c + i] - im) * (x[r * c + i] - im);
      inputVar /= c;
      // float rounding of the inputs, relative to their spread, grows with |mean| / std
      double conditioning = 1 + Math.abs(im) / Math.sqrt(inputVar);
      assertEquals(0, m, Tolerances.LAYERNORM_MEAN_ABS * conditioning, "row mean");
      // eps = 1e-5 shrinks the variance to var/(var + eps)
      assertEquals(inputVar / (inputVar + 1e-5), v, Tolerances.LAYERNORM_VAR_ABS * conditioning, "row variance");
    }
  }

  @Provide
  Arbitrary<int[]> shapes() { return Arbitraries.of(new int[] {8, 2}, new int[] {10, 5}, new int[] {12, 3}, new int[] {16, 4}); }

  @Provide
  Arbitrary<Double> scales() { return Arbitraries.doubles().between(0.1, 100); }
}
