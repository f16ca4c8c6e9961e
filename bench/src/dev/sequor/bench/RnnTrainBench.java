package dev.sequor.bench;

import dev.sequor.rnn.RecurrentLM;
import dev.sequor.rnn.RecurrentLmConfig;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Training step of the char-level LM (embedding 64 → one layer of H → head over 65 tokens): forward
 * and backward of a (batch, {@value #SEQ}) window with gradient accumulation. Score = microseconds
 * per step; per token = score / (batch·SEQ).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class RnnTrainBench {
  static final int SEQ = 64, VOCAB = 65;

  @Param({"rnn", "gru", "lstm"})
  String cell;

  @Param({"128", "256", "512", "1024"})
  int hidden;

  @Param({"32"})
  int batch;

  RecurrentLM lm;
  int[] inputs, targets;

  @Setup
  public void setup() {
    lm = new RecurrentLM(new RecurrentLmConfig(cell, null, 64, hidden, 1, 0f), VOCAB);
    SplittableRandom rng = new SplittableRandom(1);
    lm.initialize(rng);
    inputs = new int[batch * SEQ];
    targets = new int[batch * SEQ];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = rng.nextInt(VOCAB);
      targets[i] = rng.nextInt(VOCAB);
    }
  }

  @Benchmark
  public double trainStep() {
    return lm.forwardBackward(inputs, targets, batch, SEQ, null, null);
  }
}
