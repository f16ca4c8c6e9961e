package dev.sequor.transformer;

import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparison that names the first differing values on failure. */
public final class Compare {
  private Compare() {}

  /** Fails listing up to five offending elements if any |actual − expected| > abs + rel·|expected|. */
  public static void close(String what, float[] actual, int aOff, float[] expected, int eOff, int n, double abs, double rel) {
    StringBuilder bad = new StringBuilder();
    int count = 0;
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double a = actual[aOff + i], e = expected[eOff + i];
      double err = Math.abs(a - e), lim = abs + rel * Math.abs(e);
      if (!(err <= lim)) {
        if (count < 5) bad.append(String.format("%n  [%d] got %.9g expected %.9g (|diff| %.3g > %.3g)", i, a, e, err, lim));
        count++;
        worst = Math.max(worst, err);
      }
    }
    if (count > 0) fail(what + ": " + count + " of " + n + " elements differ (worst |diff| " + worst + ")" + bad);
  }

  /** Fails at the first element that is not bit-for-bit identical. */
  public static void identical(String what, float[] actual, float[] expected, int n) {
    for (int i = 0; i < n; i++)
      if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i]))
        fail(what + ": element " + i + " differs: " + actual[i] + " vs " + expected[i] + " (not bit-identical)");
  }
}
