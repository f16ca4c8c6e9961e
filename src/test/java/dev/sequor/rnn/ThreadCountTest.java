package dev.sequor.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Results do not depend on the thread count: training forward/backward, whole-sequence forward and the
 * streaming paths (single steps split by output blocks, chunked feeds, batched steps) give the same
 * outputs, states and gradients bit for bit at 1, 2 and 3 threads. The sizes are chosen so that the
 * GEMMs and the batch-1 steps really split (checked), with odd tails.
 */
class ThreadCountTest {
  private static final int[] THREADS = {1, 2, 3};
  private static final int STEPS = 7, BATCH = 3;

  @BeforeAll
  static void warmUp() { JitWarmup.cells(); }

  /** Asserts every thread count gives what one thread gives, bit for bit, array by array. */
  private static void assertSameAtAllThreadCounts(String what, Supplier<List<float[]>> run) {
    List<float[]> one = TestNets.atThreads(1, run);
    for (int t : THREADS) {
      if (t == 1) continue;
      List<float[]> other = TestNets.atThreads(t, run);
      for (int i = 0; i < one.size(); i++)
        Close.assertBitEqual(what + ", result " + i + ", threads " + t + " vs 1", one.get(i), 0, other.get(i), 0, one.get(i).length);
    }
  }

  // (cell, input, hidden): large enough for batch-1 steps over ≥ 96 KB of weights (bf16 too) in ≥ 2 groups
  private static final Object[][] SHAPES = {
      {CellType.RNN_TANH, 41, 161}, {CellType.RNN_RELU, 53, 150}, {CellType.GRU, 13, 149}, {CellType.LSTM, 19, 97}};

  @Test
  void trainingForwardBackwardIsIndependentOfThreadCount() {
    for (Object[] shape : SHAPES) {
      CellType cell = (CellType) shape[0];
      int input = (int) shape[1], hidden = (int) shape[2];
      for (boolean bidirectional : new boolean[] {false, true}) {
        RecurrentConfig cfg = new RecurrentConfig(cell, input, hidden, 2, bidirectional, true, 0.25f);
        String what = cfg.toString();
        assertSameAtAllThreadCounts(what, () -> trainingStep(cfg));
      }
    }
  }

  // forward (with dropout) and backward of one padded batch; returns outputs, final states and all gradients
  private static List<float[]> trainingStep(RecurrentConfig cfg) {
    SplittableRandom rng = new SplittableRandom(7);
    TestNets.Net net = TestNets.random(cfg, 3);
    int h = cfg.hidden(), states = cfg.layers() * cfg.directions() * BATCH * h;
    int[] lengths = {STEPS, 4, 1};
    float[] x = TestNets.gaussian(STEPS * BATCH * cfg.inputSize(), 1.0, rng);
    float[] h0 = TestNets.gaussian(states, 0.5, rng);
    float[] c0 = cfg.cell().hasCellState() ? TestNets.gaussian(states, 0.5, rng) : null;
    float[] dy = TestNets.gaussian(STEPS * BATCH * cfg.outputSize(), 1.0, rng);
    float[] dhn = TestNets.gaussian(states, 1.0, rng);
    float[] dcn = c0 == null ? null : TestNets.gaussian(states, 1.0, rng);
    RecurrentWorkspace ws = net.stack().newWorkspace(STEPS, BATCH);
    net.stack().forward(ws, net.p(), x, 0, lengths, STEPS, h0, 0, c0, 0, new SplittableRandom(11));
    float[] hn = new float[states], cn = c0 == null ? null : new float[states];
    net.stack().finalStates(ws, hn, 0, cn, 0);
    float[] dx = new float[x.length], dh0 = new float[states], dc0 = c0 == null ? null : new float[states];
    net.stack().backward(ws, net.p(), net.store().grad, dy, 0, dhn, 0, dcn, 0, dx, 0, dh0, 0, dc0, 0);
    List<float[]> r = new ArrayList<>(List.of(ws.output().clone(), hn, net.store().grad, dx, dh0));
    if (c0 != null) r.addAll(List.of(cn, dc0));
    return r;
  }

  @Test
  void streamingAndWholeSequenceAreIndependentOfThreadCount() {
    for (Object[] shape : SHAPES) {
      CellType cell = (CellType) shape[0];
      int input = (int) shape[1], hidden = (int) shape[2];
      RecurrentConfig cfg = new RecurrentConfig(cell, input, hidden, 2, false, true, 0f);
      TestNets.Net net = TestNets.random(cfg, 5);
      for (WeightStorage storage : WeightStorage.values()) {
        RecurrentModel model = RecurrentModel.of(net.layout(), net.p(), storage);
        for (int l = 0; l < cfg.layers(); l++) {
          int layer = l;
          int parts = TestNets.atThreads(2, () -> model.parts(layer));
          assertTrue(parts == 2, cfg + " layer " + l + ": a batch-1 step should split in 2 parts at 2 threads, got " + parts);
        }
        assertSameAtAllThreadCounts(cfg + " " + storage, () -> streaming(net, model));
      }
    }
  }

  // whole-sequence forward (float32 stack), then single steps, a chunked feed and a batched step of the model
  private static List<float[]> streaming(TestNets.Net net, RecurrentModel model) {
    RecurrentConfig cfg = net.config();
    int in = cfg.inputSize(), h = cfg.hidden(), steps = 2 * RecurrentModel.CHUNK + 5;
    SplittableRandom rng = new SplittableRandom(9);
    float[] x = TestNets.gaussian(steps * in, 1.0, rng);
    RecurrentWorkspace ws = net.stack().newWorkspace(steps, 1);
    net.stack().forward(ws, net.p(), x, 0, null, steps, null, 0, null, 0, null);

    RecurrentState st = model.newState();
    float[] out = new float[steps * h];
    for (int t = 0; t < 3; t++) st.step(x, t * in, out, t * h);
    st.feed(x, 3 * in, steps - 3, out, 3 * h);
    float[] hs = new float[cfg.layers() * h];
    st.hidden(hs, 0);

    RecurrentState[] batch = {st, st.copy(), model.newState()};
    batch[1].step(x, 0);
    float[] bx = TestNets.gaussian(batch.length * in, 1.0, rng), bout = new float[batch.length * h];
    model.step(batch, batch.length, bx, 0, bout, 0);
    List<float[]> r = new ArrayList<>(List.of(ws.output().clone(), out, hs, bout));
    if (cfg.cell().hasCellState()) {
      float[] cs = new float[cfg.layers() * h];
      batch[1].cell(cs, 0);
      r.add(cs);
    }
    return r;
  }
}
