package dev.sequor.transformer;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Central-difference gradient checks: for each coordinate x_i, (L(x_i + h) − L(x_i − h)) / 2h against
 * the analytic gradient, h = {@link Tolerances#GRADCHECK_STEP}. Losses are accumulated in double.
 */
public final class GradCheck {
  private GradCheck() {}

  /** Fills x (n) with uniform values in [-scale, scale). */
  public static float[] random(SplittableRandom rng, int n, double scale) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
    return x;
  }

  /** Σ out_i · r_i in double: a loss whose gradient with respect to out is r. */
  public static double dot(float[] out, int off, float[] r, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += (double) out[off + i] * r[i];
    return s;
  }

  /** Checks analytic[aOff + i] against numeric derivatives of loss for x[xOff + i], i < n. */
  public static void check(String what, float[] x, int xOff, float[] analytic, int aOff, int n, DoubleSupplier loss) {
    double h = Tolerances.GRADCHECK_STEP;
    StringBuilder bad = new StringBuilder();
    int count = 0;
    for (int i = 0; i < n; i++) {
      float saved = x[xOff + i];
      x[xOff + i] = (float) (saved + h);
      double up = loss.getAsDouble();
      x[xOff + i] = (float) (saved - h);
      double down = loss.getAsDouble();
      x[xOff + i] = saved;
      double stepUp = (float) (saved + h) - saved, stepDown = saved - (float) (saved - h); // representable steps
      double numeric = (up - down) / (stepUp + stepDown);
      double a = analytic[aOff + i];
      double lim = Tolerances.GRADCHECK_ABS + Tolerances.GRADCHECK_REL * Math.abs(numeric);
      if (!(Math.abs(a - numeric) <= lim)) {
        if (count < 5) bad.append(String.format("%n  [%d] analytic %.7g numeric %.7g", i, a, numeric));
        count++;
      }
    }
    if (count > 0) fail(what + ": " + count + " of " + n + " gradients differ from central differences" + bad);
  }
}
