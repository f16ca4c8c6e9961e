package dev.sequor.bench;

import dev.sequor.transformer.Gpt;
import dev.sequor.transformer.GptConfig;
import dev.sequor.transformer.GptStream;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The next token's logits after {@code context} tokens (nanoGPT's CPU-size model, batch 1): with the KV
 * cache (one token of work per layer: O(T) attention, O(1) projections) versus recomputing the whole
 * context (one batched forward over T+1 rows: O(T) projections, O(T²) attention) — as T grows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GptDecodeBench {
  @Param({"1", "8", "16", "32", "63"})
  int context;

  GptStream stream;
  int[] tokens;
  float[] logits = new float[65];

  @Setup
  public void setup() {
    Gpt gpt = new Gpt(new GptConfig(128, 4, 4, 64, true, true, 0f), 65);
    gpt.initialize(new SplittableRandom(1));
    tokens = new int[context + 1];
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < tokens.length; i++) tokens[i] = r.nextInt(65);
    stream = gpt.openStream();
    stream.feed(tokens, 0, context, logits);
  }

  /** One cached step at position {@code context}; then rewind so every call does the same work. */
  @Benchmark
  public float[] cachedStep() {
    stream.feed(tokens[context], logits);
    stream.rewind(context);
    return logits;
  }

  /** The same logits by recomputing all context+1 tokens in one batched forward. */
  @Benchmark
  public float[] fullRecompute() {
    stream.rewind(0);
    stream.feed(tokens, 0, context + 1, logits);
    stream.rewind(context);
    return logits;
  }
}
