package dev.sequor.bench;

import dev.sequor.cli.bench.RandomRecurrentLayer;
import dev.sequor.rnn.CellType;
import dev.sequor.rnn.RecurrentModel;
import dev.sequor.rnn.RecurrentState;
import dev.sequor.rnn.WeightStorage;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Streaming step latency: one step of {@code batch} independent streams through the public API
 * (batch 1: {@link RecurrentState#step}; batch 32: {@link RecurrentModel#step} over 32 states),
 * one layer, input size = H, float32 or bfloat16 weight storage. Score = microseconds per step of the
 * whole batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RnnStreamBench {
  @Param({"rnn", "gru", "lstm"})
  String cell;

  @Param({"128", "256", "512", "1024"})
  int hidden;

  @Param({"1", "32"})
  int batch;

  /** F32 (bit-exact with training) or BF16 (half the bytes per step). */
  @Param({"F32", "BF16"})
  WeightStorage storage;

  RecurrentModel model;
  RecurrentState[] states;
  float[] x, out;

  @Setup
  public void setup() {
    SplittableRandom rng = new SplittableRandom(1);
    RandomRecurrentLayer layer = RandomRecurrentLayer.of(CellType.of(cell, null), hidden, rng);
    model = RecurrentModel.of(layer.layout(), layer.values(), storage);
    states = new RecurrentState[batch];
    for (int i = 0; i < batch; i++) states[i] = model.newState();
    x = new float[batch * hidden];
    for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
    out = new float[batch * hidden];
  }

  @Benchmark
  public float[] step() {
    if (batch == 1) states[0].step(x, 0, out, 0);
    else model.step(states, batch, x, 0, out, 0);
    return out;
  }
}
