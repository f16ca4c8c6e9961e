package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.kernel.ref.DoubleMath;
import dev.sequor.kernel.ref.RefActivations;
import dev.sequor.kernel.simd.SimdActivations;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The array kernels of {@link Activations}: SIMD == reference bit for bit on every size and offset,
 * in-place use, backward accumulation, derivatives against double-precision finite differences, and
 * argument validation. (Accuracy of the functions themselves: {@link VectorMathAccuracyTest}.)
 */
class ActivationsTest {
  interface Unary { void apply(float[] out, int outOff, float[] x, int xOff, int n); }

  interface Backward { void apply(float[] dx, int dxOff, float[] saved, int sOff, float[] dy, int dyOff, int n); }

  private static final String[] UNARY = {"exp", "sigmoid", "tanh", "relu", "gelu"};

  private static Unary simd(String f) {
    return switch (f) {
      case "exp" -> SimdActivations::exp;
      case "sigmoid" -> SimdActivations::sigmoid;
      case "tanh" -> SimdActivations::tanh;
      case "relu" -> SimdActivations::relu;
      default -> SimdActivations::gelu;
    };
  }

  private static Unary ref(String f) {
    return switch (f) {
      case "exp" -> RefActivations::exp;
      case "sigmoid" -> RefActivations::sigmoid;
      case "tanh" -> RefActivations::tanh;
      case "relu" -> RefActivations::relu;
      default -> RefActivations::gelu;
    };
  }

  private static Unary facade(String f) {
    return switch (f) {
      case "exp" -> Activations::exp;
      case "sigmoid" -> Activations::sigmoid;
      case "tanh" -> Activations::tanh;
      case "relu" -> Activations::relu;
      default -> Activations::gelu;
    };
  }

  @Test
  void forwardSimdEqualsReferenceBitForBitOnEverySizeAndOffset() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (String f : UNARY)
      for (int n : Fixtures.sizes())
        for (int pad : new int[] {0, 3}) {
          float[] x = Fixtures.padded(Fixtures.wideRange(rnd, n), pad, 7f);
          float[] a = new float[n + 2 * pad], b = new float[n + 2 * pad], c = new float[n + 2 * pad];
          Arrays.fill(a, -5f);
          Arrays.fill(b, -5f);
          Arrays.fill(c, -5f);
          simd(f).apply(a, pad, x, pad, n);
          ref(f).apply(b, pad, x, pad, n);
          facade(f).apply(c, pad, x, pad, n);
          assertArrayEquals(b, a, f + " n=" + n + " pad=" + pad);
          assertArrayEquals(b, c, f + " facade n=" + n);
          for (int i = 0; i < pad; i++) assertEquals(-5f, a[i], "wrote before the span");
        }
  }

  @Test
  void forwardInPlace() {
    SplittableRandom rnd = new SplittableRandom(12);
    for (String f : UNARY) {
      float[] x = Fixtures.gaussian(rnd, 207, 5);
      float[] expected = new float[207];
      ref(f).apply(expected, 0, x, 0, 207);
      facade(f).apply(x, 0, x, 0, 207);
      assertArrayEquals(expected, x, f);
    }
  }

  private static Backward simdBack(String f) {
    return switch (f) {
      case "sigmoid" -> SimdActivations::sigmoidBackward;
      case "tanh" -> SimdActivations::tanhBackward;
      case "relu" -> SimdActivations::reluBackward;
      default -> SimdActivations::geluBackward;
    };
  }

  private static Backward refBack(String f) {
    return switch (f) {
      case "sigmoid" -> RefActivations::sigmoidBackward;
      case "tanh" -> RefActivations::tanhBackward;
      case "relu" -> RefActivations::reluBackward;
      default -> RefActivations::geluBackward;
    };
  }

  private static Backward facadeBack(String f) {
    return switch (f) {
      case "sigmoid" -> Activations::sigmoidBackward;
      case "tanh" -> Activations::tanhBackward;
      case "relu" -> Activations::reluBackward;
      default -> Activations::geluBackward;
    };
  }

  /** Backward takes the saved output (σ, tanh, relu) or the input (gelu). */
  private static float[] saved(String f, float[] x) {
    float[] y = new float[x.length];
    switch (f) {
      case "sigmoid" -> RefActivations.sigmoid(y, 0, x, 0, x.length);
      case "tanh" -> RefActivations.tanh(y, 0, x, 0, x.length);
      case "relu" -> RefActivations.relu(y, 0, x, 0, x.length);
      default -> System.arraycopy(x, 0, y, 0, x.length);
    }
    return y;
  }

  @Test
  void backwardSimdEqualsReferenceAndAccumulates() {
    SplittableRandom rnd = new SplittableRandom(13);
    for (String f : new String[] {"sigmoid", "tanh", "relu", "gelu"})
      for (int n : Fixtures.sizes()) {
        float[] x = Fixtures.gaussian(rnd, n, 4);
        float[] s = saved(f, x);
        float[] dy = Fixtures.gaussian(rnd, n, 1);
        float[] start = Fixtures.gaussian(rnd, n, 1);
        float[] a = start.clone(), b = start.clone(), c = start.clone(), fresh = new float[n];
        simdBack(f).apply(a, 0, s, 0, dy, 0, n);
        refBack(f).apply(b, 0, s, 0, dy, 0, n);
        facadeBack(f).apply(c, 0, s, 0, dy, 0, n);
        refBack(f).apply(fresh, 0, s, 0, dy, 0, n);
        assertArrayEquals(b, a, f + "Backward n=" + n);
        assertArrayEquals(b, c, f + "Backward facade n=" + n);
        for (int i = 0; i < n; i++)
          assertEquals(start[i] + fresh[i], b[i], 1e-6 * (1 + Math.abs(start[i]) + Math.abs(fresh[i])), "accumulates");
      }
  }

  /** d/dx of each activation by central differences of its double-precision reference. */
  @Test
  void derivativesMatchFiniteDifferencesOfTheDoubleReference() {
    SplittableRandom rnd = new SplittableRandom(14);
    int n = 207;
    float[] x = Fixtures.gaussian(rnd, n, 3);
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    double h = 1e-5;
    java.util.Map<String, java.util.function.DoubleUnaryOperator> refs = java.util.Map.of(
        "sigmoid", DoubleMath::sigmoid, "tanh", DoubleMath::tanh, "gelu", DoubleMath::gelu);
    for (var e : refs.entrySet()) {
      float[] s = saved(e.getKey(), x), d = new float[n];
      facadeBack(e.getKey()).apply(d, 0, s, 0, ones, 0, n);
      for (int i = 0; i < n; i++) {
        double fd = (e.getValue().applyAsDouble(x[i] + h) - e.getValue().applyAsDouble(x[i] - h)) / (2 * h);
        assertEquals(fd, d[i], Tolerances.gradient(1), e.getKey() + "'(" + x[i] + ")");
      }
    }
  }

  @Test
  void reluAndItsBackward() {
    float[] x = {-2f, -0f, 0f, 3f, Float.NaN, Float.NEGATIVE_INFINITY};
    float[] y = new float[x.length];
    Activations.relu(y, 0, x, 0, x.length);
    assertArrayEquals(new float[] {0f, 0f, 0f, 3f, Float.NaN, 0f}, y);
    float[] dx = {1f, 1f, 1f, 1f, 1f, 1f};
    Activations.reluBackward(dx, 0, y, 0, new float[] {5f, 5f, 5f, 5f, 5f, 5f}, 0, x.length);
    assertArrayEquals(new float[] {1f, 1f, 1f, 6f, 1f, 1f}, dx);
  }

  @Test
  void badArgumentsNameTheOperand() {
    float[] a = new float[8];
    assertMessage(() -> Activations.sigmoid(a, 0, a, 4, 5), "x:");
    assertMessage(() -> Activations.tanh(a, 5, a, 0, 5), "out:");
    assertMessage(() -> Activations.gelu(null, 0, a, 0, 1), "out is null");
    assertMessage(() -> Activations.exp(a, 0, a, 0, -1), "n must be >= 0");
    assertMessage(() -> Activations.sigmoidBackward(a, 0, a, 0, new float[2], 0, 3), "dy:");
    assertMessage(() -> Activations.geluBackward(a, 0, a, -1, a, 0, 3), "x:");
    assertMessage(() -> Activations.tanhBackward(a, 6, a, 0, a, 0, 3), "dx:");
    assertMessage(() -> Activations.reluBackward(a, 0, new float[1], 0, a, 0, 3), "y:");
  }

  static void assertMessage(org.junit.jupiter.api.function.Executable call, String start) {
    var e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(start), () -> "message '" + e.getMessage() + "' should start with '" + start + "'");
  }
}
