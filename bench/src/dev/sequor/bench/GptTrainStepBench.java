package dev.sequor.bench;

import dev.sequor.transformer.Gpt;
import dev.sequor.transformer.GptConfig;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** One decoder training step (forward + backward of the mean loss, no optimizer) on nanoGPT's CPU-size model. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class GptTrainStepBench {
  @Param({"4", "12"})
  int batch;
  @Param({"0", "0.2"})
  float dropout;

  Gpt gpt;
  int[] inputs, targets;
  SplittableRandom rng = new SplittableRandom(3);
  final int t = 64;

  @Setup
  public void setup() {
    gpt = new Gpt(new GptConfig(128, 4, 4, 64, true, true, dropout), 65);
    gpt.initialize(new SplittableRandom(1));
    inputs = new int[batch * t];
    targets = new int[batch * t];
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < inputs.length; i++) { inputs[i] = r.nextInt(65); targets[i] = r.nextInt(65); }
  }

  @Benchmark
  public double step() {
    gpt.params().zeroGrad();
    return gpt.forwardBackward(inputs, targets, batch, t, null, rng);
  }
}
