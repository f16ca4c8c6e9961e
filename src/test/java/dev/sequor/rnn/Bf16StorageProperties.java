package dev.sequor.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.*;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;

/** bf16 weight storage: exactly f32 arithmetic on bf16-rounded weights, and self-consistent. */
class Bf16StorageProperties {
  @BeforeContainer
  static void warmUp() { JitWarmup.cells(); }

  @Provide
  Arbitrary<CellType> cells() { return Arbitraries.of(CellType.values()); }

  @Provide
  Arbitrary<Integer> hiddens() { return Arbitraries.of(3, 16, 37, 70); }

  /** A copy of the values with every weight matrix (not the biases) rounded to bf16. */
  private static float[] roundWeights(TestNets.Net net) {
    float[] v = net.p().clone();
    for (var t : net.store().tensors())
      if (t.name().startsWith("weight"))
        for (int i = t.offset(); i < t.offset() + t.size(); i++) v[i] = Float.intBitsToFloat(PackedPanels.toBf16(v[i]) << 16);
    return v;
  }

  @Property(tries = 30)
  void bf16ModelIsF32ArithmeticOnRoundedWeights(@ForAll("cells") CellType cell, @ForAll("hiddens") int hidden,
      @ForAll @IntRange(min = 1, max = 3) int layers, @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int input = 1 + rng.nextInt(20), steps = 1 + rng.nextInt(12);
    TestNets.Net net = TestNets.random(new RecurrentConfig(cell, input, hidden, layers, false, rng.nextBoolean(), 0f), seed);
    RecurrentModel bf16 = RecurrentModel.of(net.layout(), net.p(), WeightStorage.BF16);
    RecurrentModel rounded = RecurrentModel.of(net.layout(), roundWeights(net), WeightStorage.F32);
    RecurrentState a = bf16.newState(), b = rounded.newState(), c = bf16.newState();
    float[] x = TestNets.gaussian(steps * input, 1.0, rng);
    float[] outA = new float[steps * hidden], outB = new float[hidden * steps], outC = new float[steps * hidden];
    for (int t = 0; t < steps; t++) {
      a.step(x, t * input, outA, t * hidden);
      b.step(x, t * input, outB, t * hidden);
    }
    c.feed(x, 0, steps, outC, 0);
    Close.assertBitEqual("bf16 vs f32 on rounded weights", outB, 0, outA, 0, steps * hidden);
    Close.assertBitEqual("bf16 feed vs steps", outA, 0, outC, 0, steps * hidden);
  }

  @Property(tries = 20)
  void bf16StaysCloseToF32(@ForAll("cells") CellType cell, @ForAll long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int input = 16, hidden = 64, steps = 20;
    TestNets.Net net = TestNets.random(RecurrentConfig.of(cell, input, hidden, 2), seed);
    RecurrentState a = RecurrentModel.of(net.layout(), net.p(), WeightStorage.BF16).newState();
    RecurrentState b = RecurrentModel.of(net.layout(), net.p()).newState();
    float[] x = TestNets.gaussian(steps * input, 1.0, rng);
    float[] outA = new float[steps * hidden], outB = new float[steps * hidden];
    a.feed(x, 0, steps, outA, 0);
    b.feed(x, 0, steps, outB, 0);
    double worst = 0;
    for (int i = 0; i < outA.length; i++) worst = Math.max(worst, Math.abs(outA[i] - outB[i]));
    // weights carry 2^-9 relative error; over (input + hidden) terms per output the states drift by ~1e-2
    assertTrue(worst < 0.05, "max |bf16 − f32| = " + worst);
  }

  @Example
  void roundsToNearestEven() {
    assertEquals(0x3F80, PackedPanels.toBf16(1f));
    assertEquals(0x3F80, PackedPanels.toBf16(Float.intBitsToFloat(0x3F808000))); // tie, even below
    assertEquals(0x3F82, PackedPanels.toBf16(Float.intBitsToFloat(0x3F818000))); // tie, even above
    assertEquals(0x3F81, PackedPanels.toBf16(Float.intBitsToFloat(0x3F808001)));
    assertEquals(0x7F80, PackedPanels.toBf16(Float.POSITIVE_INFINITY));
    assertTrue(Float.isNaN(Float.intBitsToFloat(PackedPanels.toBf16(Float.NaN) << 16)));
    assertEquals(0x8000, PackedPanels.toBf16(-0f));
  }
}
