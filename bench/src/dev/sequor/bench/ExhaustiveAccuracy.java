package dev.sequor.bench;

import dev.sequor.kernel.Activations;
import dev.sequor.kernel.ref.DoubleMath;
import dev.sequor.kernel.ref.ScalarMath;
import java.util.function.DoubleUnaryOperator;

/**
 * Experiment (not a test: minutes per function): the maximum error of the SIMD activations over
 * <em>every</em> one of the 2^32 float bit patterns, against the double references, plus a check that
 * the scalar twin agrees bit for bit. Prints one line per function.
 *
 * <pre>
 * ./mvnw -q -DskipTests test-compile
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *     dev.sequor.bench.ExhaustiveAccuracy exp sigmoid tanh gelu
 * </pre>
 */
public final class ExhaustiveAccuracy {
  private ExhaustiveAccuracy() {}

  interface Kernel { void apply(float[] out, int outOff, float[] x, int xOff, int n); }

  public static void main(String[] args) {
    for (String name : args) {
      Kernel k;
      DoubleUnaryOperator ref;
      java.util.function.UnaryOperator<Float> scalar;
      switch (name) {
        case "exp" -> { k = Activations::exp; ref = DoubleMath::exp; scalar = ScalarMath::exp; }
        case "sigmoid" -> { k = Activations::sigmoid; ref = DoubleMath::sigmoid; scalar = ScalarMath::sigmoid; }
        case "tanh" -> { k = Activations::tanh; ref = DoubleMath::tanh; scalar = ScalarMath::tanh; }
        case "gelu" -> { k = Activations::gelu; ref = DoubleMath::gelu; scalar = ScalarMath::gelu; }
        default -> throw new IllegalArgumentException("unknown function " + name);
      }
      long t0 = System.nanoTime();
      int chunk = 1 << 16;
      float[] x = new float[chunk], y = new float[chunk];
      double worst = 0;
      float worstX = 0;
      long mismatches = 0, nans = 0, denormals = 0;
      for (long base = 0; base < (1L << 32); base += chunk) {
        for (int i = 0; i < chunk; i++) x[i] = Float.intBitsToFloat((int) (base + i));
        k.apply(y, 0, x, 0, chunk);
        for (int i = 0; i < chunk; i++) {
          float xi = x[i], yi = y[i];
          if (Float.floatToIntBits(yi) != Float.floatToIntBits(scalar.apply(xi))) mismatches++;
          if (Float.isNaN(yi) != Float.isNaN(xi)) nans++;
          if (yi != 0 && Math.abs(yi) < Float.MIN_NORMAL && !(Math.abs(xi) < Float.MIN_NORMAL)) denormals++;
          double e = DoubleMath.ulpError(yi, ref.applyAsDouble(xi));
          if (e > worst) {
            worst = e;
            worstX = xi;
          }
        }
      }
      System.out.printf("%s: max %.3f ulp at x = %s (%s); SIMD != scalar: %d; NaN mismatches: %d; denormal outputs: %d; %.0f s%n",
          name, worst, worstX, Float.toHexString(worstX), mismatches, nans, denormals, (System.nanoTime() - t0) / 1e9);
    }
  }
}
