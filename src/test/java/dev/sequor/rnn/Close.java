package dev.sequor.rnn;

import static org.junit.jupiter.api.Assertions.fail;

/** Comparison of float tensors with the tolerances used across the recurrent tests, in one place. */
final class Close {
  private Close() {}

  /** Outputs and states against PyTorch: 1e-5 relative. */
  static final double OUTPUT_RTOL = 1e-5;
  /** Gradients against PyTorch: 1e-4 relative. */
  static final double GRADIENT_RTOL = 1e-4;

  /**
   * Asserts |actual − expected| ≤ rtol · (|expected| + max|expected|) element-wise: relative to each
   * element, with a floor relative to the tensor's largest magnitude so that entries that are zero up
   * to cancellation are compared on the tensor's scale. Prints the first differing values on failure.
   */
  static void assertClose(String what, float[] expected, int eOff, float[] actual, int aOff, int n, double rtol) {
    double scale = 0;
    for (int i = 0; i < n; i++) scale = Math.max(scale, Math.abs(expected[eOff + i]));
    int bad = 0;
    StringBuilder first = new StringBuilder();
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double e = expected[eOff + i], a = actual[aOff + i];
      double err = Math.abs(a - e) / (Math.abs(e) + scale + 1e-30);
      worst = Math.max(worst, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
      if (!(err <= rtol)) {
        if (bad < 5) first.append(String.format("%n  [%d] expected %.9g, got %.9g (rel %.3g)", i, e, a, err));
        bad++;
      }
    }
    if (bad > 0)
      fail(what + ": " + bad + " of " + n + " elements beyond rtol " + rtol + " (worst " + worst + "); first:" + first);
  }

  static void assertClose(String what, float[] expected, float[] actual, double rtol) {
    if (expected.length != actual.length) fail(what + ": length " + actual.length + ", expected " + expected.length);
    assertClose(what, expected, 0, actual, 0, expected.length, rtol);
  }

  /** Asserts the two spans are identical bit for bit, printing the first difference. */
  static void assertBitEqual(String what, float[] expected, int eOff, float[] actual, int aOff, int n) {
    for (int i = 0; i < n; i++)
      if (Float.floatToRawIntBits(expected[eOff + i]) != Float.floatToRawIntBits(actual[aOff + i]))
        fail(what + ": first difference at " + i + ": expected " + expected[eOff + i] + ", got " + actual[aOff + i]);
  }
}
