package dev.sequor.rnn;

import dev.sequor.tensor.ParamStore;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.*;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;

/**
 * The streaming API against whole-sequence passes, bit for bit: the chains of Gemm/Gemv are the same
 * whatever m, so streaming in any chunking, stepping many streams together, or running a sequence
 * next to arbitrary batch neighbours must not change a single bit.
 */
class StreamingProperties {
  @BeforeContainer
  static void warmUp() { JitWarmup.cells(); }

  @Provide
  Arbitrary<CellType> cells() { return Arbitraries.of(CellType.values()); }

  @Provide
  Arbitrary<Integer> hiddens() { return Arbitraries.of(3, 16, 19, 37); }

  @Property(tries = 40)
  void streamingInChunksEqualsWholePass(@ForAll("cells") CellType cell, @ForAll @IntRange(min = 1, max = 3) int layers,
      @ForAll("hiddens") int hidden, @ForAll @IntRange(min = 1, max = 40) int steps, @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int input = 1 + rng.nextInt(20);
    RecurrentConfig cfg = new RecurrentConfig(cell, input, hidden, layers, false, rng.nextBoolean(), 0f);
    TestNets.Net net = TestNets.random(cfg, seed);
    float[] x = TestNets.gaussian(steps * input, 1.0, rng);
    float[] h0 = TestNets.gaussian(layers * hidden, 0.5, rng);
    float[] c0 = cell.hasCellState() ? TestNets.gaussian(layers * hidden, 0.5, rng) : null;

    RecurrentWorkspace ws = net.stack().newWorkspace(steps, 1);
    net.stack().forward(ws, net.p(), x, 0, null, steps, h0, 0, c0, 0, null);
    float[] hn = new float[layers * hidden], cn = c0 == null ? null : new float[layers * hidden];
    net.stack().finalStates(ws, hn, 0, cn, 0);

    RecurrentModel model = RecurrentModel.of(net.layout(), net.p());
    RecurrentState st = model.newState();
    st.setState(h0, 0, c0, 0);
    float[] out = new float[steps * hidden];
    for (int t = 0; t < steps; ) { // random chunks: single steps and feeds of up to 2·CHUNK
      int len = Math.min(steps - t, rng.nextInt(4) == 0 ? 1 : 1 + rng.nextInt(2 * RecurrentModel.CHUNK));
      if (len == 1 && rng.nextBoolean()) st.step(x, t * input, out, t * hidden);
      else st.feed(x, t * input, len, out, t * hidden);
      t += len;
    }
    Close.assertBitEqual("streamed outputs", ws.output(), 0, out, 0, steps * hidden);
    float[] sh = new float[layers * hidden];
    st.hidden(sh, 0);
    Close.assertBitEqual("final h", hn, 0, sh, 0, sh.length);
    if (cn != null) {
      float[] sc = new float[layers * hidden];
      st.cell(sc, 0);
      Close.assertBitEqual("final c", cn, 0, sc, 0, sc.length);
    }
    if (st.position() != steps) throw new AssertionError("position " + st.position() + " != " + steps);
  }

  @Property(tries = 30)
  void resultDoesNotDependOnBatchNeighbours(@ForAll("cells") CellType cell, @ForAll @IntRange(min = 1, max = 2) int layers,
      @ForAll("hiddens") int hidden, @ForAll boolean bidirectional, @ForAll @IntRange(min = 2, max = 5) int batch,
      @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int input = 1 + rng.nextInt(9), steps = 1 + rng.nextInt(9), dirs = bidirectional ? 2 : 1;
    RecurrentConfig cfg = new RecurrentConfig(cell, input, hidden, layers, bidirectional, true, 0f);
    TestNets.Net net = TestNets.random(cfg, seed);
    int[] lengths = new int[batch];
    for (int b = 0; b < batch; b++) lengths[b] = 1 + rng.nextInt(steps);
    float[] x = TestNets.gaussian(steps * batch * input, 1.0, rng);
    int who = rng.nextInt(batch);
    RecurrentWorkspace ws = net.stack().newWorkspace(steps, batch);
    net.stack().forward(ws, net.p(), x, 0, lengths, steps, null, 0, null, 0, null);
    float[] hn = new float[layers * dirs * batch * hidden];
    net.stack().finalStates(ws, hn, 0, null, 0);

    // the same sequence alone, at its own length
    int len = lengths[who];
    float[] xs = new float[len * input];
    for (int t = 0; t < len; t++) System.arraycopy(x, (t * batch + who) * input, xs, t * input, input);
    RecurrentWorkspace alone = net.stack().newWorkspace(len, 1);
    net.stack().forward(alone, net.p(), xs, 0, null, len, null, 0, null, 0, null);
    float[] hnAlone = new float[layers * dirs * hidden];
    net.stack().finalStates(alone, hnAlone, 0, null, 0);
    int width = dirs * hidden;
    for (int t = 0; t < steps; t++) {
      if (t < len) Close.assertBitEqual("output step " + t, alone.output(), t * width, ws.output(), (t * batch + who) * width, width);
      else Close.assertBitEqual("padded output step " + t, new float[width], 0, ws.output(), (t * batch + who) * width, width);
    }
    for (int k = 0; k < layers * dirs; k++)
      Close.assertBitEqual("hn " + k, hnAlone, k * hidden, hn, (k * batch + who) * hidden, hidden);
  }

  @Property(tries = 30)
  void steppingStreamsTogetherEqualsSteppingAlone(@ForAll("cells") CellType cell, @ForAll @IntRange(min = 1, max = 3) int layers,
      @ForAll("hiddens") int hidden, @ForAll @IntRange(min = 1, max = 6) int count, @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int input = 1 + rng.nextInt(12), steps = 1 + rng.nextInt(6);
    TestNets.Net net = TestNets.random(RecurrentConfig.of(cell, input, hidden, layers), seed);
    RecurrentModel model = RecurrentModel.of(net.layout(), net.p());
    RecurrentState[] together = new RecurrentState[count], alone = new RecurrentState[count];
    for (int i = 0; i < count; i++) {
      together[i] = model.newState();
      alone[i] = model.newState();
      float[] h0 = TestNets.gaussian(layers * hidden, 0.5, rng);
      float[] c0 = cell.hasCellState() ? TestNets.gaussian(layers * hidden, 0.5, rng) : null;
      together[i].setState(h0, 0, c0, 0);
      alone[i].setState(h0, 0, c0, 0);
    }
    float[] outT = new float[count * hidden], outA = new float[hidden];
    for (int t = 0; t < steps; t++) {
      float[] x = TestNets.gaussian(count * input, 1.0, rng);
      model.step(together, count, x, 0, outT, 0);
      for (int i = 0; i < count; i++) {
        alone[i].step(x, i * input, outA, 0);
        Close.assertBitEqual("stream " + i + " step " + t, outA, 0, outT, i * hidden, hidden);
      }
    }
  }

  @Example
  void snapshotIsIndependentOfLaterTraining() {
    TestNets.Net net = TestNets.random(RecurrentConfig.of(CellType.GRU, 4, 5, 1), 7);
    RecurrentModel model = RecurrentModel.of(net.layout(), net.p());
    float[] x = {1, 2, 3, 4}, a = new float[5], b = new float[5];
    model.newState().step(x, 0, a, 0);
    ParamStore store = net.store();
    Arrays.fill(store.value, 0.5f);
    model.newState().step(x, 0, b, 0);
    Close.assertBitEqual("after changing the store", a, 0, b, 0, 5);
  }
}
