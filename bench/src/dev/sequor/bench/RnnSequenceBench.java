package dev.sequor.bench;

import dev.sequor.cli.bench.RandomRecurrentLayer;
import dev.sequor.rnn.CellType;
import dev.sequor.rnn.RecurrentStack;
import dev.sequor.rnn.RecurrentWorkspace;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Sequence throughput: a whole-sequence forward of {@code batch} sequences of {@value #STEPS} steps
 * ({@link RecurrentStack#forward}: one input-projection GEMM, then one recurrent GEMM per step), one
 * layer, input size = H. Score = microseconds per call; tokens/s = batch·STEPS / score.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RnnSequenceBench {
  static final int STEPS = 256;

  @Param({"rnn", "gru", "lstm"})
  String cell;

  @Param({"128", "256", "512", "1024"})
  int hidden;

  @Param({"1", "32"})
  int batch;

  RecurrentStack stack;
  RecurrentWorkspace ws;
  float[] p, x;

  @Setup
  public void setup() {
    SplittableRandom rng = new SplittableRandom(1);
    RandomRecurrentLayer layer = RandomRecurrentLayer.of(CellType.of(cell, null), hidden, rng);
    p = layer.values();
    stack = new RecurrentStack(layer.layout());
    ws = stack.newWorkspace(STEPS, batch);
    x = new float[STEPS * batch * hidden];
    for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
  }

  @Benchmark
  public float[] forward() {
    stack.forward(ws, p, x, 0, null, STEPS, null, 0, null, 0, null);
    return ws.output();
  }
}
