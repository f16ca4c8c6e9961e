package dev.sequor.rnn;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequor.kernel.PackedMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused per-step LSTM work ({@link LstmSteps}: interleaved recurrent product + cell pass per unit
 * range, one pool call per step) gives exactly the unfused loop's outputs, final states and gradients,
 * bit for bit, at 1, 2 and 3 threads: layers, both directions, dropout, padded sequences, given or
 * absent initial states and final-state gradients.
 */
class LstmStepsTest {
  private static final int STEPS = 6, BATCH = 3;

  @BeforeAll
  static void warmUp() { JitWarmup.cells(); }

  @Test
  void fusedStepsApplyToWholePanelsOfUnitsOnly() {
    int units = PackedMatrix.panel() / 4;
    assertTrue(LstmSteps.applies(RecurrentConfig.of(CellType.LSTM, 5, 2 * units, 1)));
    assertTrue(!LstmSteps.applies(RecurrentConfig.of(CellType.LSTM, 5, 2 * units + 1, 1)));
    assertTrue(!LstmSteps.applies(RecurrentConfig.of(CellType.GRU, 5, 2 * units, 1)));
    assertNotNull(new RecurrentWorkspace(RecurrentConfig.of(CellType.LSTM, 5, units, 1), 2, 1).lstmSteps);
    assertNull(new RecurrentWorkspace(RecurrentConfig.of(CellType.LSTM, 5, units, 1), 2, 1, false).lstmSteps);
  }

  @Test
  void fusedEqualsUnfusedBitForBit() {
    int units = PackedMatrix.panel() / 4;
    // 3 panels of the forward product: parts of unequal size; 2·units: the backward product is one
    // panel only while the forward one splits
    for (int hidden : new int[] {3 * units, 2 * units})
      for (boolean bidirectional : new boolean[] {false, true})
        for (boolean withStates : new boolean[] {true, false}) {
          RecurrentConfig cfg = new RecurrentConfig(CellType.LSTM, 19, hidden, 2, bidirectional, true, 0.25f);
          List<float[]> unfused = TestNets.atThreads(1, () -> pass(cfg, false, withStates));
          for (int threads : new int[] {1, 2, 3}) {
            List<float[]> fused = TestNets.atThreads(threads, () -> pass(cfg, true, withStates));
            for (int i = 0; i < unfused.size(); i++)
              Close.assertBitEqual(cfg + " states " + withStates + ", result " + i + ", threads " + threads,
                  unfused.get(i), 0, fused.get(i), 0, unfused.get(i).length);
          }
        }
  }

  @Test
  void fusedEqualsUnfusedWithoutBiasAndFullLengths() {
    RecurrentConfig cfg = new RecurrentConfig(CellType.LSTM, 7, PackedMatrix.panel() / 2, 1, false, false, 0f);
    List<float[]> unfused = pass(cfg, false, true, null);
    List<float[]> fused = TestNets.atThreads(2, () -> pass(cfg, true, true, null));
    for (int i = 0; i < unfused.size(); i++)
      Close.assertBitEqual("result " + i, unfused.get(i), 0, fused.get(i), 0, unfused.get(i).length);
  }

  private static List<float[]> pass(RecurrentConfig cfg, boolean fuse, boolean withStates) {
    return pass(cfg, fuse, withStates, new int[] {STEPS, 4, 1});
  }

  // forward (with dropout) and backward of one batch; outputs, final states and every gradient
  private static List<float[]> pass(RecurrentConfig cfg, boolean fuse, boolean withStates, int[] lengths) {
    SplittableRandom rng = new SplittableRandom(7);
    TestNets.Net net = TestNets.random(cfg, 3);
    int states = cfg.layers() * cfg.directions() * BATCH * cfg.hidden();
    float[] x = TestNets.gaussian(STEPS * BATCH * cfg.inputSize(), 1.0, rng);
    float[] h0 = withStates ? TestNets.gaussian(states, 0.5, rng) : null;
    float[] c0 = withStates ? TestNets.gaussian(states, 0.5, rng) : null;
    float[] dy = TestNets.gaussian(STEPS * BATCH * cfg.outputSize(), 1.0, rng);
    float[] dhn = withStates ? TestNets.gaussian(states, 1.0, rng) : null;
    float[] dcn = withStates ? TestNets.gaussian(states, 1.0, rng) : null;
    RecurrentWorkspace ws = new RecurrentWorkspace(cfg, STEPS, BATCH, fuse);
    assertTrue((ws.lstmSteps != null) == fuse, "the path under test");
    net.stack().forward(ws, net.p(), x, 0, lengths, STEPS, h0, 0, c0, 0, new SplittableRandom(11));
    float[] hn = new float[states], cn = new float[states];
    net.stack().finalStates(ws, hn, 0, cn, 0);
    float[] dx = new float[x.length];
    float[] dh0 = withStates ? new float[states] : null, dc0 = withStates ? new float[states] : null;
    net.stack().backward(ws, net.p(), net.store().grad, dy, 0, dhn, 0, dcn, 0, dx, 0, dh0, 0, dc0, 0);
    List<float[]> r = new ArrayList<>(List.of(ws.output().clone(), hn, cn, net.store().grad, dx));
    if (withStates) r.addAll(List.of(dh0, dc0));
    return r;
  }
}
