package dev.sequor.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sequor.tensor.ParamTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Central differences against the backward pass for every parameter tensor, the input x and the
 * initial states, for each cell: single layer, and two bidirectional layers with padding (varied
 * lengths), initial states and dropout (the mask is redrawn from the same seed on every forward).
 * The loss L = Σ out⊙wy + Σ hn⊙wh + Σ cn⊙wc is accumulated in double.
 */
class GradientCheckTest {
  static final int STEPS = 4, BATCH = 3;
  static final float EPS = 3e-3f;
  /** |numeric − analytic| ≤ ABS + REL·|analytic|: float forward noise over 2·EPS, plus O(EPS²) truncation. */
  static final double ABS = 2e-3, REL = 1e-2;

  @TestFactory
  Stream<DynamicTest> gradients() {
    List<DynamicTest> tests = new ArrayList<>();
    for (CellType cell : CellType.values()) {
      tests.add(DynamicTest.dynamicTest(cell + " 1 layer", () ->
          check(new RecurrentConfig(cell, 5, 4, 1, false, true, 0f), null, 11)));
      tests.add(DynamicTest.dynamicTest(cell + " 2 layers bidirectional padded dropout", () ->
          check(new RecurrentConfig(cell, 3, 4, 2, true, true, 0.3f), new int[] {4, 2, 3}, 12)));
    }
    tests.add(DynamicTest.dynamicTest("LSTM 3 layers no bias, H=17 (vector path + tail)", () ->
        check(new RecurrentConfig(CellType.LSTM, 2, 17, 3, false, false, 0f), new int[] {1, 4, 3}, 13)));
    tests.add(DynamicTest.dynamicTest("GRU 2 layers, H=17 (vector path + tail)", () ->
        check(new RecurrentConfig(CellType.GRU, 2, 17, 2, true, true, 0f), new int[] {2, 4, 4}, 14)));
    return tests.stream();
  }

  private static void check(RecurrentConfig cfg, int[] lengths, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    TestNets.Net net = TestNets.random(cfg, seed);
    int h = cfg.hidden(), states = cfg.layers() * cfg.directions() * BATCH * h;
    boolean lstm = cfg.cell().hasCellState();
    float[] x = TestNets.gaussian(STEPS * BATCH * cfg.inputSize(), 1.0, rng);
    float[] h0 = TestNets.gaussian(states, 0.5, rng);
    float[] c0 = lstm ? TestNets.gaussian(states, 0.5, rng) : null;
    float[] wy = TestNets.gaussian(STEPS * BATCH * cfg.outputSize(), 1.0, rng);
    float[] wh = TestNets.gaussian(states, 1.0, rng);
    float[] wc = lstm ? TestNets.gaussian(states, 1.0, rng) : null;
    Problem pr = new Problem(net, lengths, x, h0, c0, wy, wh, wc, seed + 1);

    pr.loss();
    float[] dx = new float[x.length], dh0 = new float[states], dc0 = lstm ? new float[states] : null;
    net.stack().backward(pr.ws, net.p(), net.store().grad, wy, 0, wh, 0, wc, 0, dx, 0, dh0, 0, dc0, 0);

    int checked = 0, skipped = 0;
    for (ParamTensor t : net.store().tensors()) {
      int[] r = compare(pr, t.name(), net.p(), t.offset(), net.store().grad, t.offset(), t.size());
      checked += r[0];
      skipped += r[1];
    }
    int[] r = compare(pr, "x", x, 0, dx, 0, x.length);
    checked += r[0]; skipped += r[1];
    r = compare(pr, "h0", h0, 0, dh0, 0, states);
    checked += r[0]; skipped += r[1];
    if (lstm) {
      r = compare(pr, "c0", c0, 0, dc0, 0, states);
      checked += r[0]; skipped += r[1];
    }
    // entries whose ±EPS perturbation flips a relu pre-activation have no derivative to compare
    assertTrue(skipped <= checked / 10, "too many kink-crossing entries skipped: " + skipped + " of " + (checked + skipped));
  }

  // returns {checked, skipped}
  private static int[] compare(Problem pr, String name, float[] v, int off, float[] g, int gOff, int n) {
    int checked = 0, skipped = 0;
    for (int i = 0; i < n; i++) {
      float old = v[off + i];
      v[off + i] = old + EPS;
      double plus = pr.loss();
      long signsPlus = pr.reluSignature();
      v[off + i] = old - EPS;
      double minus = pr.loss();
      long signsMinus = pr.reluSignature();
      v[off + i] = old;
      if (signsPlus != signsMinus) {
        skipped++;
        continue;
      }
      double numeric = (plus - minus) / (2.0 * EPS);
      double analytic = g[gOff + i];
      if (!(Math.abs(numeric - analytic) <= ABS + REL * Math.abs(analytic)))
        fail(pr.net.config() + " d/d " + name + "[" + i + "]: analytic " + analytic + ", central difference " + numeric);
      checked++;
    }
    return new int[] {checked, skipped};
  }

  /** One forward problem; loss() reruns the forward with the current values. */
  private static final class Problem {
    final TestNets.Net net;
    final int[] lengths;
    final float[] x, h0, c0, wy, wh, wc, hn, cn;
    final long dropoutSeed;
    final RecurrentWorkspace ws;

    Problem(TestNets.Net net, int[] lengths, float[] x, float[] h0, float[] c0, float[] wy, float[] wh, float[] wc, long dropoutSeed) {
      this.net = net;
      this.lengths = lengths;
      this.x = x;
      this.h0 = h0;
      this.c0 = c0;
      this.wy = wy;
      this.wh = wh;
      this.wc = wc;
      this.dropoutSeed = dropoutSeed;
      this.ws = net.stack().newWorkspace(STEPS, BATCH);
      this.hn = new float[h0.length];
      this.cn = c0 == null ? null : new float[c0.length];
    }

    double loss() {
      net.stack().forward(ws, net.p(), x, 0, lengths, STEPS, h0, 0, c0, 0, new SplittableRandom(dropoutSeed));
      net.stack().finalStates(ws, hn, 0, cn, 0);
      double l = 0;
      float[] out = ws.output();
      for (int i = 0; i < wy.length; i++) l += (double) out[i] * wy[i];
      for (int i = 0; i < hn.length; i++) l += (double) hn[i] * wh[i];
      if (cn != null) for (int i = 0; i < cn.length; i++) l += (double) cn[i] * wc[i];
      return l;
    }

    // a hash of which relu states are positive (0 for other cells)
    long reluSignature() {
      if (net.config().cell() != CellType.RNN_RELU) return 0;
      long sig = 1125899906842597L;
      for (float[] s : ws.state) for (int i = 0; i < (STEPS + 1) * BATCH * net.config().hidden(); i++)
        sig = 31 * sig + (s[i] > 0f ? 1 : 0);
      return sig;
    }
  }
}
