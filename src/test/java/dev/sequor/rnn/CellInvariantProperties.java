package dev.sequor.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants of the cells over random weights and inputs, including extreme ones (weights scaled up
 * to 1e3, inputs up to ±1e30), read from the saved gate activations and states of a training forward.
 */
class CellInvariantProperties {
  static final int BATCH = 2;

  @Provide
  Arbitrary<Float> weightScales() { return Arbitraries.of(1f, 10f, 1e3f); }

  @Provide
  Arbitrary<Integer> hiddens() { return Arbitraries.of(1, 5, 16, 21); }

  /** Inputs: mostly N(0,1), some huge, some tiny, some exactly zero. */
  static float[] extremeInputs(int n, SplittableRandom rng) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = rng.nextInt(10);
      double sign = rng.nextBoolean() ? 1 : -1;
      x[i] = switch (kind) {
        case 0 -> (float) (sign * 1e30);
        case 1 -> (float) (sign * 1e3 * rng.nextDouble());
        case 2 -> (float) (sign * 1e-30);
        case 3 -> 0f;
        default -> (float) rng.nextGaussian();
      };
    }
    return x;
  }

  private static TestNets.Net net(CellType cell, int input, int hidden, float scale, long seed) {
    TestNets.Net net = TestNets.random(new RecurrentConfig(cell, input, hidden, 1, false, true, 0f), seed);
    for (int i = 0; i < net.p().length; i++) net.p()[i] *= scale;
    return net;
  }

  private static RecurrentWorkspace run(TestNets.Net net, float[] x, int steps, float[] h0, float[] c0) {
    RecurrentWorkspace ws = net.stack().newWorkspace(steps, BATCH);
    net.stack().forward(ws, net.p(), x, 0, null, steps, h0, 0, c0, 0, null);
    return ws;
  }

  @Property(tries = 60)
  void sigmoidGatesLieInUnitInterval(@ForAll boolean lstm, @ForAll("hiddens") int hidden,
      @ForAll("weightScales") float scale, @ForAll @IntRange(min = 1, max = 6) int steps, @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    CellType cell = lstm ? CellType.LSTM : CellType.GRU;
    TestNets.Net net = net(cell, 3, hidden, scale, seed);
    RecurrentWorkspace ws = run(net, extremeInputs(steps * BATCH * 3, rng), steps, null, null);
    float[] act = ws.saved(0, 0);
    int sw = cell.savedWidth() * hidden;
    int[] sigmoidBlocks = lstm ? new int[] {0, 1, 3} : new int[] {0, 1}; // [i f _ o] / [r z]
    for (int row = 0; row < steps * BATCH; row++)
      for (int blk : sigmoidBlocks)
        for (int j = 0; j < hidden; j++) {
          float g = act[row * sw + blk * hidden + j];
          assertTrue(g >= 0f && g <= 1f, "gate block " + blk + " = " + g);
        }
  }

  @Property(tries = 60)
  void lstmStateBounds(@ForAll("hiddens") int hidden, @ForAll("weightScales") float scale,
      @ForAll @IntRange(min = 1, max = 8) int steps, @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    TestNets.Net net = net(CellType.LSTM, 3, hidden, scale, seed);
    float[] c0 = TestNets.gaussian(BATCH * hidden, 3.0, rng);
    RecurrentWorkspace ws = run(net, extremeInputs(steps * BATCH * 3, rng), steps, null, c0);
    float[] s = ws.states(0, 0), c = ws.cells(0, 0);
    for (int t = 1; t <= steps; t++)
      for (int i = 0; i < BATCH * hidden; i++) {
        float hv = s[t * BATCH * hidden + i], cv = c[t * BATCH * hidden + i], cp = c[(t - 1) * BATCH * hidden + i];
        assertTrue(Math.abs(hv) <= 1f, "|h| = " + hv);
        assertTrue(Math.abs(cv) <= Math.abs(cp) + 1f, "|c_t| = " + cv + " > |c_t-1| + 1 = " + (Math.abs(cp) + 1f));
      }
  }

  @Property(tries = 40)
  void lstmWithForgetOneAndInputZeroCarriesTheCellExactly(@ForAll("hiddens") int hidden,
      @ForAll("weightScales") float scale, @ForAll @IntRange(min = 1, max = 8) int steps, @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int input = 3;
    TestNets.Net net = net(CellType.LSTM, input, hidden, scale, seed);
    float[] p = net.p();
    RecurrentParams lay = net.layout();
    // i and f rows of both weights to zero, their biases to saturate: i = σ(−1e4) = 0, f = σ(1e4) = 1
    for (int r = 0; r < 2 * hidden; r++) {
      for (int k = 0; k < input; k++) p[lay.weightIh(0, 0) + r * input + k] = 0f;
      for (int k = 0; k < hidden; k++) p[lay.weightHh(0, 0) + r * hidden + k] = 0f;
      p[lay.biasIh(0, 0) + r] = r < hidden ? -1e4f : 1e4f;
      p[lay.biasHh(0, 0) + r] = 0f;
    }
    float[] c0 = extremeInputs(BATCH * hidden, rng);
    RecurrentWorkspace ws = run(net, extremeInputs(steps * BATCH * input, rng), steps, null, c0);
    Close.assertBitEqual("c_T vs c_0", c0, 0, ws.cells(0, 0), steps * BATCH * hidden, BATCH * hidden);
  }

  /**
   * With W_hh = 0 the gates do not depend on the state, so ∂c_T/∂c_k is exactly the additive path's
   * ∏_{t>k} f_t (math/lstm-backward.md (12)); the backward pass's dc0 for dcn = w must equal w ⊙ ∏ f_t to the last bit (same multiplication order).
   */
  @Property(tries = 40)
  void cellGradientIsTheProductOfForgetGates(@ForAll("hiddens") int hidden, @ForAll @IntRange(min = 1, max = 12) int steps,
      @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int input = 4;
    TestNets.Net net = net(CellType.LSTM, input, hidden, 3f, seed);
    java.util.Arrays.fill(net.p(), net.layout().weightHh(0, 0), net.layout().weightHh(0, 0) + 4 * hidden * hidden, 0f);
    float[] c0 = TestNets.gaussian(BATCH * hidden, 1.0, rng);
    RecurrentWorkspace ws = run(net, TestNets.gaussian(steps * BATCH * input, 1.0, rng), steps, null, c0);
    float[] w = TestNets.gaussian(BATCH * hidden, 1.0, rng);
    float[] dc0 = new float[BATCH * hidden];
    net.stack().backward(ws, net.p(), net.store().grad, null, 0, null, 0, w, 0, null, 0, null, 0, dc0, 0);
    float[] act = ws.saved(0, 0);
    int sw = 5 * hidden;
    for (int b = 0; b < BATCH; b++)
      for (int j = 0; j < hidden; j++) {
        float expected = w[b * hidden + j];
        for (int t = steps - 1; t >= 0; t--) expected *= act[(t * BATCH + b) * sw + hidden + j]; // f_t, same order
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(dc0[b * hidden + j]),
            "dc0 = " + dc0[b * hidden + j] + " vs w ∏ f = " + expected + " at (" + b + ", " + j + ")");
      }
  }

  @Property(tries = 60)
  void gruStateLiesBetweenPreviousStateAndCandidate(@ForAll("hiddens") int hidden, @ForAll("weightScales") float scale,
      @ForAll @IntRange(min = 1, max = 8) int steps, @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    TestNets.Net net = net(CellType.GRU, 3, hidden, scale, seed);
    RecurrentWorkspace ws = run(net, extremeInputs(steps * BATCH * 3, rng), steps, TestNets.gaussian(BATCH * hidden, 1.0, rng), null);
    float[] s = ws.states(0, 0), act = ws.saved(0, 0);
    for (int t = 0; t < steps; t++)
      for (int b = 0; b < BATCH; b++)
        for (int j = 0; j < hidden; j++) {
          float hp = s[(t * BATCH + b) * hidden + j], hn = s[((t + 1) * BATCH + b) * hidden + j];
          float n = act[(t * BATCH + b) * 4 * hidden + 2 * hidden + j];
          assertTrue(hn >= Math.min(hp, n) && hn <= Math.max(hp, n), "h' = " + hn + " outside [" + hp + ", " + n + "]");
        }
  }

  @Property(tries = 40)
  void rnnTanhStateIsBounded(@ForAll("hiddens") int hidden, @ForAll("weightScales") float scale,
      @ForAll @IntRange(min = 1, max = 8) int steps, @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    TestNets.Net net = net(CellType.RNN_TANH, 3, hidden, scale, seed);
    RecurrentWorkspace ws = run(net, extremeInputs(steps * BATCH * 3, rng), steps, null, null);
    float[] s = ws.states(0, 0);
    for (int i = BATCH * hidden; i < (steps + 1) * BATCH * hidden; i++)
      assertTrue(Math.abs(s[i]) <= 1f, "|h| = " + s[i]); // tanh of a huge pre-activation rounds to exactly ±1f
  }

  /** Strictly inside (−1, 1) whenever |pre-activation| < 8 (tanh(8) < 1 − 2⁻²⁴, so it cannot round to 1). */
  @Property(tries = 40)
  void rnnTanhStateIsStrictlyInsideForModeratePreActivations(@ForAll("hiddens") int hidden,
      @ForAll @IntRange(min = 1, max = 8) int steps, @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int input = 3;
    TestNets.Net net = TestNets.random(RecurrentConfig.of(CellType.RNN_TANH, input, hidden, 1), seed);
    float bound = 7.5f / (input + hidden + 2); // |pre| ≤ (I + H + 2)·max|w| with |x|, |h| ≤ 1
    for (int i = 0; i < net.p().length; i++) net.p()[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    float[] x = new float[steps * BATCH * input];
    for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextDouble() * 2 - 1);
    RecurrentWorkspace ws = run(net, x, steps, null, null);
    float[] s = ws.states(0, 0);
    for (int i = BATCH * hidden; i < (steps + 1) * BATCH * hidden; i++)
      assertTrue(Math.abs(s[i]) < 1f, "|h| = " + s[i]);
  }
}
